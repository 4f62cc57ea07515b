import type pg from 'pg';
import type { Db, Tx } from '../db/client.ts';
import { inPostgresWriteTransaction, type WriteConnection } from '../db/write-connection.ts';
import { AppError } from '../domain/errors.ts';
import { bucketStart } from '../domain/time-buckets.ts';
import type { SeedRun } from './history-plan.ts';
import {
  columnList,
  DAY_BUCKET_TABLE,
  EVENT_TABLE,
  HOUR_BUCKET_TABLE,
  PROJECT_BUCKET_TABLE,
  RUN_TABLE,
  STEP_TABLE,
  type Cell,
  type ColumnType,
  type Table,
} from './history-tables.ts';
import { loadIntoEmptyTables } from './postgres-bulk-load.ts';
import { copyRows } from './postgres-copy.ts';

const RUN_EVENT_COUNTER = 'runEvent';
/** A few MB of SQL text per statement; larger ones were no faster. */
const SQLITE_ROWS_PER_STATEMENT = 5_000;
const TRANSACTION_TIMEOUT_MS = 10 * 60 * 1000;

/** Rollup rows of one batch: runs counted by workflow, time bucket, status and trigger. */
class RollupRows {
  private readonly counts = new Map<string, Cell[]>();

  add(run: { workflowId: string; projectId: string; status: string; trigger: string }, bucket: number): void {
    const key = `${run.workflowId} ${bucket} ${run.status} ${run.trigger}`;
    const row = this.counts.get(key);
    if (row) row[5] = Number(row[5]) + 1;
    else this.counts.set(key, [run.workflowId, bucket, run.status, run.trigger, run.projectId, 1]);
  }

  rows(): Cell[][] {
    return [...this.counts.values()];
  }
}

/** A run whose events are being numbered; it is written once all of them have a seq. */
export interface PendingRun {
  run: SeedRun;
  numbered: number;
  seqs: number[];
}

export interface CounterMove {
  expected: bigint;
  value: number;
}

export interface WrittenCounts {
  runs: number;
  steps: number;
  events: number;
}

/**
 * Writes planned runs with their steps, events and rollup rows, one transaction per batch (or
 * one in all, see loadInBulk), and keeps the event counter in step: RunRecorderService's
 * invariants, kept in bulk. SQLite gets a few multi-row INSERTs per table (see
 * sqliteInsertSql); PostgreSQL gets the runs, steps and events by COPY on the history writer's
 * connection (see copyRows) and the few rollup rows by an upsert-add (see postgresInsertSql).
 */
export class HistoryWriter {
  /** The connection of a bulk load in progress, whose one transaction every batch joins. */
  private bulkLoad: pg.PoolClient | null = null;

  constructor(private readonly deps: { db: Db; writer: WriteConnection }) {}

  /**
   * On PostgreSQL, when the run, step and event tables are empty: runs `load`, whose writes
   * all join one transaction that builds the secondary indexes and foreign keys only after
   * the rows are in (see loadIntoEmptyTables). Null, having done nothing, otherwise.
   */
  async loadInBulk<T>(load: () => Promise<T>): Promise<{ result: T } | null> {
    const { writer } = this.deps;
    if (writer.provider !== 'postgresql') return null;
    const client = await writer.pool.connect();
    let failed = false;
    this.bulkLoad = client;
    try {
      return await loadIntoEmptyTables(client, load);
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      this.bulkLoad = null;
      // After a failure the connection may be broken: closed rather than pooled again.
      client.release(failed);
    }
  }

  /**
   * The last seq in use. Events above the counter are left by a seeding that failed before its
   * last batch; continuing after them keeps seqs unique, and this seeding moves the counter.
   */
  async readHead(): Promise<{ counter: bigint; seq: number }> {
    const counter = (await this.deps.db.eventCounter.findUnique({ where: { name: RUN_EVENT_COUNTER } }))?.value ?? 0n;
    const maxSeq = (await this.deps.db.runEvent.aggregate({ _max: { seq: true } }))._max.seq ?? 0n;
    const head = maxSeq > counter ? maxSeq : counter;
    if (head > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`The event head ${head} is beyond what the seeder numbers exactly`);
    return { counter, seq: Number(head) };
  }

  /**
   * On PostgreSQL: autovacuum analyzes the grown tables only later; until then the planner,
   * working from the statistics of nearly empty tables, picks plans that take seconds instead of ms.
   */
  async analyze(): Promise<void> {
    if (this.deps.writer.provider !== 'postgresql') return;
    await this.deps.db.$executeRawUnsafe('ANALYZE "Run", "StepRun", "RunEvent", "StatusBucket", "StatusDayBucket", "StatusProjectBucket"');
  }

