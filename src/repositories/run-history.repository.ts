import type { DbProvider } from '../db/provider.ts';
import type { ReadSession } from '../db/history-reader.ts';
import { sqlDate, type SqlRow } from '../db/sql-values.ts';
import { createdRange, type RunIdPrefix, type RunSelection } from '../domain/history/run-selection.ts';
import type { LaterEvent } from '../domain/history/snapshot-statuses.ts';
import type { TimeRange } from '../domain/history/time-cover.ts';
import { runStatusOf, type RunStatus } from '../domain/status.ts';
import { Prisma } from '../generated/sqlite/client.ts';
import type { RunEventMessage } from '../domain/run-event-message.ts';
import { RUN_EVENT_COUNTER } from './run-event.repository.ts';
import type { RunRecord } from './run.repository.ts';

export interface WorkflowName {
  id: string;
  projectId: string;
  name: string;
}

/** Where a page starts: after (DESC) or before (ASC) this (createdAt, id). */
export interface PagePosition {
  createdAt: number;
  id: string;
}

export type PageDirection = 'DESC' | 'ASC';

/** Runs counted per status, and per time when counted for a trend (time: unix ms or null). */
export interface CountRow {
  time: number | null;
  status: RunStatus;
  count: number;
}

export type RunGrain = 'MINUTE' | 'HOUR';

/**
 * One index range of a page: the runs of one workflow or project and status, read in
 * (createdAt, id) order. A multi-status page is a merge of such ranges, each reading at most
 * a page of rows, where `status IN (...)` would read and sort every matching run.
 */
interface ScanUnit {
  projectId?: string;
  workflowId?: string;
  status?: RunStatus;
  idPrefix?: RunIdPrefix;
}

// Beyond this many ranges a page merges fewer, wider ones and filters the rest row by row.
const MAX_SCAN_UNITS = 64;
const IDS_PER_STATEMENT = 500;

/** What the database can judge of a subscription filter itself: null means any. */
export interface EventNarrowing {
  statuses: readonly RunStatus[] | null;
  projectIds: readonly string[] | null;
}

const NO_NARROWING: EventNarrowing = { statuses: null, projectIds: null };
const RUN_COLUMNS = Prisma.raw(
  'id, "projectId", "workflowId", status, trigger, params, "createdAt", "startedAt", "finishedAt", "durationMs", attempt, "retryOfId", "versionId", error, "lastSeq"',
);

/** The SQL of history queries, for both databases, run through a HistoryReader session. */
export class RunHistoryRepository {
  constructor(private readonly deps: { provider: DbProvider }) {}

  async head(session: ReadSession): Promise<bigint> {
    const [row] = await session.all(Prisma.sql`SELECT value FROM "EventCounter" WHERE name = ${RUN_EVENT_COUNTER}`);
    return row ? BigInt(String(row.value)) : 0n;
  }

  /** When the first change after `seq` was made, or null when nothing changed since. */
  async firstChangeAfter(session: ReadSession, seq: bigint): Promise<Date | null> {
    const [row] = await session.all(Prisma.sql`SELECT at FROM "RunEvent" WHERE seq > ${seq} ORDER BY seq LIMIT 1`);
    return row ? sqlDate(row.at) : null;
  }

  async eventsAfter(session: ReadSession, seq: bigint): Promise<LaterEvent[]> {
    const rows = await session.all(Prisma.sql`SELECT "runId", kind, "from" FROM "RunEvent" WHERE seq > ${seq} ORDER BY seq`);
    return rows.map((row): LaterEvent => {
      const runId = String(row.runId);
      if (row.kind === 'STEP') return { runId, kind: 'STEP' };
      if (row.kind !== 'RUN') throw new Error(`Unknown event kind "${String(row.kind)}" in an event of run ${runId}`);
      return { runId, kind: 'RUN', from: row.from === null ? null : runStatusOf(String(row.from), `an event of run ${runId}`) };
    });
  }

