import path from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as SqliteClient } from '../generated/sqlite/client.ts';
import { PrismaClient as PostgresClient } from '../generated/postgres/client.ts';
import type { Logger } from 'pino';
import { IN_PROCESS_READS, type DatabaseConfig, type DbProvider, type HistoryReadSettings } from './provider.ts';
import { PostgresHistoryReader, SqliteHistoryReader, type HistoryReader } from './history-reader.ts';
import { openPgPool } from './pg-pool.ts';
import { SqliteReadPool } from './read-thread-pool.ts';
import { NoQueueSignals, PostgresQueueSignals, type QueueSignals } from './queue-listener.ts';
import { openPostgresWriteConnection, openSqliteWriteConnection, type WriteConnection } from './write-connection.ts';
import { PostgresLogConnection, SqliteLogConnection, type LogConnection } from './log-connection.ts';

/**
 * Both generated clients come from one source schema (prisma/postgres is generated from
 * prisma/schema.prisma), so they expose the same model API; the SQLite one names the type.
 * Every client emits query events (see QUERY_EVENTS).
 */
export type Db = SqliteClient<'query'>;
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

export interface Database {
  db: Db;
  /** The read side of history queries, on its own connection. */
  reader: HistoryReader;
  /** The write side of status history, on its own connection. */
  writer: WriteConnection;
  /** Steps' logs, on their own connection. */
  logs: LogConnection;
  /** Tells this process's executor that another process queued runs. */
  queueSignals: QueueSignals;
  provider: DbProvider;
  /**
   * Calls `listener` with the SQL of every statement sent on the database's connections, Prisma's,
   * the history reader's and the logs'; null stops. For tests that count what a request costs.
   */
  onStatement(listener: StatementListener | null): void;
  close(): Promise<void>;
}

export type StatementListener = (sql: string) => void;

// Prisma emits query events only when asked at construction, so they are always on. Unheard,
// an event costs its parameters as JSON: under a microsecond for a typical statement, next to
// the hundreds the statement itself costs.
const QUERY_EVENTS = [{ emit: 'event', level: 'query' }] as const;

export function sqliteFilePath(url: string): string {
  return path.resolve(url.replace(/^file:/, ''));
}

export async function openDatabase(config: DatabaseConfig, logger: Logger, reads: HistoryReadSettings = IN_PROCESS_READS): Promise<Database> {
  if (config.provider === 'sqlite') {
    const file = sqliteFilePath(config.url);
    // unixepoch-ms keeps timestamps as integers: compact, and compared numerically in raw SQL.
    const db = new SqliteClient({ adapter: new PrismaBetterSQLite3({ url: file }, { timestampFormat: 'unixepoch-ms' }), log: [...QUERY_EVENTS] });
    await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    await db.$executeRawUnsafe('PRAGMA foreign_keys = ON');
    await db.$executeRawUnsafe('PRAGMA synchronous = NORMAL');
    const reader = reads.threads > 0 ? await SqliteReadPool.open(file, { threads: reads.threads, queueLimit: reads.queueLimit }, logger) : new SqliteHistoryReader(file);
    const connections = { reader, writer: openSqliteWriteConnection(file), logs: new SqliteLogConnection(file), queueSignals: new NoQueueSignals() };
    return assembled('sqlite', db, connections, () => db.$disconnect());
  }
  const pool = openPgPool({ connectionString: config.url, max: 10 }, 'prisma', logger);
  const client = new PostgresClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }), log: [...QUERY_EVENTS] });
  const db = client as unknown as Db;
  await db.$queryRawUnsafe('SELECT 1');
  const connections = {
    reader: new PostgresHistoryReader(config.url, logger, { poolSize: reads.pgPoolSize, queueLimit: reads.queueLimit }),
    writer: openPostgresWriteConnection(config.url, logger),
    logs: new PostgresLogConnection(config.url, logger),
    queueSignals: new PostgresQueueSignals(config.url, logger),
  };
  return assembled('postgresql', db, connections, () => client.$disconnect());
}

/** A Database over Prisma's client and the connections of its own; closing closes each, then Prisma. */
function assembled(
  provider: DbProvider,
  db: Db,
  connections: Pick<Database, 'reader' | 'writer' | 'logs' | 'queueSignals'>,
  disconnect: () => Promise<void>,
): Database {
  const { reader, writer, logs, queueSignals } = connections;
  return { db, ...connections, provider, onStatement: statementTap(db, reader, logs), close: () => closeAll([reader, writer, logs, queueSignals], disconnect) };
}

/** One statement listener at a time over a client of openDatabase, a history reader and a log connection: what Database.onStatement does. */
function statementTap(db: Db, reader: HistoryReader, logs: LogConnection): (listener: StatementListener | null) => void {
  let current: StatementListener | null = null;
  db.$on('query', (event) => current?.(event.query));
  return (listener) => {
    current = listener;
    reader.onStatement(listener);
    logs.onStatement(listener);
  };
}

async function closeAll(connections: readonly { close(): Promise<void> }[], disconnect: () => Promise<void>): Promise<void> {
  for (const connection of connections) await connection.close();
  await disconnect();
}
