import type { Statement } from 'better-sqlite3';
import type pg from 'pg';
import { RUNS_QUEUED_CHANNEL } from '../db/queue-listener.ts';
import { column, postgresValue, sqliteValue, type SqlRow } from '../db/sql-values.ts';
import { inPostgresWriteTransaction, inSqliteWriteTransaction, type SqliteWriteConnection, type WriteConnection } from '../db/write-connection.ts';
import { isRow, POSTGRES_RUN_COLUMNS, runRowOf, stepRowOf } from './raw-rows.ts';
import { runRecordOf, type ClaimedRunRecord } from './run.repository.ts';
import { workflowSlotScope } from './run-slot.repository.ts';
import { stepRunRecordOf, type StepRunRecord } from './step-run.repository.ts';

/** A queued run an executor may claim, and the limit of its workflow (its spec's maxActiveRuns). */
export interface ClaimCandidate {
  id: string;
  workflowId: string;
  workflowLimit: number;
}

export interface ClaimRequest {
  executorId: string;
  now: Date;
  leaseExpiresAt: Date;
  /** How many runs this executor takes at most. */
  want: number;
  /** MAX_ACTIVE_RUNS: runs executing at once over every executor of the database. */
  globalLimit: number;
  /** In the order they should start (arrival). */
  candidates: readonly ClaimCandidate[];
}

/** A run taken over, its steps, and whose claim it was (null: nobody's, a run of a version before claims). */
export interface TakenOverRun {
  run: ClaimedRunRecord;
  steps: StepRunRecord[];
  previousOwner: string | null;
}

export interface TakeoverRequest {
  executorId: string;
  now: Date;
  leaseExpiresAt: Date;
  limit: number;
  /** Where the pass over dead claims stands: null starts it, a page's `next` continues it. */
  after: TakeoverCursor | null;
}

/** The statuses a pass over dead claims goes through, one after the other, each along its (status, createdAt, id) index. */
const TAKEOVER_STATUSES = ['RUNNING', 'WAITING', 'QUEUED'] as const;
type TakeoverStatus = (typeof TAKEOVER_STATUSES)[number];

/** The last run a page looked at: the next page goes on after it. */
export interface TakeoverCursor {
  status: TakeoverStatus;
  createdAt: Date;
  id: string;
}

export interface TakeoverPage {
  taken: TakenOverRun[];
  /** Null once the pass has looked at every run. */
  next: TakeoverCursor | null;
}

// What an ended claim expires at: before any now.
const LONG_AGO = new Date(0);

// A slot taken by another claimer between our look and our insert is skipped; this many looks at most.
const SLOT_ATTEMPTS = 4;

/**
 * Claims on runs, and the places they hold under the limits (RunSlot), on the writer's
 * connection. A claim, a renewal and a takeover each lock the run rows they change (PostgreSQL:
 * FOR UPDATE SKIP LOCKED, so executors never wait for each other's candidates) and bump the
 * run's fencing token whenever its owner changes.
 */
export class RunClaimRepository {
  private readonly sqlite: SqliteClaims | null;

  constructor(private readonly deps: { writer: WriteConnection }) {
    this.sqlite = deps.writer.provider === 'sqlite' ? new SqliteClaims(deps.writer) : null;
  }

  /**
   * Queued runs nobody holds a live claim on, oldest first, after `after`: what executors may
   * claim, a page at a time along the (status, createdAt, id) index. Read on the writer's
   * connection, so an idle executor's look costs no Prisma round trip.
   */
  listClaimable(now: Date, after: { createdAt: Date; id: string } | null, limit: number): Promise<ClaimedRunRecord[]> {
    const [sql, values] = after ? [SQL.claimableAfter, [now, limit, after.createdAt, after.id]] : [SQL.claimable, [now, limit]];
    return this.run(
      (sqlite) => sqlite.rows(sql, values),
      (postgres) => postgres.rows(sql, values),
    );
  }

