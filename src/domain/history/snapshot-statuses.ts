import type { RunStatus } from '../status.ts';

/** One event committed after a snapshot, as far as a run's status at the snapshot goes. */
export type LaterEvent = { runId: string; kind: 'RUN'; from: RunStatus | null } | { runId: string; kind: 'STEP' };

/**
 * The status each run touched after a snapshot had AT the snapshot, from the events after it
 * in seq order: the `from` of its first RUN event after the snapshot, or null when that event
 * is its creation (the run did not exist yet). Runs whose later events are all STEP events
 * kept their status, so they map to `current`.
 */
export function statusesAtSnapshot(laterEvents: readonly LaterEvent[], current: (runId: string) => RunStatus | null): Map<string, RunStatus | null> {
  const resolved = new Map<string, RunStatus | null>();
  const unresolved = new Set<string>();
  for (const event of laterEvents) {
    if (resolved.has(event.runId)) continue;
    if (event.kind !== 'RUN') {
      unresolved.add(event.runId);
      continue;
    }
    unresolved.delete(event.runId);
    resolved.set(event.runId, event.from);
  }
  for (const runId of unresolved) resolved.set(runId, current(runId));
  return resolved;
}

/** The fields of a run that change with its status. */
export interface RunState {
  status: string;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
  error: string | null;
}

/**
 * A run as it was when it had `status` (its status at a snapshot, before later changes):
 * not finished then, so no end, duration or error; not started when still QUEUED. A status
 * that is still the current one changes nothing, and a finished status never changes later.
 */
export function runAsOf<T extends RunState>(run: T, status: RunStatus): T {
  if (status === run.status) return run;
  return { ...run, status, startedAt: status === 'QUEUED' ? null : run.startedAt, finishedAt: null, durationMs: null, error: null };
}
