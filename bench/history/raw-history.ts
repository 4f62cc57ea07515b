// The floor: the same answers as the API, by the best plain SQL straight on the database
// (better-sqlite3 on the SQLite file, `pg` on PostgreSQL), and the naive form for reference.
import Database from 'better-sqlite3';
import pg from 'pg';
import { PAGE_SIZE, type StatusCount } from './answers.ts';

export interface RunKey {
  createdAtMs: number;
  id: string;
}

export interface RawRun extends RunKey {
  status: string;
}

export interface HourCell {
  startMs: number;
  status: string;
  count: number;
}

export interface RawHistory {
  /** Each status its own keyset subquery on ("status", "createdAt", "id"), merged: PAGE_SIZE + 1 rows. */
  unionPage(statuses: readonly string[], after: RunKey | null): Promise<RawRun[]>;
  /** `status IN (...)` with the same order and limit. */
  naivePage(statuses: readonly string[], after: RunKey | null): Promise<RawRun[]>;
  statusCounts(createdAfterMs: number | null): Promise<StatusCount[]>;
  /** Runs with from <= createdAt < to, counted by the UTC hour they were created in and their status. */
  hourlyTrend(fromMs: number, toMs: number): Promise<HourCell[]>;
  runCount(): Promise<number>;
  /** The last event seq: it moves whenever any run or step changes. */
  headSeq(): Promise<string>;
  close(): Promise<void>;
}

export interface Dialect {
  param(index: number): string;
  hourOfCreatedAt: string;
}

export const SQLITE: Dialect = {
  param: () => '?',
  // DateTime columns hold unix milliseconds in SQLite.
  hourOfCreatedAt: '"createdAt" - "createdAt" % 3600000',
};

export const POSTGRES: Dialect = {
  param: (index) => `$${index}`,
  // timestamp(3) without time zone, holding UTC.
  hourOfCreatedAt: `date_trunc('hour', "createdAt")`,
};

const COLUMNS = 'id, status, "createdAt"';
const NEWEST_FIRST = 'ORDER BY "createdAt" DESC, id DESC';
const LIMIT = PAGE_SIZE + 1;

function parameters(dialect: Dialect): () => string {
  let index = 0;
  return () => dialect.param((index += 1));
}

export function unionPageSql(dialect: Dialect, statusCount: number, keyed: boolean): string {
  const next = parameters(dialect);
  const perStatus = Array.from({ length: statusCount }, (_, index) => {
    const where = keyed ? `status = ${next()} AND ("createdAt", id) < (${next()}, ${next()})` : `status = ${next()}`;
    // Wrapped, because a member of a compound SELECT may not carry its own ORDER BY and LIMIT in SQLite.
    return `SELECT * FROM (SELECT ${COLUMNS} FROM "Run" WHERE ${where} ${NEWEST_FIRST} LIMIT ${LIMIT}) AS s${index}`;
  });
  return `SELECT ${COLUMNS} FROM (${perStatus.join(' UNION ALL ')}) AS merged ${NEWEST_FIRST} LIMIT ${LIMIT}`;
}

function unionPageValues<T>(statuses: readonly string[], after: RunKey | null, time: (ms: number) => T): (string | T)[] {
  return statuses.flatMap((status) => (after ? [status, time(after.createdAtMs), after.id] : [status]));
}

export function naivePageSql(dialect: Dialect, statusCount: number, keyed: boolean): string {
  const next = parameters(dialect);
  const list = Array.from({ length: statusCount }, next).join(', ');
  const key = keyed ? ` AND ("createdAt", id) < (${next()}, ${next()})` : '';
  return `SELECT ${COLUMNS} FROM "Run" WHERE status IN (${list})${key} ${NEWEST_FIRST} LIMIT ${LIMIT}`;
}

function naivePageValues<T>(statuses: readonly string[], after: RunKey | null, time: (ms: number) => T): (string | T)[] {
  return after ? [...statuses, time(after.createdAtMs), after.id] : [...statuses];
}

function statusCountsSql(dialect: Dialect, since: boolean): string {
  return `SELECT status, COUNT(*) AS count FROM "Run"${since ? ` WHERE "createdAt" >= ${dialect.param(1)}` : ''} GROUP BY status`;
}

function hourlyTrendSql(dialect: Dialect): string {
  return (
    `SELECT ${dialect.hourOfCreatedAt} AS hour, status, COUNT(*) AS count FROM "Run" ` +
    `WHERE "createdAt" >= ${dialect.param(1)} AND "createdAt" < ${dialect.param(2)} GROUP BY hour, status`
  );
}

const RUN_COUNT_SQL = 'SELECT COUNT(*) AS count FROM "Run"';
const HEAD_SEQ_SQL = `SELECT value FROM "EventCounter" WHERE name = 'runEvent'`;

export class SqliteRawHistory implements RawHistory {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement<unknown[], unknown>>();

  constructor(file: string) {
    // Read-only, with default pragmas: on the same footing as the server's own history reader.
    this.db = new Database(file, { readonly: true, fileMustExist: true });
  }

  async unionPage(statuses: readonly string[], after: RunKey | null): Promise<RawRun[]> {
    return this.runs(unionPageSql(SQLITE, statuses.length, after !== null), unionPageValues(statuses, after, (ms) => ms));
  }