  /** Claims queued runs in order while a global place, and a place under its workflow's limit, are free. */
  claim(request: ClaimRequest): Promise<ClaimedRunRecord[]> {
    if (request.candidates.length === 0 || request.want <= 0) return Promise.resolve([]);
    return this.run(
      (sqlite) => sqlite.claim(request),
      (postgres) => postgres.claim(request),
    );
  }

  /** Extends the claims this executor still holds; answers the ids it still holds (a run taken over is missing). */
  renew(executorId: string, runIds: readonly string[], leaseExpiresAt: Date): Promise<Set<string>> {
    if (runIds.length === 0) return Promise.resolve(new Set());
    return this.run(
      (sqlite) => sqlite.renew(executorId, runIds, leaseExpiresAt),
      (postgres) => postgres.renew(executorId, runIds, leaseExpiresAt),
    );
  }

  /**
   * Takes over, with new fencing tokens, a page of the unfinished runs whose claim expired (or
   * that nobody claimed while executing), with their steps: keyset pages along the (status,
   * createdAt, id) index, RUNNING runs first, then WAITING, then QUEUED, so a pass reads each
   * active run once however many pages it takes, and never the finished history.
   */
  takeOverExpired(request: TakeoverRequest): Promise<TakeoverPage> {
    return this.run(
      (sqlite) => sqlite.takeOver(request),
      (postgres) => postgres.takeOver(request),
    );
  }

  /**
   * Takes the run from whoever holds it, waiting for a writer that has it locked: the holder's
   * next write, or its next renewal, finds the claim gone. Null when the run does not exist.
   */
  seize(runId: string, executorId: string, leaseExpiresAt: Date): Promise<ClaimedRunRecord | null> {
    return this.run(
      (sqlite) => sqlite.seize(runId, executorId, leaseExpiresAt),
      (postgres) => postgres.seize(runId, executorId, leaseExpiresAt),
    );
  }

  /** The run while this executor holds its claim; null once the claim is another's (taken over, cancelled elsewhere) or the run finished. */
  async findHeld(runId: string, executorId: string): Promise<ClaimedRunRecord | null> {
    const [run] = await this.run(
      (sqlite) => sqlite.rows(SQL.held, [runId, executorId]),
      (postgres) => postgres.rows(SQL.held, [runId, executorId]),
    );
    return run ?? null;
  }

  /**
   * Ends claims known to be dead before they expire: those of an executor's earlier life (it
   * starts again under its name), or on SQLite every claim (the database has one executor).
   */
  expireClaims(of: { executorId: string } | 'every'): Promise<void> {
    const [sql, values] = of === 'every' ? [SQL.expireEvery, [LONG_AGO]] : [SQL.expireOwn, [LONG_AGO, of.executorId]];
    return this.run(
      (sqlite) => void sqlite.execute(sql, values),
      async (postgres) => void (await postgres.execute(sql, values)),
    );
  }

  /** Gives a QUEUED run back to the queue (one claimed but never started, or requeued): any executor may claim it at once. */
  release(runId: string, fence: number): Promise<void> {
    return this.run(
      (sqlite) => sqlite.release(runId, fence),
      (postgres) => postgres.release(runId, fence),
    );
  }

  private run<T>(onSqlite: (sqlite: SqliteClaims) => T, onPostgres: (postgres: PostgresClaims) => Promise<T>): Promise<T> {
    const writer = this.deps.writer;
    const sqlite = this.sqlite;
    if (sqlite) return sqlite.immediate(() => onSqlite(sqlite));
    if (writer.provider === 'postgresql') return inPostgresWriteTransaction(writer, (client) => onPostgres(new PostgresClaims(client)));
    throw new Error('The claims have no connection of their provider');
  }
}

/**
 * A page of the runs of one status whose claim is dead, after ($2, $3): a range of the (status,
 * createdAt, id) index from the cursor to the status's last run, ordered as the index is, which
 * leaves both databases that index alone to read. Written `status = $x`, PostgreSQL's generic plan
 * (the writer's) read the (createdAt, id) index instead and filtered the whole history, expecting
 * the active runs spread over it.
 */
