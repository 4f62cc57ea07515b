import type { Principal } from '../../auth/principal.ts';
import type { ReadSession } from '../../db/history-reader.ts';
import { answerKey } from '../../domain/history/answer-key.ts';
import { createdRange, type RunSelection } from '../../domain/history/run-selection.ts';
import type { StatusCountsData } from '../../domain/history/status-counts.ts';
import type { RunFilterSpec } from '../../domain/run-filter.ts';
import { RUN_STATUSES, type RunStatus } from '../../domain/status.ts';
import { countRowsAtHead, type CountingDeps } from './count-rows.ts';
import { readLaterChanges, reverseLaterChanges, type LaterChanges } from './later-changes.ts';
import { parseSnapshot } from './snapshot-guard.service.ts';

/** Exact counts per status of the runs a filter selects, as of a snapshot: rollups, adjusted back by the changes after it. */
export class StatusCountsService {
  constructor(private readonly deps: CountingDeps) {}

  statusCounts(principal: Principal, filter: RunFilterSpec | null, snapshotArgument: string | null): Promise<StatusCountsData> {
    return this.deps.reader.read(async (session) => {
      const selection = await this.deps.selections.resolve(session, principal, filter);
      const snapshot = await this.deps.snapshots.checked(session, snapshotArgument === null ? null : parseSnapshot(snapshotArgument));
      return this.cachedCounts(session, selection, snapshot);
    });
  }

  /** The counts of an already resolved selection at the head (for pushes of a live subscription). */
  countsNow(selection: RunSelection): Promise<StatusCountsData> {
    return this.deps.reader.read(async (session) => this.cachedCounts(session, selection, await this.deps.eventLog.head(session)));
  }

  /** The counts of a resolved selection at a snapshot already checked, computed once per snapshot. */
  cachedCounts(session: ReadSession, selection: RunSelection, snapshot: bigint): Promise<StatusCountsData> {
    return this.deps.answers.getOrCompute(answerKey({ kind: 'counts', selection, snapshot }), async () =>
      this.countsAt(session, selection, snapshot, await readLaterChanges(this.deps, session, snapshot)),
    );
  }

  /** The counts at the head of the session, moved back to `snapshot` by the changes after it. */
  async countsAt(session: ReadSession, selection: RunSelection, snapshot: bigint, changes: LaterChanges): Promise<StatusCountsData> {
    const rows = await countRowsAtHead(this.deps.counts, session, selection, createdRange(selection), 'DAY', null);
    const counts = new Map<RunStatus, number>();
    for (const row of rows) counts.set(row.status, (counts.get(row.status) ?? 0) + row.count);
    reverseLaterChanges(selection, changes, (_run, status, delta) => counts.set(status, (counts.get(status) ?? 0) + delta));
    const byStatus = (selection.statuses ?? RUN_STATUSES).map((status) => ({ status, count: counts.get(status) ?? 0 }));
    return { total: byStatus.reduce((sum, entry) => sum + entry.count, 0), byStatus, snapshot: snapshot.toString() };
  }
}