  /**
   * Events with after < seq <= through (at most `limit`), as the bus carries them, in seq order;
   * with `only`, just the RUN events into one of its statuses and the events of its projects.
   * A status filter reads one range of the (kind, to, seq) index per status, merged by seq, so
   * it costs the events it returns, not the events it skips.
   */
  async eventMessagesAfter(session: ReadSession, after: bigint, through: bigint, limit: number, only: EventNarrowing = NO_NARROWING): Promise<RunEventMessage[]> {
    if (only.projectIds !== null && only.projectIds.length === 0) return [];
    const columns = Prisma.sql`e.seq, e."runId", e."stepRunId", e."projectId", e."workflowId", e.kind, e."from", e."to", e.at, e.message, e.actor, r.trigger, r."createdAt"`;
    const inProjects = (alias: string) => (only.projectIds === null ? Prisma.empty : Prisma.sql` AND ${Prisma.raw(alias)}"projectId" IN (${Prisma.join(only.projectIds)})`);
    const rows =
      only.statuses === null
        ? await session.all(Prisma.sql`
            SELECT ${columns} FROM "RunEvent" e JOIN "Run" r ON r.id = e."runId"
            WHERE e.seq > ${after} AND e.seq <= ${through}${inProjects('e.')} ORDER BY e.seq LIMIT ${limit}`)
        : await session.all(Prisma.sql`
            SELECT ${columns}
            FROM (${Prisma.join(
              only.statuses.map(
                (status) => Prisma.sql`SELECT * FROM (SELECT seq FROM "RunEvent" WHERE kind = 'RUN' AND "to" = ${status} AND seq > ${after} AND seq <= ${through}${inProjects('')} ORDER BY seq LIMIT ${limit}) AS of_status`,
              ),
              ' UNION ALL ',
            )}) AS picked JOIN "RunEvent" e ON e.seq = picked.seq JOIN "Run" r ON r.id = e."runId"
            ORDER BY e.seq LIMIT ${limit}`);
    return rows.map((row) => ({
      seq: String(row.seq),
      at: sqlDate(row.at).toISOString(),
      kind: row.kind === 'STEP' ? 'STEP' : 'RUN',
      runId: String(row.runId),
      stepRunId: row.stepRunId === null ? null : String(row.stepRunId),
      projectId: String(row.projectId),
      workflowId: String(row.workflowId),
      from: row.from === null ? null : String(row.from),
      to: String(row.to),
      message: row.message === null ? null : String(row.message),
      actor: row.actor === null ? null : String(row.actor),
      trigger: String(row.trigger),
      runCreatedAt: sqlDate(row.createdAt).toISOString(),
    }));
  }

  /** The lowest seq still in the event log (0 when it is empty). */
  async oldestSeq(session: ReadSession): Promise<bigint> {
    const [row] = await session.all(Prisma.sql`SELECT MIN(seq) AS seq FROM "RunEvent"`);
    return row && row.seq !== null ? BigInt(String(row.seq)) : 0n;
  }

  async runsByIds(session: ReadSession, ids: readonly string[]): Promise<RunRecord[]> {
    const runs: RunRecord[] = [];
    for (let offset = 0; offset < ids.length; offset += IDS_PER_STATEMENT) {
      const chunk = ids.slice(offset, offset + IDS_PER_STATEMENT);
      const rows = await session.all(Prisma.sql`SELECT ${RUN_COLUMNS} FROM "Run" WHERE id IN (${Prisma.join(chunk)})`);
      runs.push(...rows.map((row) => this.toRun(row)));
    }
    return runs;
  }

  /** The latest `count` runs of each workflow, newest first: one statement for a whole page of workflows. */
  async latestRunsOfWorkflows(session: ReadSession, workflowIds: readonly string[], count: number): Promise<RunRecord[]> {
    if (workflowIds.length === 0) return [];
    const perWorkflow = workflowIds.map(
      (id) => Prisma.sql`SELECT * FROM (SELECT ${RUN_COLUMNS} FROM "Run" WHERE "workflowId" = ${id} ORDER BY "createdAt" DESC, id DESC LIMIT ${count}) AS latest`,
    );
    return (await session.all(Prisma.join(perWorkflow, ' UNION ALL '))).map((row) => this.toRun(row));
  }

  async existingProjectIds(session: ReadSession, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await session.all(Prisma.sql`SELECT id FROM "Project" WHERE id IN (${Prisma.join(ids)})`);
    return new Set(rows.map((row) => String(row.id)));
  }