function expiredAfterSql(status: TakeoverStatus): string {
  // Queued under an expired claim; executing with no live claim (or none at all: a run of a version before claims).
  const dead = status === 'QUEUED' ? `"leaseExpiresAt" < $1` : `("leaseExpiresAt" IS NULL OR "leaseExpiresAt" < $1)`;
  return `SELECT id, "leaseOwner", "createdAt" FROM "Run" WHERE (status, "createdAt", id) > ('${status}', $2, $3) AND status <= '${status}' AND ${dead}
    ORDER BY status, "createdAt", id LIMIT $4 FOR UPDATE SKIP LOCKED`;
}

const EXPIRED_AFTER: Readonly<Record<TakeoverStatus, string>> = { RUNNING: expiredAfterSql('RUNNING'), WAITING: expiredAfterSql('WAITING'), QUEUED: expiredAfterSql('QUEUED') };
// Before every run: a pass starts here.
const PASS_START = { createdAt: LONG_AGO, id: '' };

// A sub-workflow run is not the queue's while its parent can still run it (see SubWorkflowRuns);
// one whose parent ended meanwhile (lost, say, with no attempt left) is an ordinary queued run.
const CLAIMABLE = `SELECT ${POSTGRES_RUN_COLUMNS} FROM "Run" r WHERE status = 'QUEUED' AND ("leaseExpiresAt" IS NULL OR "leaseExpiresAt" < $1)
  AND (trigger <> 'SUBDAG' OR NOT EXISTS (SELECT 1 FROM "Run" p WHERE p.id = r."parentRunId" AND p.status IN ('QUEUED', 'RUNNING', 'WAITING')))`;

const SQL = {
  claimable: `${CLAIMABLE} ORDER BY "createdAt", id LIMIT $2`,
  claimableAfter: `${CLAIMABLE} AND ("createdAt" > $3 OR ("createdAt" = $3 AND id > $4)) ORDER BY "createdAt", id LIMIT $2`,
  candidates: `SELECT id FROM "Run" WHERE id = ANY($1::text[]) AND status = 'QUEUED' AND ("leaseExpiresAt" IS NULL OR "leaseExpiresAt" < $2)
    FOR UPDATE SKIP LOCKED`,
  // The first free slot of a scope; ON CONFLICT: another claimer took it meanwhile (then we look again).
  takeSlot: `WITH RECURSIVE numbers(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM numbers WHERE n < $2)
    INSERT INTO "RunSlot" (scope, slot, "runId")
    SELECT $1, n, $3 FROM numbers WHERE NOT EXISTS (SELECT 1 FROM "RunSlot" s WHERE s.scope = $1 AND s.slot = n) LIMIT 1
    ON CONFLICT DO NOTHING RETURNING slot`,
  takenSlots: `SELECT count(*) AS taken FROM "RunSlot" WHERE scope = $1`,
  dropSlots: `DELETE FROM "RunSlot" WHERE "runId" = $1`,
  claimRun: `UPDATE "Run" SET "leaseOwner" = $1, "leaseExpiresAt" = $2, fence = fence + 1 WHERE id = $3 RETURNING ${POSTGRES_RUN_COLUMNS}`,
  renew: `UPDATE "Run" SET "leaseExpiresAt" = $1 WHERE "leaseOwner" = $2 AND id = ANY($3::text[]) RETURNING id`,
  dropSlotsOf: `DELETE FROM "RunSlot" WHERE "runId" = ANY($1::text[])`,
  stepsOf: `SELECT * FROM "StepRun" WHERE "runId" = ANY($1::text[]) ORDER BY "runId", position, id`,
  claimRuns: `UPDATE "Run" SET "leaseOwner" = $1, "leaseExpiresAt" = $2, fence = fence + 1 WHERE id = ANY($3::text[]) RETURNING ${POSTGRES_RUN_COLUMNS}`,
  expireOwn: `UPDATE "Run" SET "leaseExpiresAt" = $1 WHERE "leaseOwner" = $2 AND status IN ('QUEUED', 'RUNNING', 'WAITING')`,
  expireEvery: `UPDATE "Run" SET "leaseExpiresAt" = $1 WHERE "leaseOwner" IS NOT NULL AND status IN ('QUEUED', 'RUNNING', 'WAITING')`,
  held: `SELECT ${POSTGRES_RUN_COLUMNS} FROM "Run" WHERE id = $1 AND "leaseOwner" = $2`,
  lockRun: `SELECT id FROM "Run" WHERE id = $1 FOR UPDATE`,
  release: `UPDATE "Run" SET "leaseOwner" = NULL, "leaseExpiresAt" = NULL WHERE id = $1 AND fence = $2 AND status = 'QUEUED' RETURNING id`,
};

