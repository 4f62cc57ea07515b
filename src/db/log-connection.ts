import BetterSqlite3, { type Statement } from 'better-sqlite3';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Prisma } from '../generated/sqlite/client.ts';
import type { DbProvider } from './provider.ts';
import { openPgPool } from './pg-pool.ts';
import { postgresValue, sqliteValue, type SqlRow } from './sql-values.ts';

/**
 * Steps' logs, written and read as raw SQL on a connection of their own: through Prisma a MiB of
 * bytes costs 40-90 ms each way (see the README's "Step logs"), on the drivers 2-13 ms; and a
 * chatty step neither queues behind nor holds up the status history's writer and reader.
 */
export interface LogConnection {
  readonly provider: DbProvider;
  /** One statement that changes rows, in a transaction of its own. */
  run(query: Prisma.Sql): Promise<void>;
  all(query: Prisma.Sql): Promise<SqlRow[]>;
  onStatement(listener: ((sql: string) => void) | null): void;
  close(): Promise<void>;
}

// SQLite is busy while another connection holds the write lock; these pauses add up to about 8 s.
const SQLITE_BUSY_DELAYS_MS = [0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 4_000];
const STATEMENT_CACHE_SIZE = 64;

/**
 * SQLite: a connection of its own on the file. `timeout: 0` and pauses between tries, as for the
 * history writer: better-sqlite3 would wait for a busy database on the event loop's thread.
 */
export class SqliteLogConnection implements LogConnection {
  readonly provider = 'sqlite' as const;
  private readonly connection: BetterSqlite3.Database;
  private readonly statements = new Map<string, Statement>();
  private listener: ((sql: string) => void) | null = null;

  constructor(file: string) {
    this.connection = new BetterSqlite3(file, { timeout: 0 });
    this.connection.pragma('journal_mode = WAL');
    this.connection.pragma('synchronous = NORMAL');
    this.connection.pragma('foreign_keys = ON');
  }

  async run(query: Prisma.Sql): Promise<void> {
    await this.whenNotBusy(() => this.prepared(query).run(...query.values.map(sqliteValue)));
  }

  all(query: Prisma.Sql): Promise<SqlRow[]> {
    return this.whenNotBusy(() => this.prepared(query).all(...query.values.map(sqliteValue)) as SqlRow[]);
  }

  onStatement(listener: ((sql: string) => void) | null): void {
    this.listener = listener;
  }

  async close(): Promise<void> {
    this.connection.close();
  }

  private async whenNotBusy<T>(work: () => T): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return work();
      } catch (error) {
        const delay = SQLITE_BUSY_DELAYS_MS[attempt];
        if (delay === undefined || !(error instanceof Error && 'code' in error && (error.code === 'SQLITE_BUSY' || error.code === 'SQLITE_BUSY_SNAPSHOT'))) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private prepared(query: Prisma.Sql): Statement {
    this.listener?.(query.sql);
    let statement = this.statements.get(query.sql);
    if (!statement) {
      if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.clear();
      statement = this.connection.prepare(query.sql);
      this.statements.set(query.sql, statement);
    }
    return statement;
  }
}

/** PostgreSQL: a small pool of its own (bytea travels as it is, in the driver's binary-safe encoding). */
export class PostgresLogConnection implements LogConnection {
  readonly provider = 'postgresql' as const;
  private readonly pool: pg.Pool;
  private listener: ((sql: string) => void) | null = null;

  constructor(url: string, logger: Logger) {
    this.pool = openPgPool({ connectionString: url, max: 2 }, 'step-logs', logger);
  }

  async run(query: Prisma.Sql): Promise<void> {
    await this.all(query);
  }

  async all(query: Prisma.Sql): Promise<SqlRow[]> {
    this.listener?.(query.text);
    return (await this.pool.query(query.text, query.values.map(postgresValue))).rows as SqlRow[];
  }

  onStatement(listener: ((sql: string) => void) | null): void {
    this.listener = listener;
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
