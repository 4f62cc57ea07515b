import { AppError } from '../errors.ts';
import type { RunStatus } from '../status.ts';
import { bucketStart, DAY_MS, HOUR_MS, type TimeBucket } from '../time-buckets.ts';
import type { RunTrigger } from '../vocabulary.ts';
import { errorFingerprint } from './error-fingerprint.ts';

export const AGGREGATE_DIMENSIONS = ['PROJECT', 'WORKFLOW', 'STATUS', 'TRIGGER', 'ERROR'] as const;
export type AggregateDimension = (typeof AGGREGATE_DIMENSIONS)[number];

/** The most groups one answer holds: more is refused, with what to narrow. */
export const AGGREGATE_GROUPS_MAX = 10_000;
/** The most distinct error messages an ERROR grouping reads before it asks for a narrower range. */
export const AGGREGATE_ERRORS_MAX = 50_000;
const RANGE_MAX_MS = 400 * DAY_MS;

export interface AggregateQuery {
  projectIds: readonly string[];
  workflowIds: readonly string[] | null;
  statuses: readonly RunStatus[] | null;
  triggers: readonly RunTrigger[] | null;
  groupBy: readonly AggregateDimension[];
  /** Per bucket of creation time (UTC), or the whole range when null. */
  bucket: TimeBucket | null;
  from: number;
  to: number;
  /** The rollup that serves the range: hours, or days when both ends fall on midnights. */
  grain: 'HOUR' | 'DAY';
}

/** One group's count; a dimension not grouped by is null. */
export interface AggregateGroup {
  projectId: string | null;
  workflowId: string | null;
  status: RunStatus | null;
  trigger: RunTrigger | null;
  /** The fingerprint of the runs' error (errorFingerprint); null for runs without one, or when not grouped by ERROR. */
  error: string | null;
  /** The bucket's start (unix ms), or null without a bucket. */
  bucketStart: number | null;
  count: number;
}

/** A row as the database groups it: the error as written, time at the rollup's grain. */
export type AggregateRow = Omit<AggregateGroup, 'bucketStart'> & { time: number | null };

/**
 * Checks the question and chooses the rollup that answers it exactly: counts come from the hourly
 * or daily rollups, which count every run of an hour or a day, so the range must fall on whole
 * hours (whole days for DAY and WEEK buckets).
 */
export function planAggregate(input: Omit<AggregateQuery, 'grain'>): AggregateQuery {
  const { from, to, bucket, groupBy } = input;
  if (!(from < to)) throw new AppError('BAD_USER_INPUT', 'from must be before to');
  if (to - from > RANGE_MAX_MS) throw new AppError('BAD_USER_INPUT', `from and to may be at most ${RANGE_MAX_MS / DAY_MS} days apart: aggregate longer spans in parts`);
  if (new Set(groupBy).size !== groupBy.length) throw new AppError('BAD_USER_INPUT', 'groupBy names a dimension twice');
  if (bucket === 'MINUTE') throw new AppError('BAD_USER_INPUT', 'bucket: MINUTE is not aggregated (the rollups count hours); use HOUR, DAY or WEEK');
  const onDays = from % DAY_MS === 0 && to % DAY_MS === 0;
  const onHours = from % HOUR_MS === 0 && to % HOUR_MS === 0;
  if ((bucket === 'DAY' || bucket === 'WEEK') && !onDays) throw new AppError('BAD_USER_INPUT', `from and to must be UTC midnights for a ${bucket} bucket (the daily rollup counts whole days)`);
  if (!onHours) throw new AppError('BAD_USER_INPUT', 'from and to must fall on whole UTC hours (the hourly rollup counts whole hours)');
  return { ...input, grain: onDays && bucket !== 'HOUR' ? 'DAY' : 'HOUR' };
}

/** The database's rows as the answer's groups: errors by fingerprint, times by the bucket asked for, biggest first. */
export function foldAggregate(rows: readonly AggregateRow[], query: AggregateQuery): AggregateGroup[] {
  const groups = new Map<string, AggregateGroup>();
  for (const row of rows) {
    const group: AggregateGroup = {
      projectId: row.projectId,
      workflowId: row.workflowId,
      status: row.status,
      trigger: row.trigger,
      error: row.error === null ? null : errorFingerprint(row.error),
      bucketStart: query.bucket === null || row.time === null ? null : bucketStart(row.time, query.bucket),
      count: 0,
    };
    const key = JSON.stringify([group.projectId, group.workflowId, group.status, group.trigger, group.error, group.bucketStart]);
    const existing = groups.get(key) ?? group;
    existing.count += row.count;
    groups.set(key, existing);
  }
  const folded = [...groups].filter(([, group]) => group.count !== 0);
  if (folded.length > AGGREGATE_GROUPS_MAX) throw tooManyGroups();
  // Ties in the order of their keys: the same answer whatever order the database gave the rows in.
  folded.sort(([keyA, a], [keyB, b]) => (a.bucketStart ?? 0) - (b.bucketStart ?? 0) || b.count - a.count || (keyA < keyB ? -1 : keyA > keyB ? 1 : 0));
  return folded.map(([, group]) => group);
}

export function tooManyGroups(): AppError {
  return new AppError('BAD_USER_INPUT', `More than ${AGGREGATE_GROUPS_MAX} groups: group by fewer dimensions, use a coarser bucket, or narrow the filter or the range`);
}