// PostgreSQL only: delivered at commit to every executor listening, as when runs are queued.
const NOTIFY_QUEUED = `SELECT pg_notify('${RUNS_QUEUED_CHANNEL}', '')`;

/** The same statements for SQLite: `?n` placeholders, no row locks (the immediate transaction locks the database), no arrays. */
function forSqlite(sql: string): string {
  return sql
    .replace(/= ANY\(\$(\d+)::text\[\]\)/g, 'IN (SELECT value FROM json_each(?$1))')
    .replace(/\$(\d+)/g, '?$1')
    .replace(/ FOR UPDATE SKIP LOCKED/g, '')
    .replace(/params::text AS params/g, 'params');
}

class SqliteClaims {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly writer: SqliteWriteConnection) {}

  /** SQLite has one writer at a time: the whole change runs synchronously in one immediate transaction. */
  immediate<T>(work: () => T): Promise<T> {
    return inSqliteWriteTransaction(this.writer, work);
  }

  claim(request: ClaimRequest): ClaimedRunRecord[] {
    const open = new Set(
      this.all(SQL.candidates, JSON.stringify(request.candidates.map((candidate) => candidate.id)), request.now).map((row) => String(row.id)),
    );
    return claimInOrder(request, open, {
      takeSlot: (scope, limit, runId) => this.all(SQL.takeSlot, scope, limit, runId).length > 0,
      dropSlots: (runId) => void this.all(SQL.dropSlots, runId),
      claimRun: (runId) => this.one(SQL.claimRun, request.executorId, request.leaseExpiresAt, runId),
    });
  }

  renew(executorId: string, runIds: readonly string[], leaseExpiresAt: Date): Set<string> {
    return new Set(this.all(SQL.renew, leaseExpiresAt, executorId, JSON.stringify(runIds)).map((row) => String(row.id)));
  }

  takeOver(request: TakeoverRequest): TakeoverPage {
    const found: SqlRow[] = [];
    let next: TakeoverCursor | null = null;
    for (const { status, after } of takeoverSteps(request.after)) {
      const want = request.limit - found.length;
      const rows = this.all(EXPIRED_AFTER[status], request.now, after.createdAt, after.id, want);
      found.push(...rows);
      next = pageEnd(status, rows, want);
      if (next) break;
    }
    if (found.length === 0) return { taken: [], next };
    const ids = JSON.stringify(found.map((row) => column.text(row, 'id')));
    this.all(SQL.dropSlotsOf, ids);
    const claimed = this.all(SQL.claimRuns, request.executorId, request.leaseExpiresAt, ids).map((row) => runRecordOf(runRowOf(row)));
    const steps = this.all(SQL.stepsOf, ids).map((row) => stepRunRecordOf(stepRowOf(row)));
    return { taken: takenInOrder(found, claimed, steps), next };
  }

  seize(runId: string, executorId: string, leaseExpiresAt: Date): ClaimedRunRecord | null {
    this.all(SQL.dropSlots, runId);
    const [row] = this.all(SQL.claimRun, executorId, leaseExpiresAt, runId);
    return row ? runRecordOf(runRowOf(row)) : null;
  }

  release(runId: string, fence: number): void {
    this.all(SQL.release, runId, fence);
    this.all(SQL.dropSlots, runId);
  }

  execute(sql: string, values: readonly unknown[]): void {
    this.all(sql, ...values);
  }

  rows(sql: string, values: readonly unknown[]): ClaimedRunRecord[] {
    return this.all(sql, ...values).map((row) => runRecordOf(runRowOf(row)));
  }

  private one(sql: string, ...values: unknown[]): ClaimedRunRecord {
    const [row] = this.all(sql, ...values);
    if (!row) throw new Error(`A claim found no run (${String(values.at(-1))})`);
    return runRecordOf(runRowOf(row));
  }

  private all(sql: string, ...values: unknown[]): SqlRow[] {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.writer.database.prepare(forSqlite(sql));
      this.statements.set(sql, statement);
    }
    // better-sqlite3 binds `?1`, `?2` by name: an object keyed by the numbers.
    const named = Object.fromEntries(values.map((value, index) => [String(index + 1), sqliteValue(value)]));
    const rows: unknown[] = statement.reader ? statement.all(named) : (statement.run(named), []);
    return rows.filter(isRow);
  }
}

