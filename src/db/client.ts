import path from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as SqliteClient } from '../generated/sqlite/client.ts';
import { PrismaClient as PostgresClient } from '../generated/postgres/client.ts';
import type { DatabaseConfig } from '../config.ts';
import { PostgresHistoryReader, SqliteHistoryReader, type HistoryReader } from './history-reader.ts';

/**
 * Both generated clients come from one source schema (prisma/postgres is generated from
 * prisma/schema.prisma), so they expose the same model API; the SQLite one names the type.
 */
export type Db = SqliteClient;
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];
export type DbProvider = DatabaseConfig['provider'];

export interface Database {
  db: Db;
  /** The read side of history queries, on its own connection. */
  reader: HistoryReader;
  provider: DbProvider;
  close(): Promise<void>;
}

export function sqliteFilePath(url: string): string {
  return path.resolve(url.replace(/^file:/, ''));
}

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.provider === 'sqlite') {
    const file = sqliteFilePath(config.url);
    // unixepoch-ms keeps timestamps as integers: compact, and compared numerically in raw SQL.
    const db = new SqliteClient({ adapter: new PrismaBetterSQLite3({ url: file }, { timestampFormat: 'unixepoch-ms' }) });
    await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    await db.$executeRawUnsafe('PRAGMA foreign_keys = ON');
    await db.$executeRawUnsafe('PRAGMA synchronous = NORMAL');
    const reader = new SqliteHistoryReader(file);
    return { db, reader, provider: 'sqlite', close: () => closeBoth(reader, () => db.$disconnect()) };
  }
  const client = new PostgresClient({ adapter: new PrismaPg({ connectionString: config.url, max: 10 }) });
  const db = client as unknown as Db;
  await db.$queryRawUnsafe('SELECT 1');
  const reader = new PostgresHistoryReader(config.url);
  return { db, reader, provider: 'postgresql', close: () => closeBoth(reader, () => client.$disconnect()) };
}

async function closeBoth(reader: HistoryReader, disconnect: () => Promise<void>): Promise<void> {
  await reader.close();
  await disconnect();
}
