import type { Logger } from 'pino';
import { hasAttemptLeft, judgeLostRun } from '../domain/execution/lost-run.ts';
import { isUnfinishedStepStatus } from '../domain/status.ts';
import type { WorkflowSpec } from '../domain/workflow/workflow-spec.ts';
import type { RunClaimRepository } from '../repositories/run-claim.repository.ts';
import type { ClaimedRunRecord } from '../repositories/run.repository.ts';
import type { StepRunRecord } from '../repositories/step-run.repository.ts';
import type { RunRecorderService } from '../services/run-recorder.service.ts';

interface LostRunDeps {
  recorder: RunRecorderService;
  claims: RunClaimRepository;
  logger: Logger;
}

/**
 * Records what becomes of a RUNNING run taken over from an executor that is gone (`reason` says
 * which: "worker lost" or "executor lost"), under the taker's claim, as judgeLostRun decides:
 * requeued (each step it had running FAILED for this attempt, the run QUEUED, the claim let go
 * so any executor continues it), or FAILED with its unfinished steps ABORTED.
 */
export async function requeueOrFailLostRun(deps: LostRunDeps, run: ClaimedRunRecord, steps: readonly StepRunRecord[], spec: WorkflowSpec | null, reason: string): Promise<'requeued' | 'failed'> {
  const verdict = judgeLostRun(steps, spec);
  const fence = run.fence;
  if (verdict.kind === 'requeue') {
    for (const { name, attempt } of verdict.retried) {
      await deps.recorder.recordStepTransition({ runId: run.id, step: name, to: 'FAILED', error: reason, message: retriedMessage(reason, attempt), fence });
    }
    const again = verdict.retried.length === 0 ? 'no step was running' : `${verdict.retried.map(({ name }) => `"${name}"`).join(', ')} will run again`;
    await deps.recorder.recordTransition({ runId: run.id, to: 'QUEUED', message: `${reason}: requeued, ${again}`, fence });
    await deps.claims.release(run.id, fence);
    deps.logger.warn({ runId: run.id, reason, retried: verdict.retried }, 'engine.run_requeued');
    return 'requeued';
  }
  for (const step of steps) {
    if (isUnfinishedStepStatus(step.status)) await deps.recorder.recordStepTransition({ runId: run.id, step: step.name, to: 'ABORTED', message: reason, fence });
  }
  await deps.recorder.recordTransition({ runId: run.id, to: 'FAILED', error: reason, message: reason, fence });
  deps.logger.warn({ runId: run.id, reason, because: verdict.because }, 'engine.run_lost');
  return 'failed';
}

/**
 * The steps a run WAITING for approval had running when its executor was lost: each that its
 * policy lets run again is FAILED for this attempt (whoever resumes the run retries it), the
 * others ABORTED. Answers the steps as they are now.
 */
export async function settleLostStepsOfWaitingRun(
  deps: LostRunDeps,
  run: ClaimedRunRecord,
  steps: readonly StepRunRecord[],
  spec: WorkflowSpec | null,
  reason: string,
): Promise<StepRunRecord[]> {
  const current: StepRunRecord[] = [];
  for (const step of steps) {
    if (step.status !== 'RUNNING') {
      current.push(step);
      continue;
    }
    const stepSpec = spec?.steps.find((candidate) => candidate.name === step.name);
    const retried = stepSpec !== undefined && hasAttemptLeft(step.attempt, stepSpec);
    const message = retried ? retriedMessage(reason, step.attempt) : reason;
    const to = retried ? 'FAILED' : 'ABORTED';
    await deps.recorder.recordStepTransition({ runId: run.id, step: step.name, to, message, error: retried ? reason : undefined, fence: run.fence });
    current.push({ ...step, status: to });
  }
  return current;
}

function retriedMessage(reason: string, attempt: number): string {
  return `${reason} during attempt ${attempt}; its retry policy runs it again`;
}
