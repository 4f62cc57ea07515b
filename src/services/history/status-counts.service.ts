import type { Principal } from '../../auth/principal.ts';
import type { ReadSession } from '../../db/history-reader.ts';
import { answerKey } from '../../domain/history/answer-key.ts';
import { createdRange, type RunSelection } from '../../domain/history/run-selection.ts';
import type { CountScope, StatusCountsData } from '../../domain/history/status-counts.ts';
import type { RunFilterSpec } from '../../domain/run-filter.ts';
import { RUN_STATUSES, type RunStatus } from '../../domain/status.ts';
import type { ArchiveView } from '../archive/archive-reads.service.ts';
import { countRowsAtHead, type CountingDeps } from './count-rows.ts';
import { NO_CHANGES, readLaterChanges, reverseLaterChanges, type LaterChanges } from './later-changes.ts';
import { parseSnapshot } from './snapshot-guard.service.ts';

/** Exact counts per status of the runs a filter selects, as of a snapshot: rollups, adjusted back by the changes after it. */
export class StatusCountsService {
  constructor(private readonly deps: CountingDeps) {}

  /** Every run the filter selects, archived or not (includeArchived chooses what pages show, not what is counted here). */
  statusCounts(principal: Principal, filter: RunFilterSpec | null, snapshotArgument: string | null): Promise<StatusCountsData> {
    return this.deps.reader.read(async (session) => {
      const selection = await this.deps.selections.resolve(session, principal, filter);
      const snapshot = await this.deps.snapshots.checked(session, snapshotArgument === null ? null : parseSnapshot(snapshotArgument));
      return this.cachedCounts(session, selection, snapshot, 'ALL');
    });
  }

  /** The counts of an already resolved selection at the head (for pushes of a live subscription), of every run. */
  countsNow(selection: RunSelection): Promise<StatusCountsData> {
    return this.deps.reader.read(async (session) => this.cachedCounts(session, selection, await this.deps.eventLog.head(session), 'ALL'));
  }

  /** The counts of a resolved selection at a snapshot already checked, computed once per snapshot (and archive state, unless of every run). */
  async cachedCounts(session: ReadSession, selection: RunSelection, snapshot: bigint, scope: CountScope): Promise<StatusCountsData> {
    const view = await this.deps.archives.view(session);
    const key = answerKey({ kind: 'counts', selection, snapshot, scope, archiveEpoch: scope === 'ALL' ? null : view.epoch });
    return this.deps.answers.getOrCompute(key, async () =>
      // Archived runs never change after the snapshots an answer may be given at (see SnapshotGuard).
      this.countsAt(session, selection, snapshot, scope === 'ARCHIVED' ? NO_CHANGES : await readLaterChanges(this.deps, session, snapshot), scope, view),
    );
  }

  /** The counts at the head of the session, moved back to `snapshot` by the changes after it. */
  async countsAt(session: ReadSession, selection: RunSelection, snapshot: bigint, changes: LaterChanges, scope: CountScope, view: ArchiveView): Promise<StatusCountsData> {
    const rows = await countRowsAtHead(this.deps, session, selection, createdRange(selection), 'DAY', null, scope, view);
    const counts = new Map<RunStatus, number>();
    for (const row of rows) counts.set(row.status, (counts.get(row.status) ?? 0) + row.count);
    reverseLaterChanges(selection, changes, (_run, status, delta) => counts.set(status, (counts.get(status) ?? 0) + delta));
    const byStatus = (selection.statuses ?? RUN_STATUSES).map((status) => ({ status, count: counts.get(status) ?? 0 }));
    return { total: byStatus.reduce((sum, entry) => sum + entry.count, 0), byStatus, snapshot: snapshot.toString() };
  }
}
