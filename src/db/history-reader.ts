import BetterSqlite3, { type Statement } from 'better-sqlite3';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Prisma } from '../generated/sqlite/client.ts';
import { AppError } from '../domain/errors.ts';
import type { DbProvider } from './provider.ts';
import { isConnectionError, retryOnConnectionError } from './connection-errors.ts';
import { openPgPool } from './pg-pool.ts';
import { encodeRows, tableOf, type EncodedRows, type RowEncoding } from './row-encoding.ts';
import { postgresValue, sqliteValue, UTC_TIMESTAMP_TYPES, type SqlRow } from './sql-values.ts';


/** Statements of one read transaction: each sees the same committed state of the database. */
export interface ReadSession {
  all(query: Prisma.Sql): Promise<SqlRow[]>;
  /** The rows of a statement encoded (row-encoding.ts): by a read thread, where it reads them. */
  encoded(query: Prisma.Sql, encoding: RowEncoding): Promise<EncodedRows>;
}

/**
 * The read side of history queries: raw SQL on a connection of its own, outside Prisma, so
 * that a page costs what its SQL costs and readers never queue behind the engine's writes.
 */
export interface HistoryReader {
  readonly provider: DbProvider;
  /** Read transactions that run at the same time (threads or connections); more wait their turn. */
  readonly sessionsAtOnce: number;
  read<T>(work: (session: ReadSession) => Promise<T>): Promise<T>;
  /** One statement on its own (a statement always sees one committed state): no transaction to open. */
  all(query: Prisma.Sql): Promise<SqlRow[]>;
  encoded(query: Prisma.Sql, encoding: RowEncoding): Promise<EncodedRows>;
  /** Counts statements, for tests that prove a page costs a fixed number of them. */
  onStatement(listener: ((sql: string) => void) | null): void;
  close(): Promise<void>;
}

const STATEMENT_CACHE_SIZE = 256;

/**
 * better-sqlite3 runs each statement on the event loop's thread, and turns queued behind each
 * other would follow in one stretch of microtasks: an operation of a hundred counts would hold
 * health checks and every other request until all were done. After this long, the next turn
 * waits for the event loop to go round once.
 */
const SQLITE_SLICE_MS = 10;

/**
 * SQLite: a read-only connection. A read transaction in WAL mode sees one snapshot while the
 * writer goes on; transactions take turns because the connection is one.
 */
export class SqliteHistoryReader implements HistoryReader {
  readonly provider = 'sqlite' as const;
  readonly sessionsAtOnce = 1;
  private readonly connection: BetterSqlite3.Database;
  private readonly statements = new Map<string, Statement>();
  private turn: Promise<unknown> = Promise.resolve();
  private listener: ((sql: string) => void) | null = null;
  private sliceStart = performance.now();

  constructor(file: string) {
    this.connection = new BetterSqlite3(file, { readonly: true, fileMustExist: true, timeout: 5_000 });
  }

  read<T>(work: (session: ReadSession) => Promise<T>): Promise<T> {
    const result = this.turn.then(() => this.nextTurn()).then(() => this.inTransaction(work));
    this.turn = result.catch(() => undefined);
    return result;
  }

  all(query: Prisma.Sql): Promise<SqlRow[]> {
    const result = this.turn.then(() => this.nextTurn()).then(() => this.run(query));
    this.turn = result.catch(() => undefined);
    return result;
  }

  async encoded(query: Prisma.Sql, encoding: RowEncoding): Promise<EncodedRows> {
    return encodeRows(tableOf(await this.all(query)), encoding);
  }

  onStatement(listener: ((sql: string) => void) | null): void {
    this.listener = listener;
  }

  async close(): Promise<void> {
    await this.turn;
    this.connection.close();
  }