  async naivePage(statuses: readonly string[], after: RunKey | null): Promise<RawRun[]> {
    return this.runs(naivePageSql(SQLITE, statuses.length, after !== null), naivePageValues(statuses, after, (ms) => ms));
  }

  async statusCounts(createdAfterMs: number | null): Promise<StatusCount[]> {
    const values = createdAfterMs === null ? [] : [createdAfterMs];
    return this.all<{ status: string; count: number }>(statusCountsSql(SQLITE, createdAfterMs !== null), values);
  }

  async hourlyTrend(fromMs: number, toMs: number): Promise<HourCell[]> {
    const rows = this.all<{ hour: number; status: string; count: number }>(hourlyTrendSql(SQLITE), [fromMs, toMs]);
    return rows.map((row) => ({ startMs: row.hour, status: row.status, count: row.count }));
  }

  async runCount(): Promise<number> {
    return this.all<{ count: number }>(RUN_COUNT_SQL, [])[0]?.count ?? 0;
  }

  async headSeq(): Promise<string> {
    return String(this.all<{ value: number }>(HEAD_SEQ_SQL, [])[0]?.value ?? 0);
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private runs(sql: string, values: unknown[]): RawRun[] {
    const rows = this.all<{ id: string; status: string; createdAt: number }>(sql, values);
    return rows.map((row) => ({ id: row.id, status: row.status, createdAtMs: row.createdAt }));
  }

  private all<Row>(sql: string, values: unknown[]): Row[] {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare<unknown[], unknown>(sql);
      this.statements.set(sql, statement);
    }
    return statement.all(...values) as Row[];
  }
}

export const TIMESTAMP_WITHOUT_TIME_ZONE = 1114;

/** The column holds UTC without an offset; read it as UTC whatever the bench's own time zone. */
export function parseUtcTimestamp(text: string): Date {
  return new Date(`${text.replace(' ', 'T')}Z`);
}

/** A timestamp parameter for a column that holds UTC without an offset. */
export function utcTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '');
}

export class PostgresRawHistory implements RawHistory {
  private readonly client: pg.Client;
  // Named statements: parsed once, as an application would prepare its hot queries.
  private readonly statementNames = new Map<string, string>();

  private constructor(client: pg.Client) {
    this.client = client;
  }

  static async connect(url: string): Promise<PostgresRawHistory> {
    const client = new pg.Client({
      connectionString: url,
      // Per client, not pg.types.setTypeParser: nothing else in the process should change.
      types: { getTypeParser: (oid, format) => (oid === TIMESTAMP_WITHOUT_TIME_ZONE ? parseUtcTimestamp : pg.types.getTypeParser(oid, format)) },
    });
    await client.connect();
    // A generic plan cannot see which status a `status = $1` subquery asks for, and for the rare
    // ones it walks the ("createdAt", "id") index instead of the status index: plan each time.
    await client.query('SET plan_cache_mode = force_custom_plan');
    return new PostgresRawHistory(client);
  }

  async unionPage(statuses: readonly string[], after: RunKey | null): Promise<RawRun[]> {
    return this.runs(unionPageSql(POSTGRES, statuses.length, after !== null), unionPageValues(statuses, after, utcTimestamp));
  }

  async naivePage(statuses: readonly string[], after: RunKey | null): Promise<RawRun[]> {
    return this.runs(naivePageSql(POSTGRES, statuses.length, after !== null), naivePageValues(statuses, after, utcTimestamp));
  }

  async statusCounts(createdAfterMs: number | null): Promise<StatusCount[]> {
    const values = createdAfterMs === null ? [] : [utcTimestamp(createdAfterMs)];
    const rows = await this.all<{ status: string; count: string }>(statusCountsSql(POSTGRES, createdAfterMs !== null), values);
    return rows.map((row) => ({ status: row.status, count: Number(row.count) }));
  }

  async hourlyTrend(fromMs: number, toMs: number): Promise<HourCell[]> {
    const rows = await this.all<{ hour: Date; status: string; count: string }>(hourlyTrendSql(POSTGRES), [utcTimestamp(fromMs), utcTimestamp(toMs)]);
    return rows.map((row) => ({ startMs: row.hour.getTime(), status: row.status, count: Number(row.count) }));
  }

  async runCount(): Promise<number> {
    const [row] = await this.all<{ count: string }>(RUN_COUNT_SQL, []);
    return Number(row?.count ?? 0);
  }

  async headSeq(): Promise<string> {
    const [row] = await this.all<{ value: string }>(HEAD_SEQ_SQL, []);
    return row?.value ?? '0';
  }

  async close(): Promise<void> {
    await this.client.end();
  }

  private async runs(sql: string, values: unknown[]): Promise<RawRun[]> {
    const rows = await this.all<{ id: string; status: string; createdAt: Date }>(sql, values);
    return rows.map((row) => ({ id: row.id, status: row.status, createdAtMs: row.createdAt.getTime() }));
  }

  private async all<Row extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<Row[]> {
    let name = this.statementNames.get(text);
    if (!name) {
      name = `bench_history_${this.statementNames.size + 1}`;
      this.statementNames.set(text, name);
    }
    return (await this.client.query<Row>({ name, text, values })).rows;
  }
}
