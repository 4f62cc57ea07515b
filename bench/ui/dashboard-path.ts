import Database from 'better-sqlite3';
import { BenchFailure } from '../shared/bench-failure.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The dashboard as users open it (the last 24 hours), or the shortest period that holds the
 * newest run when the cached history is older: an empty period draws no charts to wait for.
 */
export function dashboardPath(sqliteFile: string, now: number): { path: string; note: string | null } {
  const db = new Database(sqliteFile, { readonly: true, fileMustExist: true });
  let newest: number;
  try {
    newest = db.prepare<[], { newest: number | null }>('SELECT MAX("createdAt") AS newest FROM "Run"').get()?.newest ?? 0;
  } finally {
    db.close();
  }
  const age = now - newest;
  if (age < DAY_MS) return { path: '/', note: null };
  const period = age < 7 * DAY_MS ? '7d' : age < 30 * DAY_MS ? '30d' : null;
  if (period === null) throw new BenchFailure('the newest seeded run is over 30 days old, so the dashboard has nothing to chart: run again with --reseed');
  return { path: `/?range=${period}`, note: `the newest run is ${(age / DAY_MS).toFixed(1)} days old: the dashboard was measured at /?range=${period}, not /` };
}
