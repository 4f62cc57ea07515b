import type { Statement } from 'better-sqlite3';
import { isTerminalRunStatus } from '../domain/status.ts';
import { startOfDay, startOfHour } from '../domain/time-buckets.ts';
import { RUNS_QUEUED_CHANNEL } from '../db/queue-listener.ts';
import { inPostgresWriteTransactionOpenedBy, inSqliteWriteTransaction, type PostgresWriteConnection, type SqliteWriteConnection, type WriteConnection } from '../db/write-connection.ts';
import { executeText, type LiteralValue, type NamedStatement } from '../db/sql-literals.ts';
import { column, postgresText, sqliteValue, type SqlRow } from '../db/sql-values.ts';
import { stepIdRange } from '../domain/history/history-partitions.ts';
import type { RunEventRecord } from './run-event.repository.ts';
import { RUN_EVENT_COUNTER } from './run-event.repository.ts';
import { isRow, POSTGRES_RUN_COLUMNS, runRowOf, stepRowOf } from './raw-rows.ts';
import { runRecordOf, type ClaimedRunRecord } from './run.repository.ts';
import { stepRunRecordOf, type StepRunRecord } from './step-run.repository.ts';

/** Where a run is counted in the rollups: its workflow, trigger and the hour and day of its createdAt. */
export interface BucketKey {
  projectId: string;
  workflowId: string;
  trigger: string;
  hour: Date;
  day: Date;
}

export function bucketKeyOf(run: { projectId: string; workflowId: string; trigger: string; createdAt: Date }): BucketKey {
  return { projectId: run.projectId, workflowId: run.workflowId, trigger: run.trigger, hour: startOfHour(run.createdAt), day: startOfDay(run.createdAt) };
}

export interface StepKey {
  runId: string;
  name: string;
}

export function stepKeyOf(runId: string, name: string): string {
  return `${runId}\u0000${name}`;
}

/** A workflow's cron tick: fired at most once. */
export interface CronTickKey {
  workflowId: string;
  fireAt: Date;
}

export function cronTickKeyOf(tick: CronTickKey): string {
  return `${tick.workflowId}\u0000${tick.fireAt.getTime()}`;
}

/** What a transaction of the writer read, locked until it commits. */
export interface WriteState {
  /** The runs asked for that exist, by id. */
  runs: ReadonlyMap<string, ClaimedRunRecord>;
  /** The steps asked for that exist, by stepKeyOf. */
  steps: ReadonlyMap<string, StepRunRecord>;
  /** The seq of the newest event: the planned events take the next ones, in order. */
  headSeq: bigint;
  /** The cron ticks asked for that fired already, by cronTickKeyOf. */
  firedTicks: ReadonlySet<string>;
}

/** One rollup cell moved by `delta` runs (the same key and status appear once in a transaction). */
export interface BucketMove {
  key: BucketKey;
  status: string;
  delta: number;
}

/** Everything one transaction writes. Each run and step appears once, in its final state. */
export interface HistoryWrites {
  createdRuns: ClaimedRunRecord[];
  createdSteps: StepRunRecord[];
  runUpdates: ClaimedRunRecord[];
  stepUpdates: StepRunRecord[];
  /** Seqs headSeq+1, headSeq+2, … in order. */
  events: RunEventRecord[];
  bucketMoves: BucketMove[];
  /** The cron ticks the created runs were queued for. */
  cronTicks: (CronTickKey & { runId: string })[];
}

export interface WriteReads {
  runIds: readonly string[];
  steps: readonly StepKey[];
  cronTicks: readonly CronTickKey[];
}

/** A plan reads the locked state and says what to write, and what to answer once it committed. */
export type WritePlan<T> = (state: WriteState) => { writes: HistoryWrites; result: T };

export class RollupOutOfStepError extends Error {}