class PostgresClaims {
  constructor(private readonly client: pg.PoolClient) {}

  async claim(request: ClaimRequest): Promise<ClaimedRunRecord[]> {
    const open = new Set((await this.all(SQL.candidates, request.candidates.map((candidate) => candidate.id), request.now)).map((row) => String(row.id)));
    // claimInOrder's rules, one awaited statement at a time (SQLite's run synchronously, see SqliteClaims).
    const claimed: ClaimedRunRecord[] = [];
    for (const candidate of request.candidates) {
      if (claimed.length >= request.want) break;
      if (!open.has(candidate.id)) continue;
      if (!(await this.takeSlot('global', request.globalLimit, candidate.id))) break;
      if (!(await this.takeSlot(workflowSlotScope(candidate.workflowId), candidate.workflowLimit, candidate.id))) {
        await this.all(SQL.dropSlots, candidate.id);
        continue;
      }
      claimed.push(await this.one(SQL.claimRun, request.executorId, request.leaseExpiresAt, candidate.id));
    }
    return claimed;
  }

  async renew(executorId: string, runIds: readonly string[], leaseExpiresAt: Date): Promise<Set<string>> {
    return new Set((await this.all(SQL.renew, leaseExpiresAt, executorId, [...runIds])).map((row) => String(row.id)));
  }

  async takeOver(request: TakeoverRequest): Promise<TakeoverPage> {
    const found: SqlRow[] = [];
    let next: TakeoverCursor | null = null;
    for (const { status, after } of takeoverSteps(request.after)) {
      const want = request.limit - found.length;
      const rows = await this.all(EXPIRED_AFTER[status], request.now, after.createdAt, after.id, want);
      found.push(...rows);
      next = pageEnd(status, rows, want);
      if (next) break;
    }
    const ids = found.map((row) => column.text(row, 'id'));
    if (ids.length === 0) return { taken: [], next };
    await this.all(SQL.dropSlotsOf, ids);
    const claimed = (await this.all(SQL.claimRuns, request.executorId, request.leaseExpiresAt, ids)).map((row) => runRecordOf(runRowOf(row)));
    const steps = (await this.all(SQL.stepsOf, ids)).map((row) => stepRunRecordOf(stepRowOf(row)));
    return { taken: takenInOrder(found, claimed, steps), next };
  }

  async seize(runId: string, executorId: string, leaseExpiresAt: Date): Promise<ClaimedRunRecord | null> {
    if ((await this.all(SQL.lockRun, runId)).length === 0) return null;
    await this.all(SQL.dropSlots, runId);
    return this.one(SQL.claimRun, executorId, leaseExpiresAt, runId);
  }

  async release(runId: string, fence: number): Promise<void> {
    const released = await this.all(SQL.release, runId, fence);
    await this.all(SQL.dropSlots, runId);
    if (released.length > 0) await this.all(NOTIFY_QUEUED);
  }

