import { isUnfinishedStepStatus } from '../domain/status.ts';
import type { ClaimedRunRecord } from '../repositories/run.repository.ts';
import type { StepRunRecord } from '../repositories/step-run.repository.ts';
import type { RunRecorderService, StatusChange } from '../services/run-recorder.service.ts';

/** A run taken over from a dead claim, its steps as stored, and why its executor is gone. */
export interface TakenOverRunState {
  run: ClaimedRunRecord;
  steps: readonly StepRunRecord[];
  reason: string;
}

/**
 * What taking the run over records, under the new claim: a RUNNING run was lost with its
 * executor and ends FAILED with the reason, its unfinished steps ABORTED first; a WAITING run
 * goes on waiting, but a step the dead executor left RUNNING beside the approval is ABORTED. A
 * QUEUED run records nothing (its claim is released).
 */
export function takeoverChanges({ run, steps, reason }: TakenOverRunState): StatusChange[] {
  const fence = run.fence;
  const abort = (step: StepRunRecord): StatusChange => ({ kind: 'step', input: { runId: run.id, step: step.name, to: 'ABORTED', message: reason, fence } });
  if (run.status === 'WAITING') return steps.filter((step) => step.status === 'RUNNING').map(abort);
  if (run.status !== 'RUNNING') return [];
  return [...steps.filter((step) => isUnfinishedStepStatus(step.status)).map(abort), { kind: 'run', input: { runId: run.id, to: 'FAILED', error: reason, message: reason, fence } }];
}

/** The steps once takeoverChanges were recorded. */
export function stepsAfterTakeover(state: TakenOverRunState): StepRunRecord[] {
  const aborted = new Set(takeoverChanges(state).flatMap((change) => (change.kind === 'step' ? [change.input.step] : [])));
  return state.steps.map((step) => (aborted.has(step.name) ? { ...step, status: 'ABORTED' } : step));
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