/**
 * The history's write path: one transaction locks the runs it changes and the event counter,
 * lets the caller plan against what it read, and writes events, rows and the three rollups.
 * SQLite runs the whole transaction synchronously (nothing else can interleave on its
 * connection); PostgreSQL sends BEGIN with the reads in one message and the one statement that
 * writes everything with the COMMIT in another, whatever the batch holds: two round trips.
 */
export class HistoryWriteRepository {
  private readonly sqlite: SqliteStatements | null;

  constructor(private readonly deps: { writer: WriteConnection }) {
    this.sqlite = deps.writer.provider === 'sqlite' ? new SqliteStatements(deps.writer) : null;
  }

  transact<T>(reads: WriteReads, plan: WritePlan<T>): Promise<T> {
    const writer = this.deps.writer;
    if (writer.provider === 'sqlite' && this.sqlite) return this.sqlite.transact(reads, plan);
    if (writer.provider === 'postgresql') return transactPostgres(writer, reads, plan);
    throw new Error('The history writer has no connection of its provider');
  }
}

class SqliteStatements {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly writer: SqliteWriteConnection) {}

  transact<T>(reads: WriteReads, plan: WritePlan<T>): Promise<T> {
    return inSqliteWriteTransaction(this.writer, () => this.once(reads, plan));
  }

  private once<T>(reads: WriteReads, plan: WritePlan<T>): T {
    const counter = this.statement(LOCK_COUNTER.replace('$1', '?')).get(RUN_EVENT_COUNTER);
    const runs = new Map<string, ClaimedRunRecord>();
    for (const id of reads.runIds) {
      const row = this.statement(`SELECT * FROM "Run" WHERE id = ?`).get(id);
      if (isRow(row)) runs.set(id, runRecordOf(runRowOf(row)));
    }
    const steps = new Map<string, StepRunRecord>();
    for (const key of reads.steps) {
      const row = this.statement(`SELECT * FROM "StepRun" WHERE "runId" = ? AND name = ?`).get(key.runId, key.name);
      if (isRow(row)) steps.set(stepKeyOf(key.runId, key.name), stepRunRecordOf(stepRowOf(row)));
    }
    const firedTicks = new Set<string>();
    for (const tick of reads.cronTicks) {
      if (isRow(this.statement(`SELECT 1 AS fired FROM "CronTick" WHERE "workflowId" = ? AND "fireAt" = ?`).get(tick.workflowId, tick.fireAt.getTime()))) firedTicks.add(cronTickKeyOf(tick));
    }
    const headSeq = isRow(counter) ? column.bigint(counter, 'value') : 0n;
    const { writes, result } = plan({ runs, steps, headSeq, firedTicks });
    this.write(writes, headSeq, runs);
    return result;
  }

  private write(writes: HistoryWrites, headSeq: bigint, locked: ReadonlyMap<string, ClaimedRunRecord>): void {
    const insertRun = this.statement(`
      INSERT INTO "Run" (id, "projectId", "workflowId", status, trigger, params, "createdAt", "startedAt", "finishedAt", "durationMs", attempt, "retryOfId", "versionId", error, "lastSeq", "parentRunId", "parentStepName")
      VALUES (${placeholders(17)})`);
    for (const run of writes.createdRuns) insertRun.run(...runColumns(run).map(sqliteValue), run.parentRunId, run.parentStepName);
    const insertStep = this.statement(`
      INSERT INTO "StepRun" (id, "runId", name, position, status, "startedAt", "finishedAt", "exitCode", attempt, error, output, pid, "logPath")
      VALUES (${placeholders(13)})`);
    for (const step of writes.createdSteps) insertStep.run(...stepColumns(step).map(sqliteValue));
    const updateRun = this.statement(`
      UPDATE "Run" SET status = ?, "startedAt" = ?, "finishedAt" = ?, "durationMs" = ?, error = ?, "lastSeq" = ?, "leaseOwner" = ?, "leaseExpiresAt" = ? WHERE id = ?`);
    // SQLite rewrites the entries of every index holding a column an UPDATE sets, changed or not:
    // a change that only moves lastSeq (each step's) sets it alone and spares the run's status
    // and lease indexes, 4 of the 11 or so pages a step's change writes.
    const moveRunSeq = this.statement(`UPDATE "Run" SET "lastSeq" = ? WHERE id = ?`);
    for (const run of writes.runUpdates) {
      const before = locked.get(run.id);
      if (before && onlySeqMoved(before, run)) moveRunSeq.run(sqliteValue(run.lastSeq), run.id);
      else updateRun.run(...runStateColumns(run).map(sqliteValue));
    }
    const releaseSlots = this.statement(`DELETE FROM "RunSlot" WHERE "runId" = ?`);
    for (const runId of slotsReleasedBy(writes)) releaseSlots.run(runId);
    const updateStep = this.statement(`
      UPDATE "StepRun" SET status = ?, "startedAt" = ?, "finishedAt" = ?, attempt = ?, "exitCode" = ?, error = ?, "logPath" = ?, output = ?, pid = ? WHERE id = ?`);
    for (const step of writes.stepUpdates) updateStep.run(...stepStateColumns(step).map(sqliteValue));
    const insertEvent = this.statement(`
      INSERT INTO "RunEvent" (seq, "runId", "stepRunId", "projectId", "workflowId", kind, "from", "to", at, message, actor) VALUES (${placeholders(11)})`);
    for (const event of writes.events) insertEvent.run(...eventColumns(event).map(sqliteValue));
    const insertTick = this.statement(`INSERT INTO "CronTick" ("workflowId", "fireAt", "runId") VALUES (?, ?, ?)`);
    for (const tick of writes.cronTicks) insertTick.run(tick.workflowId, tick.fireAt.getTime(), tick.runId);
    for (const move of hourMoves(writes.bucketMoves)) {
      this.checkedCount(`
        INSERT INTO "StatusBucket" ("workflowId", hour, status, trigger, "projectId", count) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT ("workflowId", hour, status, trigger) DO UPDATE SET count = "StatusBucket".count + excluded.count RETURNING count`,
        [move.key.workflowId, move.key.hour.getTime(), move.status, move.key.trigger, move.key.projectId, move.delta],
      );
    }
    for (const move of dayMoves(writes.bucketMoves)) {
      this.checkedCount(`
        INSERT INTO "StatusDayBucket" ("workflowId", day, status, trigger, "projectId", count) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT ("workflowId", day, status, trigger) DO UPDATE SET count = "StatusDayBucket".count + excluded.count RETURNING count`,
        [move.key.workflowId, move.key.day.getTime(), move.status, move.key.trigger, move.key.projectId, move.delta],
      );
    }
    for (const move of projectMoves(writes.bucketMoves)) {
      this.checkedCount(`
        INSERT INTO "StatusProjectBucket" ("projectId", hour, status, count) VALUES (?, ?, ?, ?)
        ON CONFLICT ("projectId", hour, status) DO UPDATE SET count = "StatusProjectBucket".count + excluded.count RETURNING count`,
        [move.projectId, move.hour.getTime(), move.status, move.delta],
      );
    }
    const lastSeq = writes.events.at(-1)?.seq ?? headSeq;
    if (lastSeq !== headSeq) this.statement(`UPDATE "EventCounter" SET value = ? WHERE name = ?`).run(lastSeq, RUN_EVENT_COUNTER);
  }

  private checkedCount(sql: string, values: unknown[]): void {
    const row = this.statement(sql).get(...values);
    if (!isRow(row) || column.integer(row, 'count') < 0) throw new RollupOutOfStepError(`A rollup row fell below zero (${values.join(' ')}): the rollups are out of step`);
  }

  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.writer.database.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

