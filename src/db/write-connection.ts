import BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import type { Logger } from 'pino';
import { openPgPool } from './pg-pool.ts';
import { UTC_TIMESTAMP_TYPES } from './sql-values.ts';

/**
 * The connection the history writer owns: status changes are written on it, outside Prisma's
 * interactive transactions (which cost a round trip through Prisma's engine per statement).
 */
export type WriteConnection = SqliteWriteConnection | PostgresWriteConnection;

export interface SqliteWriteConnection {
  readonly provider: 'sqlite';
  readonly database: BetterSqlite3.Database;
  close(): Promise<void>;
}

export interface PostgresWriteConnection {
  readonly provider: 'postgresql';
  /** One connection, so its prepared statements are prepared once. */
  readonly pool: pg.Pool;
  close(): Promise<void>;
}

/**
 * SQLite: a second writable connection on the same file. `timeout: 0`: better-sqlite3 waits for
 * a busy database on the event loop's thread, so a wait here would freeze the process while
 * Prisma's connection holds the write lock across an await of its own; the writer retries a
 * busy database after a turn of the event loop instead (see HistoryWriteRepository).
 */
export function openSqliteWriteConnection(file: string): SqliteWriteConnection {
  const database = new BetterSqlite3(file, { timeout: 0 });
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  return {
    provider: 'sqlite',
    database,
    close: async () => {
      database.close();
    },
  };
}

export function openPostgresWriteConnection(url: string, logger: Logger): PostgresWriteConnection {
  const pool = openPgPool({ connectionString: url, max: 1, types: UTC_TIMESTAMP_TYPES, options: '-c plan_cache_mode=force_generic_plan' }, 'history-writer', logger);
  return { provider: 'postgresql', pool, close: () => pool.end() };
}