  private async nextTurn(): Promise<void> {
    if (performance.now() - this.sliceStart < SQLITE_SLICE_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.sliceStart = performance.now();
  }

  private async inTransaction<T>(work: (session: ReadSession) => Promise<T>): Promise<T> {
    this.connection.exec('BEGIN');
    try {
      return await work({ all: async (query) => this.run(query), encoded: async (query, encoding) => encodeRows(tableOf(this.run(query)), encoding) });
    } finally {
      this.connection.exec('COMMIT');
    }
  }

  private run(query: Prisma.Sql): SqlRow[] {
    this.listener?.(query.sql);
    return this.prepared(query.sql).all(...query.values.map(sqliteValue)) as SqlRow[];
  }

  private prepared(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.clear();
      statement = this.connection.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

// A read is repeated once on a new connection when its connection broke (a read changes nothing).
const READ_RETRY_DELAYS_MS = [50];

/**
 * PostgreSQL: a small pool of its own; each read is one REPEATABLE READ, READ ONLY transaction.
 * A connection the server ends (pg_terminate_backend, a restart, a network cut) is dropped from
 * the pool and the read that was on it is repeated once on a new one; the error is logged,
 * never left unhandled (node-pg emits it as an 'error' event, which would end the process).
 */
export class PostgresHistoryReader implements HistoryReader {
  readonly provider = 'postgresql' as const;
  private readonly pool: pg.Pool;
  private listener: ((sql: string) => void) | null = null;
  private reads = 0;
  readonly sessionsAtOnce: number;

  constructor(
    url: string,
    private readonly logger: Logger,
    private readonly size: { poolSize: number; queueLimit: number },
  ) {
    this.sessionsAtOnce = size.poolSize;
    this.pool = openPgPool(
      {
        connectionString: url,
        max: size.poolSize,
        types: UTC_TIMESTAMP_TYPES,
      },
      'history-reader',
      logger,
    );
  }

  read<T>(work: (session: ReadSession) => Promise<T>): Promise<T> {
    return this.admitted(() => retryOnConnectionError(() => this.readOnce(work), READ_RETRY_DELAYS_MS, (error) => this.logger.warn({ err: error }, 'db.reader_retry')));
  }

  all(query: Prisma.Sql): Promise<SqlRow[]> {
    return this.admitted(() => retryOnConnectionError(() => this.run(this.pool, query), READ_RETRY_DELAYS_MS, (error) => this.logger.warn({ err: error }, 'db.reader_retry')));
  }

  async encoded(query: Prisma.Sql, encoding: RowEncoding): Promise<EncodedRows> {
    return encodeRows(tableOf(await this.all(query)), encoding);
  }

  // node-pg's pool queues without bound: reads beyond the connections and the queue are refused instead.
  private async admitted<T>(read: () => Promise<T>): Promise<T> {
    const waiting = this.reads - this.size.poolSize;
    if (waiting >= this.size.queueLimit) {
      throw new AppError('RATE_LIMITED', `The server is busy: ${waiting} history reads are waiting; try again shortly`, { waitingReads: waiting });
    }
    this.reads += 1;
    try {
      return await read();
    } finally {
      this.reads -= 1;
    }
  }

  onStatement(listener: ((sql: string) => void) | null): void {
    this.listener = listener;
  }

  close(): Promise<void> {
    return this.pool.end();
  }

  private async readOnce<T>(work: (session: ReadSession) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // Noted to release the client with it: a client released with an error is destroyed, not pooled again.
    let broken: Error | null = null;
    const onError = (error: Error) => (broken = error);
    client.on('error', onError);
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const result = await work({ all: (query) => this.run(client, query), encoded: async (query, encoding) => encodeRows(tableOf(await this.run(client, query)), encoding) });
      await client.query('COMMIT');
      return result;
    } catch (error) {
      if (isConnectionError(error)) broken ??= error instanceof Error ? error : new Error(String(error));
      else await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.off('error', onError);
      // Released with its error, a broken client is destroyed instead of going back to the pool.
      client.release(broken ?? undefined);
    }
  }

  private async run(client: pg.Pool | pg.PoolClient, query: Prisma.Sql): Promise<SqlRow[]> {
    this.listener?.(query.text);
    return (await client.query(query.text, query.values.map(postgresValue))).rows as SqlRow[];
  }
}