function transactPostgres<T>(writer: PostgresWriteConnection, reads: WriteReads, plan: WritePlan<T>): Promise<T> {
  const runIds = [...new Set(reads.runIds)].sort();
  const stepIds = stepIdRange(reads.steps.map((key) => key.runId));
  // Runs first, in id order, then the counter: every writer and claimer locks in this order.
  // The reads go in BEGIN's message, each statement after the one before it ended, holding its locks.
  const lockRuns = runIds.length === 0 ? [] : [executeText(LOCK_RUNS, [runIds])];
  const lockCounterReadSteps = executeText(LOCK_COUNTER_READ_STEPS, [
    RUN_EVENT_COUNTER,
    reads.steps.map((key) => key.runId),
    reads.steps.map((key) => key.name),
    stepIds.from,
    stepIds.to,
  ]);
  const readTicks = reads.cronTicks.length === 0 ? [] : [executeText(READ_TICKS, columnsOf(reads.cronTicks, (tick) => [tick.workflowId, tick.fireAt], 2))];
  const opening = { prepared: [LOCK_RUNS, LOCK_COUNTER_READ_STEPS, READ_TICKS, WRITE_ALL, INSERT_TICKS], statements: [...lockRuns, lockCounterReadSteps, ...readTicks] };
  const transaction = inPostgresWriteTransactionOpenedBy(writer, opening, async (_, opened) => {
    const [runRows, counterAndSteps, tickRows] = [
      lockRuns.length === 0 ? [] : rowsOf(opened[0]),
      rowsOf(opened[lockRuns.length]),
      readTicks.length === 0 ? [] : rowsOf(opened[lockRuns.length + 1]),
    ];
    const runs = new Map<string, ClaimedRunRecord>(runRows.map((row) => [column.text(row, 'id'), runRecordOf(runRowOf(row))]));
    const steps = new Map<string, StepRunRecord>();
    for (const row of counterAndSteps) {
      if (column.optionalText(row, 'id') === null) continue;
      const step = stepRunRecordOf(stepRowOf(row));
      steps.set(stepKeyOf(step.runId, step.name), step);
    }
    const firedTicks = new Set(tickRows.map((row) => cronTickKeyOf({ workflowId: column.text(row, 'workflowId'), fireAt: column.date(row, 'fireAt') })));
    const [counterRow] = counterAndSteps;
    const headSeq = counterRow ? column.bigint(counterRow, 'headSeq') : 0n;
    const { writes, result } = plan({ runs, steps, headSeq, firedTicks });
    const lastSeq = writes.events.at(-1)?.seq ?? headSeq;
    // The writes go in COMMIT's message: the write fails itself when a rollup falls below zero.
    const insertTicks = writes.cronTicks.length === 0 ? [] : [executeText(INSERT_TICKS, columnsOf(writes.cronTicks, (tick) => [tick.workflowId, tick.fireAt, tick.runId], 3))];
    return { result, closing: [executeText(WRITE_ALL, writeValues(writes, lastSeq)), ...insertTicks] };
  });
  return transaction.catch((error: unknown) => {
    if (isRollupRefusal(error)) throw new RollupOutOfStepError('A rollup row fell below zero: the rollups are out of step');
    throw error;
  });
}

