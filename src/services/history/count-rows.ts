import type { ReadSession } from '../../db/history-reader.ts';
import type { RunSelection } from '../../domain/history/run-selection.ts';
import { coverRange, type CoverGrain, type TimeRange } from '../../domain/history/time-cover.ts';
import type { CountRow, RunCountRepository, RunGrain } from '../../repositories/run-count.repository.ts';

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
