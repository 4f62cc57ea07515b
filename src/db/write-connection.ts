import BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import type { Logger } from 'pino';
import { openPgPool } from './pg-pool.ts';
import { prepareText, type NamedStatement } from './sql-literals.ts';
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
 * busy database after a turn of the event loop instead (inSqliteWriteTransaction).
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

// SQLite is busy while Prisma's connection holds the write lock; these pauses add up to about 8 s.
const SQLITE_BUSY_DELAYS_MS = [0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 4_000];

/**
 * Runs `work` in one immediate (write-locking) transaction of the SQLite writer, synchronously,
 * so nothing else runs on the event loop while it holds the lock; a busy database is tried
 * again after a pause on the event loop.
 */
export async function inSqliteWriteTransaction<T>(writer: SqliteWriteConnection, work: () => T): Promise<T> {
  const transaction = writer.database.transaction(work);
  for (let attempt = 0; ; attempt += 1) {
    try {
      return transaction.immediate();
    } catch (error) {
      const delay = SQLITE_BUSY_DELAYS_MS[attempt];
      if (delay === undefined || !isSqliteBusy(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

// By its code, not by `instanceof Error`: better-sqlite3 registers its error class once per process,
// so in a second module realm (a vm context, a test file) its errors are not that realm's Errors.
function isSqliteBusy(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error.code === 'SQLITE_BUSY' || error.code === 'SQLITE_BUSY_SNAPSHOT');
}

/** Runs `work` in one transaction on the PostgreSQL writer's connection; a connection that broke is dropped, not pooled again. */
export function inPostgresWriteTransaction<T>(writer: PostgresWriteConnection, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return inPostgresWriteTransactionOpenedBy(writer, { prepared: [], statements: [] }, async (client) => ({ result: await work(client), closing: [] }));
}

/** What a transaction sends in BEGIN's message, and the statements they EXECUTE. */
export interface TransactionOpening {
  /** Prepared on the connection before its first transaction that EXECUTEs them (in either message). */
  prepared: readonly NamedStatement[];
  /** Each written complete, its values written in (executeText). */
  statements: readonly string[];
}

/** What `work` answers, and the statements (written complete) sent in COMMIT's message, before it. */
export interface TransactionEnd<T> {
  result: T;
  closing: readonly string[];
}

/**
 * The same, with statements sent in BEGIN's message and in COMMIT's: the simple query protocol
 * runs a message's statements one after the other, each with a snapshot of its own taken when
 * it starts, in one round trip; `work` gets the opening ones' results in order. One that fails
 * skips the rest of its message (the COMMIT too) and leaves the transaction aborted, which the
 * ROLLBACK ends.
 */
export async function inPostgresWriteTransactionOpenedBy<T>(
  writer: PostgresWriteConnection,
  opening: TransactionOpening,
  work: (client: pg.PoolClient, opened: readonly pg.QueryResult[]) => Promise<TransactionEnd<T>>,
): Promise<T> {
  const client = await writer.pool.connect();
  let broken: Error | null = null;
  const onError = (error: Error) => (broken = error);
  client.on('error', onError);
  try {
    try {
      await prepareOnce(client, opening.prepared);
    } catch (error) {
      // Which of the statements a failed message prepared is unknown: the connection is not used again.
      broken = new Error("Preparing the writer's statements failed", { cause: error });
      throw error;
    }
    const [, ...opened] = resultsOf(await client.query(['BEGIN', ...opening.statements].join(';\n')));
    if (opened.length !== opening.statements.length) throw new Error(`${opening.statements.length} statements sent after BEGIN gave ${opened.length} results`);
    const { result, closing } = await work(client, opened);
    await client.query([...closing, 'COMMIT'].join(';\n'));
    return result;
  } catch (error) {
    if (!broken) await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken ?? undefined);
  }
}

// By connection: a connection opened after one broke prepares them again.
const preparedOnConnection = new WeakMap<pg.PoolClient, Set<string>>();

async function prepareOnce(client: pg.PoolClient, statements: readonly NamedStatement[]): Promise<void> {
  const prepared = preparedOnConnection.get(client) ?? new Set<string>();
  preparedOnConnection.set(client, prepared);
  const missing = statements.filter((statement) => !prepared.has(statement.name));
  if (missing.length === 0) return;
  await client.query(missing.map(prepareText).join(';\n'));
  for (const statement of missing) prepared.add(statement.name);
}

// node-postgres answers a message of several statements with an array of results, one a statement.
function resultsOf(answer: pg.QueryResult | pg.QueryResult[]): readonly pg.QueryResult[] {
  return Array.isArray(answer) ? answer : [answer];
}