  /** Workflows (deleted ones too: their history stays) of these projects, or of all when null. */
  async workflowsOf(session: ReadSession, projectIds: readonly string[] | null): Promise<WorkflowName[]> {
    if (projectIds !== null && projectIds.length === 0) return [];
    const where = projectIds === null ? Prisma.empty : Prisma.sql`WHERE "projectId" IN (${Prisma.join(projectIds)})`;
    return workflowNames(await session.all(Prisma.sql`SELECT id, "projectId", name FROM "Workflow" ${where}`));
  }

  async workflowsByIds(session: ReadSession, ids: readonly string[]): Promise<WorkflowName[]> {
    if (ids.length === 0) return [];
    return workflowNames(await session.all(Prisma.sql`SELECT id, "projectId", name FROM "Workflow" WHERE id IN (${Prisma.join(ids)})`));
  }

  /**
   * Up to `limit` selected runs from `position` on in `direction`, and the head seq they were
   * read at (one statement: one consistent state). Given a snapshot, only runs unchanged since
   * it (lastSeq <= snapshot); runs changed later are judged separately, by their status then.
   */
  async pageOfUnchanged(
    session: ReadSession,
    selection: RunSelection,
    snapshot: bigint | null,
    position: PagePosition | null,
    direction: PageDirection,
    limit: number,
  ): Promise<{ runs: RunRecord[]; head: bigint }> {
    const units = scanUnitsOf(selection);
    if (units.length === 0) return { runs: [], head: await this.head(session) };
    const order = direction === 'DESC' ? Prisma.raw('"createdAt" DESC, id DESC') : Prisma.raw('"createdAt" ASC, id ASC');
    const after = position === null ? null : direction === 'DESC' ? Prisma.raw('<') : Prisma.raw('>');
    const ranges = units.map((unit) => {
      const conditions = unitConditions(selection, unit);
      if (snapshot !== null) conditions.push(Prisma.sql`"lastSeq" <= ${snapshot}`);
      if (position !== null && after !== null) conditions.push(Prisma.sql`("createdAt", id) ${after} (${new Date(position.createdAt)}, ${position.id})`);
      return Prisma.sql`SELECT ${RUN_COLUMNS} FROM "Run" WHERE ${Prisma.join(conditions, ' AND ')} ORDER BY ${order} LIMIT ${limit}`;
    });
    const [single] = ranges;
    const page =
      ranges.length === 1 && single
        ? single
        : Prisma.sql`${Prisma.join(
            ranges.map((range, index) => Prisma.sql`SELECT * FROM (${range}) AS ${Prisma.raw(`unit${index}`)}`),
            ' UNION ALL ',
          )} ORDER BY ${order} LIMIT ${limit}`;
    // The head rides along as a column; the outer join keeps it when the page is empty.
    const pageOrder = direction === 'DESC' ? Prisma.raw('p."createdAt" DESC, p.id DESC') : Prisma.raw('p."createdAt" ASC, p.id ASC');
    const rows = await session.all(Prisma.sql`
      SELECT h.value AS "headSeq", p.* FROM (SELECT value FROM "EventCounter" WHERE name = ${RUN_EVENT_COUNTER}) AS h
      LEFT JOIN (${page}) AS p ON 1 = 1 ORDER BY ${pageOrder}`);
    const [first] = rows;
    return {
      runs: rows.filter((row) => row.id !== null && row.id !== undefined).map((row) => this.toRun(row)),
      head: first ? BigInt(String(first.headSeq)) : 0n,
    };
  }

  /**
   * Selected runs created in `ranges`, counted per status (and per `grain` of createdAt when
   * given), read from the runs themselves: the edges of a range, and what rollups cannot serve
   * (a run-id search, minutes).
   */
  async countRuns(session: ReadSession, selection: RunSelection, ranges: readonly TimeRange[], grain: RunGrain | null): Promise<CountRow[]> {
    const time = grain === null ? Prisma.raw('NULL') : this.truncated('"createdAt"', grain);
    const prefix = selection.search?.runIdPrefix;
    const units: ScanUnit[] = selection.search ? [{ idPrefix: prefix ?? undefined }] : [{}];
    const parts = ranges.flatMap((range) =>
      units.map((unit) => {
        const conditions = [...unitConditions(selection, unit), ...rangeConditions('"createdAt"', range)];
        return Prisma.sql`SELECT ${time} AS t, status, COUNT(*) AS n FROM "Run" WHERE ${Prisma.join(conditions, ' AND ')} GROUP BY ${groupBy(grain === null ? null : time)}`;
      }),
    );
    return this.countRows(session, parts);
  }

