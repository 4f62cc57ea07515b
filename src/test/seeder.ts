import type { Database } from '../db/client.ts';
import { HistorySeeder } from '../seed/history-seeder.ts';
import { composeTestServices } from './compose.ts';

/** The history seeder on a test database, saving its workflows through that database's WorkflowService. */
export function seederFor(database: Database): HistorySeeder {
  const services = composeTestServices(database);
  return new HistorySeeder({ db: database.db, writer: database.writer, workflows: services.workflows, partitions: services.partitions });
}

/**
 * The `minutes` before a Wednesday 14:00 UTC in the past: a busy stretch of the seeded rhythm,
 * the same whenever the test runs, that leaves hundreds of runs still going at its end.
 */
export function busyPastStretch(minutes: number, now = Date.now()): { from: Date; to: Date } {
  const day = 24 * 60 * 60 * 1000;
  let at = Math.floor(now / day) * day + 14 * 60 * 60 * 1000;
  while (at > now || new Date(at).getUTCDay() !== 3) at -= day;
  return { from: new Date(at - minutes * 60 * 1000), to: new Date(at) };
}
