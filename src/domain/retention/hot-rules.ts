import { ACTIVE_RUN_STATUSES, RUN_STATUSES, TERMINAL_RUN_STATUSES, type RunStatus } from '../status.ts';
import { DAY_MS, type RetentionPolicy } from './retention-policy.ts';

/**
 * The statuses keepFailedForDays keeps: failures someone may still look into. ABORTED and
 * REJECTED runs were someone's decision, and a PARTIALLY_SUCCEEDED run's failures were allowed.
 */
export const KEPT_FAILED_STATUSES: ReadonlySet<RunStatus> = new Set<RunStatus>(['FAILED']);

/** A place among a workflow's runs in (createdAt, id) order: the order of every history cursor. */
export interface RunPosition {
  createdAt: Date;
  id: string;
}

/** Why a run stays in the live store. */
export type HotReason = 'ACTIVE' | 'LATEST_RUN' | 'YOUNG' | 'RECENT_FAILURE';

/**
 * Why `run` must stay in the live store at `cutoff`, or null when archival moves it:
 * an active run stays; so does one of its workflow's `keepLastRuns` latest runs
 * (`newerRuns`: how many runs of its workflow come after it), a run created at most `hotDays`
 * before the cut-off, and a FAILED one created at most `keepFailedForDays` before it.
 */
export function hotReason(run: { status: RunStatus; createdAt: Date }, newerRuns: number, policy: RetentionPolicy, cutoff: Date): HotReason | null {
  if (ACTIVE_RUN_STATUSES.has(run.status)) return 'ACTIVE';
  if (newerRuns < policy.keepLastRuns) return 'LATEST_RUN';
  if (run.createdAt.getTime() >= daysBefore(cutoff, policy.hotDays)) return 'YOUNG';
  if (KEPT_FAILED_STATUSES.has(run.status) && run.createdAt.getTime() >= daysBefore(cutoff, policy.keepFailedForDays)) return 'RECENT_FAILURE';
  return null;
}

/**
 * What archival moves of one workflow, as ranges of its runs in (createdAt, id) order:
 * the finished runs before `before`, FAILED ones only before `failedBefore` (never after `before`).
 */
export interface ArchiveBounds {
  before: RunPosition;
  failedBefore: RunPosition;
}

/**
 * hotReason as index ranges, for a whole workflow at once. `oldestKept` is the oldest of the
 * workflow's `keepLastRuns` latest runs, or null when it has fewer runs than that (then every
 * run stays and the answer is null); it is not read when keepLastRuns is 0.
 */
export function archiveBounds(policy: RetentionPolicy, cutoff: Date, oldestKept: RunPosition | null): ArchiveBounds | null {
  const young = edge(daysBefore(cutoff, policy.hotDays));
  let before = young;
  if (policy.keepLastRuns > 0) {
    if (oldestKept === null) return null;
    before = earlier(young, oldestKept);
  }
  return { before, failedBefore: earlier(before, edge(daysBefore(cutoff, policy.keepFailedForDays))) };
}

/** The range of each status archival moves: every finished status, each up to its own bound. */
export function boundsByStatus(bounds: ArchiveBounds): { status: RunStatus; before: RunPosition }[] {
  return RUN_STATUSES.filter((status) => TERMINAL_RUN_STATUSES.has(status)).map((status) => ({
    status,
    before: KEPT_FAILED_STATUSES.has(status) ? bounds.failedBefore : bounds.before,
  }));
}

export function daysBefore(cutoff: Date, days: number): number {
  return cutoff.getTime() - days * DAY_MS;
}

/** The position before every run created at `time`: an empty id sorts before every id. */
function edge(time: number): RunPosition {
  return { createdAt: new Date(time), id: '' };
}

function earlier(a: RunPosition, b: RunPosition): RunPosition {
  const byTime = a.createdAt.getTime() - b.createdAt.getTime();
  return byTime < 0 || (byTime === 0 && a.id <= b.id) ? a : b;
}