// The write's refusal of a rollup below zero: SQL raises no error of its own choosing, so the
// statement casts this text to an integer, which fails naming it.
const ROLLUP_BELOW_ZERO = 'rollup rows below zero';

function isRollupRefusal(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && 'code' in error && error.code === '22P02' && 'message' in error && typeof error.message === 'string' && error.message.includes(ROLLUP_BELOW_ZERO)
  );
}

/** The rows of one statement's result, each checked to be a row. */
function rowsOf(result: { rows: unknown[] } | undefined): SqlRow[] {
  if (!result) throw new Error('A statement sent after BEGIN gave no result');
  return result.rows.map((row) => {
    if (!isRow(row)) throw new TypeError('A statement sent after BEGIN gave a row that is not an object');
    return row;
  });
}

// The statements are prepared by SQL on the writer's connection and EXECUTEd in BEGIN's and
// COMMIT's messages: their plans kept (planning them at each batch cost what the round trips saved).
const LOCK_RUNS: NamedStatement = { name: 'history_lock_runs', text: `SELECT ${POSTGRES_RUN_COLUMNS} FROM "Run" WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE` };

// The upsert locks the counter row (and makes it on the first write of a database), in one statement on both databases.
const LOCK_COUNTER = `INSERT INTO "EventCounter" (name, value) VALUES ($1, 0)
  ON CONFLICT (name) DO UPDATE SET value = "EventCounter".value RETURNING value`;

