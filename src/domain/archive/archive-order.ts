import { KEPT_FAILED_STATUSES, type ArchiveBounds, type RunPosition } from '../retention/hot-rules.ts';
import { ACTIVE_RUN_STATUSES, type RunStatus } from '../status.ts';

/**
 * Whether a run of a workflow with these archive bounds moves: the test of the selection's index
 * ranges (see archiveBounds), for a run met in creation order across workflows.
 */
export function withinBounds(run: RunPosition & { status: RunStatus }, bounds: ArchiveBounds): boolean {
  if (ACTIVE_RUN_STATUSES.has(run.status)) return false;
  return before(run, bounds.before) && (!KEPT_FAILED_STATUSES.has(run.status) || before(run, bounds.failedBefore));
}

/** The latest of the positions: nothing any of their ranges holds comes at or after it. */
export function latestOf(positions: readonly RunPosition[]): RunPosition | null {
  return positions.reduce<RunPosition | null>((latest, position) => (latest === null || before(latest, position) ? position : latest), null);
}

function before(a: RunPosition, b: RunPosition): boolean {
  const byTime = a.createdAt.getTime() - b.createdAt.getTime();
  return byTime < 0 || (byTime === 0 && a.id < b.id);
}
