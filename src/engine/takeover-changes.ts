import { hasAttemptLeft, judgeLostRun, type LostRunVerdict } from '../domain/execution/lost-run.ts';
import { isUnfinishedStepStatus } from '../domain/status.ts';
import type { WorkflowSpec } from '../domain/workflow/workflow-spec.ts';
import type { ClaimedRunRecord } from '../repositories/run.repository.ts';
import type { StepRunRecord } from '../repositories/step-run.repository.ts';
import type { RunRecorderService, StatusChange } from '../services/run-recorder.service.ts';

/** A run taken over from a dead claim, its steps as stored, its definition (null when gone) and why its executor is gone. */
export interface TakenOverRunState {
  run: ClaimedRunRecord;
  steps: readonly StepRunRecord[];
  spec: WorkflowSpec | null;
  reason: string;
}

/** What the retry policy makes of a RUNNING run taken over (see judgeLostRun); null for a run in another status. */
export function lostRunVerdict({ run, steps, spec }: TakenOverRunState): LostRunVerdict | null {
  return run.status === 'RUNNING' ? judgeLostRun(steps, spec) : null;
}

/**
 * What taking the run over records, under the new claim. A RUNNING run was lost with its
 * executor: requeued when the retry policy of every step it had running allows another attempt
 * (each of those FAILED for this attempt, the run QUEUED; its claim is released afterwards),
 * otherwise FAILED with the reason, its unfinished steps ABORTED first. A WAITING run goes on
 * waiting; a step the dead executor left RUNNING beside the approval is FAILED for this attempt
 * when its policy runs it again (whoever executes the run retries it), ABORTED otherwise. A
 * QUEUED run records nothing (its claim is released).
 */
export function takeoverChanges(state: TakenOverRunState): StatusChange[] {
  const { run, steps, spec, reason } = state;
  const fence = run.fence;
  const abort = (step: StepRunRecord): StatusChange => ({ kind: 'step', input: { runId: run.id, step: step.name, to: 'ABORTED', message: reason, fence } });
  const retry = (step: StepRunRecord): StatusChange => ({
    kind: 'step',
    input: { runId: run.id, step: step.name, to: 'FAILED', error: reason, message: `${reason} during attempt ${step.attempt}; its retry policy runs it again`, fence },
  });
  if (run.status === 'WAITING') {
    return steps.filter((step) => step.status === 'RUNNING').map((step) => (retriedBySpec(step, spec) ? retry(step) : abort(step)));
  }
  const verdict = lostRunVerdict(state);
  if (verdict === null) return [];
  if (verdict.kind === 'requeue') {
    const retried = new Set(verdict.retried.map(({ name }) => name));
    const again = verdict.retried.length === 0 ? 'no step was running' : `${verdict.retried.map(({ name }) => `"${name}"`).join(', ')} will run again`;
    return [...steps.filter((step) => retried.has(step.name)).map(retry), { kind: 'run', input: { runId: run.id, to: 'QUEUED', message: `${reason}: requeued, ${again}`, fence } }];
  }
  return [...steps.filter((step) => isUnfinishedStepStatus(step.status)).map(abort), { kind: 'run', input: { runId: run.id, to: 'FAILED', error: reason, message: reason, fence } }];
}

function retriedBySpec(step: StepRunRecord, spec: WorkflowSpec | null): boolean {
  const stepSpec = spec?.steps.find((candidate) => candidate.name === step.name);
  return stepSpec !== undefined && hasAttemptLeft(step.attempt, stepSpec);
}

/** The steps once takeoverChanges were recorded. */
export function stepsAfterTakeover(state: TakenOverRunState): StepRunRecord[] {
  const changed = new Map(takeoverChanges(state).flatMap((change) => (change.kind === 'step' ? [[change.input.step, change.input.to] as const] : [])));
  return state.steps.map((step) => {
    const to = changed.get(step.name);
    return to === undefined ? step : { ...step, status: to };
  });
}

/**
 * Records what taking over these runs changes, every run's changes in one transaction; answers
 * the runs one of whose changes was refused (a run changed meanwhile, say), with the first error.
 */
export async function recordTakeovers(recorder: RunRecorderService, runs: readonly TakenOverRunState[]): Promise<Map<string, unknown>> {
  const changes = runs.flatMap((state) => takeoverChanges(state));
  const outcomes = await recorder.recordAll(changes);
  const refused = new Map<string, unknown>();
  changes.forEach((change, index) => {
    const outcome = outcomes[index];
    if (outcome && !outcome.ok && !refused.has(change.input.runId)) refused.set(change.input.runId, outcome.error);
  });
  return refused;
}
