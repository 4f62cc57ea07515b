import { bucketStart, DAY_MS } from '../time-buckets.ts';

/** How history is cut into archived periods (PARTITION_INTERVAL); weeks start on Monday, in UTC like every bucket. */
export const PARTITION_INTERVALS = ['day', 'week', 'month'] as const;
export type PartitionInterval = (typeof PARTITION_INTERVALS)[number];

/**
 * MOVING: runs are moving in (the batches up to committedBatch have); ARCHIVED: nothing moves;
 * RESTORING: runs are moving back to the live store; RESTORED: they all did, and the scheduled
 * job leaves the period in the live store until archiveNow moves it again.
 */
export const ARCHIVE_STATES = ['MOVING', 'ARCHIVED', 'RESTORING', 'RESTORED'] as const;
export type ArchiveState = (typeof ARCHIVE_STATES)[number];

export function archiveStateOf(value: string, what: string): ArchiveState {
  if ((ARCHIVE_STATES as readonly string[]).includes(value)) return value as ArchiveState;
  throw new Error(`Unknown archive state "${value}" of ${what}`);
}

/** A stretch of time [start, end) in unix ms. */
export interface PeriodRange {
  start: number;
  end: number;
}

/** The period of `interval` that holds `ms`, with the name its archive goes by (2026-11, 2026-W48, 2026-11-23). */
export function intervalPeriodOf(ms: number, interval: PartitionInterval): PeriodRange & { name: string } {
  if (interval === 'day') {
    const start = bucketStart(ms, 'DAY');
    return { start, end: start + DAY_MS, name: new Date(start).toISOString().slice(0, 10) };
  }
  if (interval === 'week') {
    const start = bucketStart(ms, 'WEEK');
    return { start, end: start + 7 * DAY_MS, name: isoWeekName(start) };
  }
  const date = new Date(ms);
  const start = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  const end = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
  return { start, end, name: new Date(start).toISOString().slice(0, 7) };
}

/**
 * The period a run created at `ms` is archived in: the existing period that holds it, else the
 * interval's period cut back so it overlaps none of the existing ones (PARTITION_INTERVAL may
 * have changed since they were made). `existing` must not overlap each other.
 */
export function periodFor<P extends PeriodRange>(
  ms: number,
  interval: PartitionInterval,
  existing: readonly P[],
): { kind: 'existing'; period: P } | { kind: 'new'; period: PeriodRange & { name: string } } {
  const holding = existing.find((period) => period.start <= ms && ms < period.end);
  if (holding) return { kind: 'existing', period: holding };
  const period = intervalPeriodOf(ms, interval);
  let { start, end } = period;
  for (const other of existing) {
    if (other.end <= ms && other.end > start) start = other.end;
    if (other.start > ms && other.start < end) end = other.start;
  }
  return { kind: 'new', period: { start, end, name: period.name } };
}

/** Whether [a.start, a.end) and the range [from, to) (null: unbounded) share a moment. */
export function overlaps(period: PeriodRange, from: number | null, to: number | null): boolean {
  return (to === null || period.start < to) && (from === null || period.end > from);
}

function isoWeekName(monday: number): string {
  // The ISO year of a week is the year of its Thursday.
  const thursday = new Date(monday + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** An archived period as the API shows it: the whole period (to an instance admin), or one project's part of it. */
export interface ArchiveListing {
  id: string;
  periodStart: Date;
  periodEnd: Date;
  state: ArchiveState;
  /** The project whose part this is; null for the whole period. */
  projectId: string | null;
  runs: number;
  events: number;
  /** The size of what holds the period; null for one project's part (the file holds every project's runs). */
  bytes: number | null;
  createdAt: Date;
  updatedAt: Date;
}
