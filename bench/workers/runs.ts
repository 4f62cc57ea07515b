// The runs as the database holds them, read by the bench after (or while) the processes work.
import type pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { TERMINAL_RUN_STATUSES } from '../../src/domain/status.ts';
import { BenchFailure } from '../shared/bench-failure.ts';

export interface RunRow {
  id: string;
  status: string;
  error: string | null;
  leaseOwner: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

const POLL_MS = 250;

const TERMINAL = [...TERMINAL_RUN_STATUSES];

export async function readRuns(sql: pg.Client, ids: readonly string[]): Promise<RunRow[]> {
  const { rows } = await sql.query<RunRow>(
    'SELECT id, status, error, "leaseOwner", "createdAt", "startedAt", "finishedAt" FROM "Run" WHERE id = ANY($1::text[]) ORDER BY "createdAt", id',
    [ids],
  );
  return rows;
}

/** The runs not yet in a terminal status. */
export async function unfinished(sql: pg.Client, ids: readonly string[]): Promise<RunRow[]> {
  const { rows } = await sql.query<RunRow>(
    'SELECT id, status, error, "leaseOwner", "createdAt", "startedAt", "finishedAt" FROM "Run" WHERE id = ANY($1::text[]) AND NOT (status = ANY($2::text[])) ORDER BY "createdAt", id',
    [ids, TERMINAL],
  );
  return rows;
}

/** Waits until every run is terminal, or until none ended for `stallMs`: answers the runs left open (none, or the stalled). */
export async function waitForTerminal(sql: pg.Client, ids: readonly string[], stallMs: number): Promise<RunRow[]> {
  let left = ids.length;
  let progressAt = performance.now();
  for (;;) {
    const rows = await unfinished(sql, ids);
    if (rows.length === 0) return [];
    if (rows.length < left) {
      left = rows.length;
      progressAt = performance.now();
    }
    if (performance.now() - progressAt > stallMs) return rows;
    await sleep(POLL_MS);
  }
}

/** Fails when `ids` did not all end: the first few still open, with status and owner. */
export function assertAllEnded(label: string, left: readonly RunRow[], stallMs: number): void {
  if (left.length === 0) return;
  const sample = left
    .slice(0, 10)
    .map((row) => `${row.id} ${row.status} (lease owner ${row.leaseOwner ?? 'none'})`)
    .join(', ');
  throw new BenchFailure(`${label}: ${left.length} runs did not end (none ended for ${Math.round(stallMs / 1000)} s): ${sample}`);
}
