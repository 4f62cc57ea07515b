import type { RunStatus } from '../status.ts';
import { isAllowedFailure, type StepState } from './step-readiness.ts';

/** How a run ends, from its steps, following Dagu. */
export function runOutcome(steps: readonly StepState[], options: { cancelled: boolean }): RunStatus {
  if (options.cancelled) return 'ABORTED';
  if (steps.some((step) => step.status === 'REJECTED')) return 'REJECTED';
  const failed = steps.filter((step) => step.status === 'FAILED' || step.status === 'ABORTED');
  if (failed.some((step) => !isAllowedFailure(step))) return 'FAILED';
  return failed.length > 0 ? 'PARTIALLY_SUCCEEDED' : 'SUCCEEDED';
}
