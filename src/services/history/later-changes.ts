import type { ReadSession } from '../../db/history-reader.ts';
import { selectsRunApartFromStatus, selectsStatus, type RunSelection } from '../../domain/history/run-selection.ts';
import { statusesAtSnapshot } from '../../domain/history/snapshot-statuses.ts';
import type { RunStatus } from '../../domain/status.ts';
import type { RunEventLogRepository } from '../../repositories/run-event-log.repository.ts';
import type { RunPageRepository } from '../../repositories/run-page.repository.ts';
import type { RunRecord } from '../../repositories/run.repository.ts';

/** Runs changed after a snapshot, and the status each had at it (null: not created yet). */
export interface LaterChanges {
  runs: RunRecord[];
  statusAt: Map<string, RunStatus | null>;
}

export const NO_CHANGES: LaterChanges = { runs: [], statusAt: new Map() };

/** What changed after `snapshot`: answers as of it judge these runs by their status then. */
export async function readLaterChanges(deps: { eventLog: RunEventLogRepository; pages: RunPageRepository }, session: ReadSession, snapshot: bigint): Promise<LaterChanges> {
  const events = await deps.eventLog.eventsAfter(session, snapshot);
  if (events.length === 0) return NO_CHANGES;
  const runs = await deps.pages.runsByIds(session, [...new Set(events.map((event) => event.runId))]);
  const byId = new Map(runs.map((run) => [run.id, run]));
  return { runs, statusAt: statusesAtSnapshot(events, (runId) => byId.get(runId)?.status ?? null) };
}

/** Moves each selected run changed after the snapshot from its status now back to its status then. */
export function reverseLaterChanges(selection: RunSelection, changes: LaterChanges, move: (run: RunRecord, status: RunStatus, delta: number) => void): void {
  for (const run of changes.runs) {
    if (!selectsRunApartFromStatus(selection, run)) continue;
    const now = run.status;
    const then = changes.statusAt.get(run.id) ?? null;
    if (selectsStatus(selection, now)) move(run, now, -1);
    if (then !== null && selectsStatus(selection, then)) move(run, then, 1);
  }
}
