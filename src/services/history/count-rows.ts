import type { HistoryReader, ReadSession } from '../../db/history-reader.ts';
import type { RunSelection } from '../../domain/history/run-selection.ts';
import { coverRange, type CoverGrain, type TimeRange } from '../../domain/history/time-cover.ts';
import type { CountRow, RunCountRepository, RunGrain } from '../../repositories/run-count.repository.ts';
import type { RunEventLogRepository } from '../../repositories/run-event-log.repository.ts';
import type { RunPageRepository } from '../../repositories/run-page.repository.ts';
import type { AnswerCache } from '../answer-cache.ts';
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
}

/**
 * Counts at the head of the read transaction: rollups for whole days and hours, runs for
 * the partial edge hours. A search counts its workflows so, and its run-id prefix from runs.
 */
export async function countRowsAtHead(
  counts: RunCountRepository,
  session: ReadSession,
  selection: RunSelection,
  range: TimeRange,
  coarsest: CoverGrain,
  grain: RunGrain | null,
): Promise<CountRow[]> {
  const search = selection.search;
  const byWorkflow: RunSelection = search ? { ...selection, search: null, workflowIds: search.workflowIds } : selection;
  const cover = coverRange(range, coarsest);
  const rows = [
    ...(cover.runs.length > 0 ? await counts.countRuns(session, byWorkflow, cover.runs, grain) : []),
    ...(cover.hours.length > 0 ? await counts.countRollup(session, byWorkflow, 'HOUR', cover.hours, grain !== null) : []),
    ...(cover.days.length > 0 ? await counts.countRollup(session, byWorkflow, 'DAY', cover.days, grain !== null) : []),
  ];
  if (search?.runIdPrefix) rows.push(...(await counts.countRuns(session, selection, [range], grain)));
  return rows;
}