  /** Selected runs counted from the hourly or daily rollup over bucket-aligned `ranges`. */
  async countRollup(session: ReadSession, selection: RunSelection, table: 'HOUR' | 'DAY', ranges: readonly TimeRange[], byTime: boolean): Promise<CountRow[]> {
    if (selection.search) throw new Error('A search is counted from its workflows and its run-id prefix, not from rollups');
    // Without a workflow or trigger to tell apart, hours are summed per project: far fewer rows.
    const byProject = table === 'HOUR' && selection.workflowIds === null && selection.triggers === null;
    const [tableName, column] = byProject ? ['"StatusProjectBucket"', 'hour'] : table === 'HOUR' ? ['"StatusBucket"', 'hour'] : ['"StatusDayBucket"', 'day'];
    const time = byTime ? Prisma.raw(column) : Prisma.raw('NULL');
    const parts = ranges.map((range) => {
      const conditions = [...rollupConditions(selection), ...rangeConditions(column, range)];
      return Prisma.sql`SELECT ${time} AS t, status, SUM(count) AS n FROM ${Prisma.raw(tableName)} WHERE ${Prisma.join(conditions, ' AND ')} GROUP BY ${groupBy(byTime ? time : null)}`;
    });
    return this.countRows(session, parts);
  }

  /** Durations of the finished runs of a workflow created in the range, shortest first. */
  async finishedDurations(session: ReadSession, workflowId: string, range: TimeRange): Promise<number[]> {
    const conditions = [Prisma.sql`"workflowId" = ${workflowId}`, Prisma.sql`"durationMs" IS NOT NULL`, ...rangeConditions('"createdAt"', range)];
    const rows = await session.all(Prisma.sql`SELECT "durationMs" AS d FROM "Run" WHERE ${Prisma.join(conditions, ' AND ')} ORDER BY "durationMs"`);
    return rows.map((row) => Number(row.d));
  }

  private async countRows(session: ReadSession, parts: readonly Prisma.Sql[]): Promise<CountRow[]> {
    if (parts.length === 0) return [];
    const query = parts.length === 1 && parts[0] ? parts[0] : Prisma.join(parts.map((part, index) => Prisma.sql`SELECT * FROM (${part}) AS ${Prisma.raw(`part${index}`)}`), ' UNION ALL ');
    const rows = await session.all(query);
    return rows.map((row) => ({ time: row.t === null ? null : sqlDate(row.t).getTime(), status: runStatusOf(String(row.status), 'a count of runs'), count: Number(row.n) }));
  }

  private truncated(column: string, grain: RunGrain): Prisma.Sql {
    if (this.deps.provider === 'postgresql') return Prisma.raw(`date_trunc('${grain.toLowerCase()}', ${column})`);
    const size = grain === 'MINUTE' ? 60_000 : 3_600_000;
    return Prisma.raw(`(${column} - ${column} % ${size})`);
  }

  private toRun(row: SqlRow): RunRecord {
    return {
      id: String(row.id),
      projectId: String(row.projectId),
      workflowId: String(row.workflowId),
      status: runStatusOf(String(row.status), `run ${String(row.id)}`),
      trigger: String(row.trigger),
      params: this.json(row.params),
      createdAt: sqlDate(row.createdAt),
      startedAt: row.startedAt === null ? null : sqlDate(row.startedAt),
      finishedAt: row.finishedAt === null ? null : sqlDate(row.finishedAt),
      durationMs: row.durationMs === null ? null : Number(row.durationMs),
      attempt: Number(row.attempt),
      retryOfId: row.retryOfId === null ? null : String(row.retryOfId),
      versionId: row.versionId === null ? null : String(row.versionId),
      error: row.error === null ? null : String(row.error),
      lastSeq: BigInt(String(row.lastSeq)),
    };
  }

  // SQLite keeps JSON as text; PostgreSQL's jsonb arrives parsed.
  private json(value: unknown): RunRecord['params'] {
    if (value === null || value === undefined) return null;
    return (this.deps.provider === 'sqlite' && typeof value === 'string' ? JSON.parse(value) : value) as RunRecord['params'];
  }
}

function workflowNames(rows: readonly SqlRow[]): WorkflowName[] {
  return rows.map((row) => ({ id: String(row.id), projectId: String(row.projectId), name: String(row.name) }));
}

