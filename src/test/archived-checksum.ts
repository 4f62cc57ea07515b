import type { Services } from '../composition.ts';
import { DAY, HOUR, randomQuestion, randomSource, type KnownRun } from './history-oracle.ts';

/**
 * Counts and trends over random ranges and filters (a fixed random sequence), at the head, of a
 * history seeded over `seededDays` up to `now`: what archival must leave as it was, on either database.
 */
export async function archivalChecksum(services: Services, runs: readonly KnownRun[], head: bigint, now: number, seededDays: number): Promise<string> {
  const random = randomSource(99);
  const answers: unknown[] = [];
  for (let index = 0; index < 25; index += 1) {
    const { principal, filter } = randomQuestion(random, runs, { now, seededDays, createdBeforeSpanMs: 30 * DAY, oldest: head, head, askArchived: true });
    answers.push(await services.history.statusCounts(principal, filter, null));
    const bucket = random.pick(['MINUTE', 'HOUR', 'DAY', 'WEEK'] as const);
    const span = bucket === 'MINUTE' ? 3 * HOUR : seededDays * DAY;
    const from = now - random.int(HOUR, span);
    answers.push(await services.history.statusTrend(principal, filter, { bucket, from: new Date(from), to: new Date(from + random.int(HOUR, span)) }, null));
  }
  return JSON.stringify(answers);
}