  /** Writes the runs of a batch, all of whose events are numbered; the last batch moves the counter. */
  async write(batch: readonly PendingRun[], counter: CounterMove | null): Promise<WrittenCounts> {
    const runs: Cell[][] = [];
    const steps: Cell[][] = [];
    const events: Cell[][] = [];
    const hourBuckets = new RollupRows();
    const dayBuckets = new RollupRows();
    const projectBuckets = new Map<string, Cell[]>();
    for (const { run, seqs } of batch) {
      runs.push([
        run.id,
        run.projectId,
        run.workflowId,
        run.status,
        run.trigger,
        run.params === null ? null : JSON.stringify(run.params),
        run.createdAt,
        run.startedAt,
        run.finishedAt,
        run.durationMs,
        run.attempt,
        run.retryOfId,
        run.versionId,
        run.error,
        seqs[seqs.length - 1] ?? null,
      ]);
      run.steps.forEach((step, index) => {
        steps.push([run.stepIds[index] ?? null, run.id, step.name, index, step.status, step.startedAt, step.finishedAt, step.exitCode, step.attempt, step.error]);
      });
      run.events.forEach((event, index) => {
        const stepRunId = event.step === null ? null : (run.stepIds[event.step] ?? null);
        events.push([seqs[index] ?? null, run.id, stepRunId, run.projectId, run.workflowId, event.kind, event.from, event.to, event.at, event.message, event.actor]);
      });
      hourBuckets.add(run, bucketStart(run.createdAt, 'HOUR'));
      dayBuckets.add(run, bucketStart(run.createdAt, 'DAY'));
      const hour = bucketStart(run.createdAt, 'HOUR');
      const projectKey = `${run.projectId} ${hour} ${run.status}`;
      const projectRow = projectBuckets.get(projectKey);
      if (projectRow) projectRow[3] = Number(projectRow[3]) + 1;
      else projectBuckets.set(projectKey, [run.projectId, hour, run.status, 1]);
    }
    // In seq order the RunEvent primary key only grows at its end.
    events.sort((a, b) => Number(a[0]) - Number(b[0]));

    const { writer } = this.deps;
    const rollups = [
      [HOUR_BUCKET_TABLE, hourBuckets.rows()],
      [DAY_BUCKET_TABLE, dayBuckets.rows()],
      [PROJECT_BUCKET_TABLE, [...projectBuckets.values()]],
    ] as const;
    // Runs in creation order: a retry's original is never later in the batch than the retry.
    if (writer.provider === 'postgresql') {
      const work = async (client: pg.PoolClient) => {
        await copyRows(client, RUN_TABLE, runs);
        await copyRows(client, STEP_TABLE, steps);
        await copyRows(client, EVENT_TABLE, events);
        for (const [table, rows] of rollups) if (rows.length > 0) await client.query(postgresInsertSql(table), [JSON.stringify(rows)]);
        if (counter) await moveCounterOnPostgres(client, counter);
      };
      await (this.bulkLoad ? work(this.bulkLoad) : inPostgresWriteTransaction(writer, work));
    } else {
      await this.deps.db.$transaction(
        async (tx) => {
          for (const [table, rows] of [[RUN_TABLE, runs], [STEP_TABLE, steps], [EVENT_TABLE, events], ...rollups] as const) await sqliteInsert(tx, table, rows);
          if (counter) await this.moveCounter(tx, counter);
        },
        { timeout: TRANSACTION_TIMEOUT_MS, maxWait: TRANSACTION_TIMEOUT_MS },
      );
    }
    return { runs: runs.length, steps: steps.length, events: events.length };
  }

  private async moveCounter(tx: Tx, counter: CounterMove): Promise<void> {
    const current = (await tx.eventCounter.findUnique({ where: { name: RUN_EVENT_COUNTER } }))?.value ?? 0n;
    expectCounter(current, counter);
    const value = BigInt(counter.value);
    await tx.eventCounter.upsert({ where: { name: RUN_EVENT_COUNTER }, create: { name: RUN_EVENT_COUNTER, value }, update: { value } });
  }

  /**
   * After a failure the committed batches stay (each is whole and consistent), but their seqs
   * lie above the counter; moving it past them keeps the next recorded transition from
   * colliding with them.
   */
  async moveCounterPastWrittenEvents(): Promise<void> {
    const { db } = this.deps;
    const maxSeq = (await db.runEvent.aggregate({ _max: { seq: true } }))._max.seq ?? 0n;
    const counter = (await db.eventCounter.findUnique({ where: { name: RUN_EVENT_COUNTER } }))?.value ?? 0n;
    if (maxSeq <= counter) return;
    await db.eventCounter.upsert({
      where: { name: RUN_EVENT_COUNTER },
      create: { name: RUN_EVENT_COUNTER, value: maxSeq },
      update: { value: maxSeq },
    });
  }
}

/**
 * Numbers, in (time, run, position in run) order, every pending event not later than the
 * watermark, the next run's createdAt: no run generated later has an event before it, and on
 * a tie such a run sorts after, being later in creation order. Returns the next free seq.
 */