// A statement of its own after the counter is locked (its snapshot is taken once the lock is
// held, also in the same message): a tick another writer fired is committed by then.
const READ_TICKS: NamedStatement = {
  name: 'history_read_ticks',
  text: `SELECT t."workflowId", t."fireAt" FROM "CronTick" t JOIN unnest($1::text[], $2::timestamp(3)[]) AS k("workflowId", "fireAt") ON t."workflowId" = k."workflowId" AND t."fireAt" = k."fireAt"`,
};

const INSERT_TICKS: NamedStatement = {
  name: 'history_insert_ticks',
  text: `INSERT INTO "CronTick" ("workflowId", "fireAt", "runId") SELECT * FROM unnest($1::text[], $2::timestamp(3)[], $3::text[])`,
};

// One row per step asked for that exists (a row with the steps' columns null when none does), each with the counter's value.
const LOCK_COUNTER_READ_STEPS: NamedStatement = {
  name: 'history_lock_counter_read_steps',
  text: `WITH counter AS (${LOCK_COUNTER})
  SELECT counter.value AS "headSeq", s.* FROM counter
  LEFT JOIN ("StepRun" s JOIN unnest($2::text[], $3::text[]) AS k("runId", name) ON s."runId" = k."runId" AND s.name = k.name AND s.id >= $4::text AND s.id < $5::text) ON true`,
};

