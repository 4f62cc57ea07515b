import { formatLabels, matchesSelector, type Labels } from '../workflow/worker-selector.ts';

export interface QueuedRunState {
  /** The run's workflow's workerSelector; empty: any executor. */
  selector: Labels;
  /** Runs of its workflow that hold a place under its maxActiveRuns now. */
  workflowActive: number;
  workflowLimit: number;
}

/**
 * Why a queued run waits, in words for its page; null when nothing stops an executor from
 * taking it at its next pass. `executors` are the labels of every live executor.
 */
export function queuedReason(run: QueuedRunState, executors: readonly Labels[]): string | null {
  const hasSelector = Object.keys(run.selector).length > 0;
  if (executors.length === 0) return hasSelector ? `no live worker has the labels ${formatLabels(run.selector)} (no worker is running)` : 'no worker is running';
  if (!executors.some((labels) => matchesSelector(labels, run.selector))) return `no live worker has the labels ${formatLabels(run.selector)}`;
  if (run.workflowActive >= run.workflowLimit) {
    return `its workflow is at its maxActiveRuns limit (${run.workflowActive} of ${run.workflowLimit} active)`;
  }
  return null;
}