export function numberEvents(pending: readonly PendingRun[], watermark: number, firstSeq: number): number {
  const ready: { entry: PendingRun; index: number; at: number; ordinal: number }[] = [];
  for (const entry of pending) {
    const { events, ordinal } = entry.run;
    for (let index = entry.numbered; index < events.length; index += 1) {
      const at = events[index]?.at ?? Number.POSITIVE_INFINITY;
      if (at > watermark) break;
      ready.push({ entry, index, at, ordinal });
    }
  }
  ready.sort((a, b) => a.at - b.at || a.ordinal - b.ordinal || a.index - b.index);
  let seq = firstSeq;
  for (const { entry, index } of ready) {
    entry.seqs[index] = seq;
    entry.numbered = index + 1;
    seq += 1;
  }
  return seq;
}

async function moveCounterOnPostgres(client: pg.PoolClient, counter: CounterMove): Promise<void> {
  const found = await client.query<{ value: string }>('SELECT "value" FROM "EventCounter" WHERE "name" = $1 FOR UPDATE', [RUN_EVENT_COUNTER]);
  expectCounter(BigInt(found.rows[0]?.value ?? 0), counter);
  await client.query('INSERT INTO "EventCounter" ("name", "value") VALUES ($1, $2) ON CONFLICT ("name") DO UPDATE SET "value" = excluded."value"', [
    RUN_EVENT_COUNTER,
    counter.value,
  ]);
}

function expectCounter(current: bigint, counter: CounterMove): void {
  if (current === counter.expected) return;
  throw new AppError(
    'CONFLICT',
    `Run events were recorded while seeding (the event counter moved from ${counter.expected} to ${current}); seed a database nothing else writes to`,
  );
}

async function sqliteInsert(tx: Tx, table: Table<string>, rows: readonly Cell[][]): Promise<void> {
  for (let offset = 0; offset < rows.length; offset += SQLITE_ROWS_PER_STATEMENT) {
    await tx.$executeRawUnsafe(sqliteInsertSql(table, rows.slice(offset, offset + SQLITE_ROWS_PER_STATEMENT)));
  }
}

/**
 * Through Prisma, every bound value costs a trip through its query compiler, and a JSON
 * parameter has each of its quotes escaped on the way: SQL text with the values written in
 * is the cheapest route to SQLite (measured: 120k against 77k events/s for one JSON
 * parameter and 50k for bound values). The values are the seeder's own, and each is written
 * as a literal of its type; times are unix ms, as the adapter stores them (unixepoch-ms).
 */
function sqliteInsertSql(table: Table<string>, rows: readonly Cell[][]): string {
  const values = rows.map((row) => `(${row.map(sqliteLiteral).join(',')})`).join(',');
  return `INSERT INTO "${table.name}" (${columnList(table)}) VALUES ${values}${onConflict(table, '')}`;
}

const NEEDS_CARE = /['\0]/;

function sqliteLiteral(cell: Cell): string {
  if (cell === null) return 'NULL';
  if (typeof cell === 'number') {
    if (!Number.isSafeInteger(cell)) throw new Error(`The seeder writes whole numbers only, got ${cell}`);
    return String(cell);
  }
  if (!NEEDS_CARE.test(cell)) return `'${cell}'`;
  if (cell.includes('\0')) throw new Error('The seeder cannot write a NUL character');
  return `'${cell.replaceAll("'", "''")}'`;
}

/**
 * The rollup rows of a batch (a few hundred) as `INSERT … SELECT` over one JSON array
 * parameter, which PostgreSQL parses in C; COPY cannot add to the counts of existing rows.
 * Times travel as unix ms and become timestamp(3) in UTC.
 */
function postgresInsertSql(table: Table<string>): string {
  const values = table.columns.map(([, type], index) => postgresValue(type, `item ->> ${index}`)).join(', ');
  return `INSERT INTO "${table.name}" (${columnList(table)}) SELECT ${values} FROM jsonb_array_elements($1::jsonb) AS items(item)${onConflict(table, `"${table.name}".`)}`;
}

function onConflict(table: Table<string>, qualifier: string): string {
  const conflict = table.addOnConflict;
  if (!conflict) return '';
  const key = conflict.key.map((name) => `"${name}"`).join(', ');
  return ` ON CONFLICT (${key}) DO UPDATE SET "${conflict.column}" = ${qualifier}"${conflict.column}" + excluded."${conflict.column}"`;
}

function postgresValue(type: ColumnType, text: string): string {
  switch (type) {
    case 'text':
      return text;
    case 'int':
      return `(${text})::integer`;
    case 'bigint':
      return `(${text})::bigint`;
    case 'json':
      return `(${text})::jsonb`;
    case 'time':
      return `(timestamp '1970-01-01' + (${text})::bigint * interval '1 millisecond')`;
  }
}