// One statement writes the whole transaction: each part is an unnest of arrays, empty when the
// transaction has nothing of its kind. PostgreSQL runs every data-modifying part whether the
// final SELECT reads it or not, and checks foreign keys at the end of the statement.
const WRITE_ALL: NamedStatement = {
  name: 'history_write',
  text: `
WITH new_runs AS (
  INSERT INTO "Run" (id, "projectId", "workflowId", status, trigger, params, "createdAt", "startedAt", "finishedAt", "durationMs", attempt, "retryOfId", "versionId", error, "lastSeq", "parentRunId", "parentStepName")
  SELECT id, p, w, s, t, params::jsonb, c, st, f, d, a, r, v, e, l, pr, ps
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamp(3)[], $8::timestamp(3)[], $9::timestamp(3)[],
              $10::int[], $11::int[], $12::text[], $13::text[], $14::text[], $15::bigint[], $78::text[], $79::text[]) AS n(id, p, w, s, t, params, c, st, f, d, a, r, v, e, l, pr, ps)
), new_steps AS (
  INSERT INTO "StepRun" (id, "runId", name, position, status, "startedAt", "finishedAt", "exitCode", attempt, error, output, pid, "logPath")
  SELECT * FROM unnest($16::text[], $17::text[], $18::text[], $19::int[], $20::text[], $21::timestamp(3)[], $22::timestamp(3)[], $23::int[], $24::int[],
                       $25::text[], $26::text[], $27::int[], $28::text[])
), run_updates AS (
  UPDATE "Run" AS r SET status = u.s, "startedAt" = u.st, "finishedAt" = u.f, "durationMs" = u.d, error = u.e, "lastSeq" = u.l,
    "leaseOwner" = u.lo, "leaseExpiresAt" = u.le
  FROM unnest($29::text[], $30::timestamp(3)[], $31::timestamp(3)[], $32::int[], $33::text[], $34::bigint[], $35::text[], $36::timestamp(3)[], $37::text[])
    AS u(s, st, f, d, e, l, lo, le, id)
  WHERE r.id = u.id
), step_updates AS (
  UPDATE "StepRun" AS s SET status = u.s, "startedAt" = u.st, "finishedAt" = u.f, attempt = u.a, "exitCode" = u.x, error = u.e, "logPath" = u.lp, output = u.o, pid = u.p
  FROM unnest($38::text[], $39::timestamp(3)[], $40::timestamp(3)[], $41::int[], $42::int[], $43::text[], $44::text[], $45::text[], $46::int[], $47::text[])
    AS u(s, st, f, a, x, e, lp, o, p, id)
  WHERE s.id = u.id
), new_events AS (
  INSERT INTO "RunEvent" (seq, "runId", "stepRunId", "projectId", "workflowId", kind, "from", "to", at, message, actor)
  SELECT * FROM unnest($48::bigint[], $49::text[], $50::text[], $51::text[], $52::text[], $53::text[], $54::text[], $55::text[], $56::timestamp(3)[], $57::text[], $58::text[])
), hourly AS (
  INSERT INTO "StatusBucket" AS b ("workflowId", hour, status, trigger, "projectId", count)
  SELECT * FROM unnest($59::text[], $60::timestamp(3)[], $61::text[], $62::text[], $63::text[], $64::int[])
  ON CONFLICT ("workflowId", hour, status, trigger) DO UPDATE SET count = b.count + excluded.count
  RETURNING count
), daily AS (
  INSERT INTO "StatusDayBucket" AS b ("workflowId", day, status, trigger, "projectId", count)
  SELECT * FROM unnest($65::text[], $66::timestamp(3)[], $67::text[], $68::text[], $69::text[], $70::int[])
  ON CONFLICT ("workflowId", day, status, trigger) DO UPDATE SET count = b.count + excluded.count
  RETURNING count
), by_project AS (
  INSERT INTO "StatusProjectBucket" AS b ("projectId", hour, status, count)
  SELECT * FROM unnest($71::text[], $72::timestamp(3)[], $73::text[], $74::int[])
  ON CONFLICT ("projectId", hour, status) DO UPDATE SET count = b.count + excluded.count
  RETURNING count
), counter AS (
  UPDATE "EventCounter" SET value = $75::bigint WHERE name = $76
), released AS (
  DELETE FROM "RunSlot" WHERE "runId" = ANY($77::text[])
), queued AS (
  -- Delivered at commit to every executor listening: new runs are claimed at once, not at the next poll.
  SELECT pg_notify('${RUNS_QUEUED_CHANNEL}', '') WHERE cardinality($1::text[]) > 0
)
SELECT CASE WHEN checked.negative > 0 THEN ('${ROLLUP_BELOW_ZERO}: ' || checked.negative)::int END AS refused, checked.notified
FROM (SELECT ((SELECT count(*) FROM hourly WHERE count < 0) + (SELECT count(*) FROM daily WHERE count < 0) + (SELECT count(*) FROM by_project WHERE count < 0))::int AS negative,
  (SELECT count(*) FROM queued) AS notified) AS checked`,
};

/** The columns of a table, one array each, in the order of the statement's parameters. */
function columnsOf<T>(rows: readonly T[], columns: (row: T) => unknown[], width: number): (string | null)[][] {
  const arrays: (string | null)[][] = Array.from({ length: width }, () => []);
  for (const row of rows) columns(row).forEach((value, index) => arrays[index]?.push(postgresText(value)));
  return arrays;
}

