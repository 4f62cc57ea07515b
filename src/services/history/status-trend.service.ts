import type { Principal } from '../../auth/principal.ts';
import type { ReadSession } from '../../db/history-reader.ts';
import { AppError } from '../../domain/errors.ts';
import { answerKey } from '../../domain/history/answer-key.ts';
import { createdRange, type RunSelection } from '../../domain/history/run-selection.ts';
import type { StatusCountData } from '../../domain/history/status-counts.ts';
import type { CoverGrain } from '../../domain/history/time-cover.ts';
import type { RunFilterSpec } from '../../domain/run-filter.ts';
import { RUN_STATUSES, type RunStatus } from '../../domain/status.ts';
import { bucketMs, bucketStart, MAX_TREND_POINTS, trendPoints, type TimeBucket } from '../../domain/time-buckets.ts';
import { countRowsAtHead, type CountingDeps } from './count-rows.ts';
import { readLaterChanges, reverseLaterChanges } from './later-changes.ts';
import { parseSnapshot } from './snapshot-guard.service.ts';

export interface TrendPointData {
  start: Date;
  counts: StatusCountData[];
}

/** Runs created per time bucket, by their status as of a snapshot. */
export class StatusTrendService {
  constructor(private readonly deps: CountingDeps) {}

  statusTrend(principal: Principal, filter: RunFilterSpec | null, trend: { bucket: TimeBucket; from: Date; to: Date }, snapshotArgument: string | null): Promise<TrendPointData[]> {
    const from = trend.from.getTime();
    const to = trend.to.getTime();
    if (from >= to) throw new AppError('BAD_USER_INPUT', `from (${trend.from.toISOString()}) must be before to (${trend.to.toISOString()})`, { argument: 'from' });
    const points = trendPoints(from, to, trend.bucket);
    if (points > MAX_TREND_POINTS) {
      throw new AppError('BAD_USER_INPUT', `A ${trend.bucket} trend from ${trend.from.toISOString()} to ${trend.to.toISOString()} has ${points} points; at most ${MAX_TREND_POINTS}: choose a wider bucket or a shorter range`, { argument: 'bucket' });
    }
    return this.deps.reader.read(async (session) => {
      const selection = await this.deps.selections.resolve(session, principal, filter);
      const snapshot = await this.deps.snapshots.checked(session, snapshotArgument === null ? null : parseSnapshot(snapshotArgument));
      const key = answerKey({ kind: 'trend', selection, snapshot, bucket: trend.bucket, from, to });
      return this.deps.answers.getOrCompute(key, () => this.trendAt(session, selection, snapshot, trend.bucket, { from, to }));
    });
  }

  private async trendAt(session: ReadSession, selection: RunSelection, snapshot: bigint, bucket: TimeBucket, range: { from: number; to: number }): Promise<TrendPointData[]> {
    const selected = createdRange(selection);
    const from = Math.max(range.from, selected.from ?? range.from);
    const to = Math.min(range.to, selected.to ?? range.to);
    const coarsest: CoverGrain = bucket === 'MINUTE' ? 'RUN' : bucket === 'HOUR' ? 'HOUR' : 'DAY';
    const view = await this.deps.archives.view(session);
    const rows = from < to ? await countRowsAtHead(this.deps, session, selection, { from, to }, coarsest, bucket === 'MINUTE' ? 'MINUTE' : 'HOUR', 'ALL', view) : [];
    const points = new Map<number, Map<RunStatus, number>>();
    for (let start = bucketStart(range.from, bucket); start < range.to; start += bucketMs(bucket)) points.set(start, new Map());
    const add = (time: number, status: RunStatus, delta: number) => {
      const point = points.get(bucketStart(time, bucket));
      point?.set(status, (point.get(status) ?? 0) + delta);
    };
    for (const row of rows) if (row.time !== null) add(row.time, row.status, row.count);
    const changes = await readLaterChanges(this.deps, session, snapshot);
    reverseLaterChanges({ ...selection, createdFrom: from, createdTo: to }, changes, (run, status, delta) => add(run.createdAt.getTime(), status, delta));
    return [...points].map(([start, counts]) => ({
      start: new Date(start),
      counts: RUN_STATUSES.flatMap((status) => ((counts.get(status) ?? 0) === 0 ? [] : [{ status, count: counts.get(status) ?? 0 }])),
    }));
  }
}
