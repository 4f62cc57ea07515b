import type { HistoryReader, ReadSession } from '../../db/history-reader.ts';
import type { RunSelection } from '../../domain/history/run-selection.ts';
import type { CountScope } from '../../domain/history/status-counts.ts';
import { coverRange, type CoverGrain, type TimeRange } from '../../domain/history/time-cover.ts';
import type { CountRow, RunCountRepository, RunGrain } from '../../repositories/run-count.repository.ts';
import type { RunEventLogRepository } from '../../repositories/run-event-log.repository.ts';
import type { RunPageRepository } from '../../repositories/run-page.repository.ts';
import type { AnswerCache } from '../answer-cache.ts';
import type { ArchiveReadsService, ArchiveView } from '../archive/archive-reads.service.ts';
import type { RunSelectionService } from './run-selection.service.ts';
import type { SnapshotGuard } from './snapshot-guard.service.ts';

/** What an answer counted from rollups reads: the filter's selection, the snapshot, the counts and the changes after it. */
export interface CountingDeps {
  reader: HistoryReader;
  counts: RunCountRepository;
  eventLog: RunEventLogRepository;
  pages: RunPageRepository;
  selections: RunSelectionService;
  snapshots: SnapshotGuard;
  answers: AnswerCache;
  archives: ArchiveReadsService;
}

/**
 * Counts at the head of the read transaction: rollups for whole days and hours, runs for
 * the partial edge hours. A search counts its workflows so, and its run-id prefix from runs.
 * Archived runs are in the rollups, and counted in the archived rollups too: the live ones are
 * the difference; edges and prefixes read the archives that hold them.
 */
export async function countRowsAtHead(
  deps: { counts: RunCountRepository; archives: ArchiveReadsService },
  session: ReadSession,
  selection: RunSelection,
  range: TimeRange,
  coarsest: CoverGrain,
  grain: RunGrain | null,
  scope: CountScope,
  view: ArchiveView,
): Promise<CountRow[]> {
  const { counts, archives } = deps;
  const search = selection.search;
  const byWorkflow: RunSelection = search ? { ...selection, search: null, workflowIds: search.workflowIds } : selection;
  const cover = coverRange(range, coarsest);
  const anyArchived = view.periods.length > 0;
  const rows: CountRow[] = [];
  const rollups = async (archived: boolean) => [
    ...(cover.hours.length > 0 ? await counts.countRollup(session, byWorkflow, 'HOUR', cover.hours, grain !== null, archived) : []),
    ...(cover.days.length > 0 ? await counts.countRollup(session, byWorkflow, 'DAY', cover.days, grain !== null, archived) : []),
  ];
  if (scope !== 'ARCHIVED') {
    if (cover.runs.length > 0) rows.push(...(await counts.countRuns(session, byWorkflow, cover.runs, grain)));
    rows.push(...(await rollups(false)));
    if (search?.runIdPrefix) rows.push(...(await counts.countRuns(session, selection, [range], grain)));
  }
  if (!anyArchived) return rows;
  if (scope === 'LIVE') rows.push(...(await rollups(true)).map((row) => ({ ...row, count: -row.count })));
  if (scope === 'ARCHIVED') rows.push(...(await rollups(true)));
  if (scope !== 'LIVE') {
    if (cover.runs.length > 0) rows.push(...(await archives.countRuns(view, byWorkflow, cover.runs, grain)));
    if (search?.runIdPrefix) rows.push(...(await archives.countRuns(view, selection, [range], grain)));
  }
  return rows;
}
