import { isTerminalStepStatus, type StepStatus } from '../status.ts';

/** What the engine needs to know of a step to decide its fate and the run's. */
export interface StepState {
  name: string;
  status: StepStatus;
  depends: readonly string[];
  exitCode: number | null;
  continueOn: { failure: boolean; skipped: boolean; exitCodes: readonly number[] };
}

export type StepDecision =
  | { kind: 'wait' }
  | { kind: 'start' }
  | { kind: 'skip'; reason: string }
  | { kind: 'abort'; reason: string };

/** A failed step whose failure `continueOn` allows: the run goes on and ends PARTIALLY_SUCCEEDED. */
export function isAllowedFailure(step: StepState): boolean {
  if (step.status !== 'FAILED') return false;
  return step.continueOn.failure || (step.exitCode !== null && step.continueOn.exitCodes.includes(step.exitCode));
}

/**
 * Dagu's rules for a step that has not started: it starts once every dependency succeeded
 * (or failed / was skipped in a way its continueOn allows); a blocked dependency aborts it,
 * a skipped one skips it.
 */
export function decideStep(step: StepState, byName: ReadonlyMap<string, StepState>): StepDecision {
  let waiting = false;
  for (const dependencyName of step.depends) {
    const dependency = byName.get(dependencyName);
    if (!dependency) return { kind: 'abort', reason: `depends on unknown step "${dependencyName}"` };
    if (!isTerminalStepStatus(dependency.status)) {
      waiting = true;
      continue;
    }
    if (dependency.status === 'SUCCEEDED' || dependency.status === 'PARTIALLY_SUCCEEDED' || isAllowedFailure(dependency)) continue;
    if (dependency.status === 'SKIPPED') {
      if (dependency.continueOn.skipped) continue;
      return { kind: 'skip', reason: `upstream step "${dependency.name}" was skipped` };
    }
    return { kind: 'abort', reason: `upstream step "${dependency.name}" ended ${dependency.status}` };
  }
  return waiting ? { kind: 'wait' } : { kind: 'start' };
}