function writeValues(writes: HistoryWrites, lastSeq: bigint): LiteralValue[] {
  const hourly = hourMoves(writes.bucketMoves);
  const daily = dayMoves(writes.bucketMoves);
  const byProject = projectMoves(writes.bucketMoves);
  return [
    ...columnsOf(writes.createdRuns, runColumns, 15),
    ...columnsOf(writes.createdSteps, stepColumns, 13),
    ...columnsOf(writes.runUpdates, runStateColumns, 9),
    ...columnsOf(writes.stepUpdates, stepStateColumns, 10),
    ...columnsOf(writes.events, eventColumns, 11),
    ...columnsOf(hourly, (move) => [move.key.workflowId, move.key.hour, move.status, move.key.trigger, move.key.projectId, move.delta], 6),
    ...columnsOf(daily, (move) => [move.key.workflowId, move.key.day, move.status, move.key.trigger, move.key.projectId, move.delta], 6),
    ...columnsOf(byProject, (move) => [move.projectId, move.hour, move.status, move.delta], 4),
    lastSeq.toString(),
    RUN_EVENT_COUNTER,
    slotsReleasedBy(writes),
    // The sub-workflow links, last: added after the rest was numbered.
    ...columnsOf(writes.createdRuns, (run) => [run.parentRunId, run.parentStepName], 2),
  ];
}

function runColumns(run: ClaimedRunRecord): unknown[] {
  return [
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
    run.lastSeq,
  ];
}

function runStateColumns(run: ClaimedRunRecord): unknown[] {
  return [run.status, run.startedAt, run.finishedAt, run.durationMs, run.error, run.lastSeq, run.leaseOwner, run.leaseExpiresAt, run.id];
}

/** Whether the full UPDATE of `after` would set the same values as `before` has, but lastSeq. */
function onlySeqMoved(before: ClaimedRunRecord, after: ClaimedRunRecord): boolean {
  const stateBesidesSeq = (run: ClaimedRunRecord) => [run.status, run.startedAt, run.finishedAt, run.durationMs, run.error, run.leaseOwner, run.leaseExpiresAt].map(sqliteValue);
  const was = stateBesidesSeq(before);
  return stateBesidesSeq(after).every((value, index) => value === was[index]);
}

/** A run that ends, or waits for a person, executes nothing: it gives back its places under the limits. */
function slotsReleasedBy(writes: HistoryWrites): string[] {
  return writes.runUpdates.filter((run) => run.status === 'WAITING' || isTerminalRunStatus(run.status)).map((run) => run.id);
}

function stepColumns(step: StepRunRecord): unknown[] {
  return [step.id, step.runId, step.name, step.position, step.status, step.startedAt, step.finishedAt, step.exitCode, step.attempt, step.error, step.output, step.pid, step.logPath];
}

function stepStateColumns(step: StepRunRecord): unknown[] {
  return [step.status, step.startedAt, step.finishedAt, step.attempt, step.exitCode, step.error, step.logPath, step.output, step.pid, step.id];
}

function eventColumns(event: RunEventRecord): unknown[] {
  return [event.seq, event.runId, event.stepRunId, event.projectId, event.workflowId, event.kind, event.from, event.to, event.at, event.message, event.actor];
}

/** The moves summed per cell of each rollup: one statement may touch a row once. */
function hourMoves(moves: readonly BucketMove[]): BucketMove[] {
  return summed(moves, (move) => `${move.key.workflowId}|${move.key.hour.getTime()}|${move.status}|${move.key.trigger}`);
}

function dayMoves(moves: readonly BucketMove[]): BucketMove[] {
  return summed(moves, (move) => `${move.key.workflowId}|${move.key.day.getTime()}|${move.status}|${move.key.trigger}`);
}

function projectMoves(moves: readonly BucketMove[]): { projectId: string; hour: Date; status: string; delta: number }[] {
  return summed(moves, (move) => `${move.key.projectId}|${move.key.hour.getTime()}|${move.status}`).map((move) => ({
    projectId: move.key.projectId,
    hour: move.key.hour,
    status: move.status,
    delta: move.delta,
  }));
}

function summed(moves: readonly BucketMove[], cellOf: (move: BucketMove) => string): BucketMove[] {
  const cells = new Map<string, BucketMove>();
  for (const move of moves) {
    const cell = cellOf(move);
    const known = cells.get(cell);
    cells.set(cell, known ? { ...known, delta: known.delta + move.delta } : move);
  }
  return [...cells.values()].filter((move) => move.delta !== 0);
}

function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}

