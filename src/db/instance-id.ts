import { Prisma } from '../generated/sqlite/client.ts';
import type { HistoryReader } from './history-reader.ts';

/**
 * What tells this database apart from any other, including one recreated at the same URL:
 * the id its first migration was recorded under. Shared state in Redis is kept under it, so
 * that a fresh database (whose seqs start again at 1) never meets another's cached answers.
 */
export async function databaseInstanceId(reader: HistoryReader): Promise<string> {
  const [row] = await reader.all(Prisma.sql`SELECT id FROM "_prisma_migrations" ORDER BY started_at, id LIMIT 1`);
  if (!row) throw new Error('The database has no migration history: it must be migrated before it is opened');
  return String(row.id);
}