function scanUnitsOf(selection: RunSelection): ScanUnit[] {
  const statuses: (RunStatus | undefined)[] = selection.statuses ? [...selection.statuses] : [undefined];
  const split = (keys: readonly ScanUnit[]): ScanUnit[] => keys.flatMap((key) => statuses.map((status) => ({ ...key, status })));
  let units: ScanUnit[];
  if (selection.search) {
    units = selection.search.workflowIds.map((workflowId) => ({ workflowId }));
  } else if (selection.workflowIds) {
    units = selection.workflowIds.map((workflowId) => ({ workflowId }));
  } else if (selection.projectIds) {
    units = selection.projectIds.map((projectId) => ({ projectId }));
  } else {
    units = [{}];
  }
  if (units.length * statuses.length <= MAX_SCAN_UNITS) units = split(units);
  else if (units.length > MAX_SCAN_UNITS) units = split([{}]);
  const prefix = selection.search?.runIdPrefix;
  return prefix ? [...units, { idPrefix: prefix }] : units;
}

/** The WHERE of one scan unit: its own equalities, and the selection's other predicates. */
function unitConditions(selection: RunSelection, unit: ScanUnit): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [];
  if (unit.workflowId !== undefined) conditions.push(Prisma.sql`"workflowId" = ${unit.workflowId}`);
  if (unit.projectId !== undefined) conditions.push(Prisma.sql`"projectId" = ${unit.projectId}`);
  if (unit.status !== undefined) conditions.push(Prisma.sql`status = ${unit.status}`);
  else if (selection.statuses) conditions.push(inList('status', selection.statuses));
  // Workflows come from the selection's projects, so a workflow's range needs no project test.
  if (unit.workflowId === undefined) {
    if (selection.workflowIds) conditions.push(inList('"workflowId"', selection.workflowIds));
    if (unit.projectId === undefined && selection.projectIds) conditions.push(inList('"projectId"', selection.projectIds));
  }
  if (selection.triggers) conditions.push(inList('trigger', selection.triggers));
  const search = selection.search;
  if (unit.idPrefix) {
    conditions.push(Prisma.sql`substr(id, 1, ${unit.idPrefix.prefix.length}) = ${unit.idPrefix.prefix}`);
    // Runs of the searched workflows come from their own ranges.
    if (search && search.workflowIds.length > 0) conditions.push(Prisma.sql`"workflowId" NOT IN (${Prisma.join(search.workflowIds)})`);
  } else if (search && unit.workflowId === undefined) {
    // Runs found by their id prefix come from the prefix's own range.
    conditions.push(inList('"workflowId"', search.workflowIds));
  }
  conditions.push(...rangeConditions('"createdAt"', createdRange(selection, unit.idPrefix ?? null)));
  if (conditions.length === 0) conditions.push(Prisma.sql`1 = 1`);
  return conditions;
}

/** What a rollup row can be tested for: its workflow, project, status and trigger. */
function rollupConditions(selection: RunSelection): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [];
  if (selection.workflowIds) conditions.push(inList('"workflowId"', selection.workflowIds));
  if (selection.projectIds) conditions.push(inList('"projectId"', selection.projectIds));
  if (selection.statuses) conditions.push(inList('status', selection.statuses));
  if (selection.triggers) conditions.push(inList('trigger', selection.triggers));
  if (conditions.length === 0) conditions.push(Prisma.sql`1 = 1`);
  return conditions;
}

function rangeConditions(column: string, range: TimeRange): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [];
  if (range.from !== null) conditions.push(Prisma.sql`${Prisma.raw(column)} >= ${new Date(range.from)}`);
  if (range.to !== null) conditions.push(Prisma.sql`${Prisma.raw(column)} < ${new Date(range.to)}`);
  return conditions;
}

/** `column IN (...)`; an empty list selects nothing (SQL has no empty IN list). */
function inList(column: string, values: readonly string[]): Prisma.Sql {
  return values.length === 0 ? Prisma.sql`1 = 0` : Prisma.sql`${Prisma.raw(column)} IN (${Prisma.join(values)})`;
}

// PostgreSQL refuses a constant (the NULL time of plain counts) in GROUP BY.
function groupBy(time: Prisma.Sql | null): Prisma.Sql {
  return time === null ? Prisma.sql`status` : Prisma.sql`${time}, status`;
}