  private async takeSlot(scope: string, limit: number, runId: string): Promise<boolean> {
    for (let attempt = 0; attempt < SLOT_ATTEMPTS; attempt += 1) {
      if ((await this.all(SQL.takeSlot, scope, limit, runId)).length > 0) return true;
      const [count] = await this.all(SQL.takenSlots, scope);
      if (!count || Number(count.taken) >= limit) return false;
    }
    return false;
  }

  async execute(sql: string, values: readonly unknown[]): Promise<void> {
    await this.all(sql, ...values);
  }

  async rows(sql: string, values: readonly unknown[]): Promise<ClaimedRunRecord[]> {
    return (await this.all(sql, ...values)).map((row) => runRecordOf(runRowOf(row)));
  }

  private async one(sql: string, ...values: unknown[]): Promise<ClaimedRunRecord> {
    const [row] = await this.all(sql, ...values);
    if (!row) throw new Error(`A claim found no run (${String(values.at(-1))})`);
    return runRecordOf(runRowOf(row));
  }

  private async all(sql: string, ...values: unknown[]): Promise<SqlRow[]> {
    const result = await this.client.query(sql, values.map((value) => (Array.isArray(value) ? value : postgresValue(value))));
    return result.rows.filter(isRow);
  }
}

/** The statuses a page goes through, from where the cursor stands: the cursor's own after its run, every later one from its start. */
function takeoverSteps(after: TakeoverCursor | null): { status: TakeoverStatus; after: { createdAt: Date; id: string } }[] {
  const from = after ? TAKEOVER_STATUSES.indexOf(after.status) : 0;
  return TAKEOVER_STATUSES.slice(from).map((status, index) => ({ status, after: index === 0 && after ? after : PASS_START }));
}

/** Where the next page starts when these rows filled the page; null when the status has no more. */
function pageEnd(status: TakeoverStatus, rows: readonly SqlRow[], want: number): TakeoverCursor | null {
  const last = rows.at(-1);
  if (rows.length < want || !last) return null;
  return { status, createdAt: column.date(last, 'createdAt'), id: column.text(last, 'id') };
}

/** The claimed runs in the order they were found, each with its steps and whose claim it was. */
function takenInOrder(found: readonly SqlRow[], claimed: readonly ClaimedRunRecord[], steps: readonly StepRunRecord[]): TakenOverRun[] {
  const byId = new Map(claimed.map((run) => [run.id, run]));
  const stepsOf = new Map<string, StepRunRecord[]>();
  for (const step of steps) {
    const ofRun = stepsOf.get(step.runId);
    if (ofRun) ofRun.push(step);
    else stepsOf.set(step.runId, [step]);
  }
  return found.map((row) => {
    const run = byId.get(column.text(row, 'id'));
    if (!run) throw new Error(`A takeover found no run (${column.text(row, 'id')})`);
    return { run, steps: stepsOf.get(run.id) ?? [], previousOwner: column.optionalText(row, 'leaseOwner') };
  });
}

/** Claims candidates in order: a run needs a global place and one under its workflow's limit; no global place left ends the claim. */
function claimInOrder(
  request: ClaimRequest,
  open: ReadonlySet<string>,
  sql: { takeSlot(scope: string, limit: number, runId: string): boolean; dropSlots(runId: string): void; claimRun(runId: string): ClaimedRunRecord },
): ClaimedRunRecord[] {
  const claimed: ClaimedRunRecord[] = [];
  for (const candidate of request.candidates) {
    if (claimed.length >= request.want) break;
    if (!open.has(candidate.id)) continue;
    if (!sql.takeSlot('global', request.globalLimit, candidate.id)) break;
    if (!sql.takeSlot(workflowSlotScope(candidate.workflowId), candidate.workflowLimit, candidate.id)) {
      sql.dropSlots(candidate.id);
      continue;
    }
    claimed.push(sql.claimRun(candidate.id));
  }
  return claimed;
}
