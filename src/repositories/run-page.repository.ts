import type { DbProvider } from '../db/provider.ts';
import type { ReadSession } from '../db/history-reader.ts';
import { sqlDate, type SqlRow } from '../db/sql-values.ts';
import type { RunSelection } from '../domain/history/run-selection.ts';
import { runStatusOf, type RunStatus } from '../domain/status.ts';
import { runTriggerOf } from '../domain/vocabulary.ts';
import { Prisma } from '../generated/sqlite/client.ts';
import { readHead } from './run-event-log.repository.ts';
import { RUN_EVENT_COUNTER } from './run-event.repository.ts';
import { partitionConditions, unitConditions, type ScanUnit } from './run-selection.sql.ts';
import type { RunRecord } from './run.repository.ts';

/** Where a page starts: after (DESC) or before (ASC) this (createdAt, id). */
export interface PagePosition {
  createdAt: number;
  id: string;
}

export type PageDirection = 'DESC' | 'ASC';

// Beyond this many ranges a page merges fewer, wider ones and filters the rest row by row.
const MAX_SCAN_UNITS = 64;
const IDS_PER_STATEMENT = 500;

const RUN_COLUMNS = Prisma.raw(
  'id, "projectId", "workflowId", status, trigger, params, "createdAt", "startedAt", "finishedAt", "durationMs", attempt, "retryOfId", "parentRunId", "parentStepName", "versionId", error, "lastSeq"',
);
// Archives written before runs had parents lack those columns: an archived run is read without its link.
const ARCHIVED_RUN_COLUMNS = Prisma.raw(
  'id, "projectId", "workflowId", status, trigger, params, "createdAt", "startedAt", "finishedAt", "durationMs", attempt, "retryOfId", NULL AS "parentRunId", NULL AS "parentStepName", "versionId", error, "lastSeq"',
);

/**
 * A query of an archive rather than of the live store: its rows are archived runs, and only
 * those `visible` selects (the runs of its committed batches) count.
 */
export interface ArchiveScope {
  visible: Prisma.Sql;
}

/** Runs read for history pages, through a HistoryReader session (or an archive's), for both databases. */
export class RunPageRepository {
  constructor(private readonly deps: { provider: DbProvider }) {}

  async runsByIds(session: ReadSession, ids: readonly string[], archive: ArchiveScope | null = null): Promise<RunRecord[]> {
    const runs: RunRecord[] = [];
    for (let offset = 0; offset < ids.length; offset += IDS_PER_STATEMENT) {
      const chunk = ids.slice(offset, offset + IDS_PER_STATEMENT);
      const visible = archive === null ? Prisma.empty : Prisma.sql` AND ${archive.visible}`;
      const rows = await session.all(Prisma.sql`SELECT ${archive === null ? RUN_COLUMNS : ARCHIVED_RUN_COLUMNS} FROM "Run" WHERE id IN (${Prisma.join(chunk)})${visible}`);
      runs.push(...rows.map((row) => this.toRun(row, archive !== null)));
    }
    return runs;
  }

  /** The latest `count` runs of each workflow, newest first: one statement for a whole page of workflows. */
  async latestRunsOfWorkflows(session: ReadSession, workflowIds: readonly string[], count: number): Promise<RunRecord[]> {
    if (workflowIds.length === 0) return [];
    const perWorkflow = workflowIds.map(
      (id) => Prisma.sql`SELECT * FROM (SELECT ${RUN_COLUMNS} FROM "Run" WHERE "workflowId" = ${id} ORDER BY "createdAt" DESC, id DESC LIMIT ${count}) AS latest`,
    );
    return (await session.all(Prisma.join(perWorkflow, ' UNION ALL '))).map((row) => this.toRun(row, false));
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
    const page = pageStatement(this.deps.provider, selection, snapshot, position, direction, limit, null);
    if (page === null) return { runs: [], head: await readHead(session) };
    // The head rides along as a column; the outer join keeps it when the page is empty.
    const pageOrder = direction === 'DESC' ? Prisma.raw('p."createdAt" DESC, p.id DESC') : Prisma.raw('p."createdAt" ASC, p.id ASC');
    const rows = await session.all(Prisma.sql`
      SELECT h.value AS "headSeq", p.* FROM (SELECT value FROM "EventCounter" WHERE name = ${RUN_EVENT_COUNTER}) AS h
      LEFT JOIN (${page}) AS p ON 1 = 1 ORDER BY ${pageOrder}`);
    const [first] = rows;
    return {
      runs: rows.filter((row) => row.id !== null && row.id !== undefined).map((row) => this.toRun(row, false)),
      head: first ? BigInt(String(first.headSeq)) : 0n,
    };
  }

  /** The same page of one archive's runs (a session of the archive, its committed runs only). */
  async pageOfArchive(
    session: ReadSession,
    archive: ArchiveScope,
    selection: RunSelection,
    snapshot: bigint | null,
    position: PagePosition | null,
    direction: PageDirection,
    limit: number,
  ): Promise<RunRecord[]> {
    const page = pageStatement(this.deps.provider, selection, snapshot, position, direction, limit, archive.visible);
    if (page === null) return [];
    return (await session.all(page)).map((row) => this.toRun(row, true));
  }

  private toRun(row: SqlRow, archived: boolean): RunRecord {
    const id = String(row.id);
    return {
      archived,
      id,
      projectId: String(row.projectId),
      workflowId: String(row.workflowId),
      status: runStatusOf(String(row.status), `run ${id}`),
      trigger: runTriggerOf(String(row.trigger), `run ${id}`),
      params: this.json(row.params),
      createdAt: sqlDate(row.createdAt),
      startedAt: row.startedAt === null ? null : sqlDate(row.startedAt),
      finishedAt: row.finishedAt === null ? null : sqlDate(row.finishedAt),
      durationMs: row.durationMs === null ? null : Number(row.durationMs),
      attempt: Number(row.attempt),
      retryOfId: row.retryOfId === null ? null : String(row.retryOfId),
      parentRunId: row.parentRunId === null ? null : String(row.parentRunId),
      parentStepName: row.parentStepName === null ? null : String(row.parentStepName),
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

/** The page's SQL: a range per scan unit merged in order, each with `extra` when given; null when the selection has no unit. */
function pageStatement(
  provider: DbProvider,
  selection: RunSelection,
  snapshot: bigint | null,
  position: PagePosition | null,
  direction: PageDirection,
  limit: number,
  extra: Prisma.Sql | null,
): Prisma.Sql | null {
  const units = scanUnitsOf(selection);
  if (units.length === 0) return null;
  const order = direction === 'DESC' ? Prisma.raw('"createdAt" DESC, id DESC') : Prisma.raw('"createdAt" ASC, id ASC');
  const after = position === null ? null : direction === 'DESC' ? Prisma.raw('<') : Prisma.raw('>');
  const ranges = units.map((unit) => {
    const conditions = unitConditions(selection, unit, provider);
    if (snapshot !== null) conditions.push(Prisma.sql`"lastSeq" <= ${snapshot}`);
    if (position !== null && after !== null) {
      conditions.push(Prisma.sql`("createdAt", id) ${after} (${new Date(position.createdAt)}, ${position.id})`);
      // The rest of the pages lies on one side of the cursor's time: so do the partitions they read.
      const rest = direction === 'DESC' ? { from: null, to: position.createdAt + 1 } : { from: position.createdAt, to: null };
      conditions.push(...partitionConditions(rest, provider));
    }
    if (extra !== null) conditions.push(extra);
    return Prisma.sql`SELECT ${extra === null ? RUN_COLUMNS : ARCHIVED_RUN_COLUMNS} FROM "Run" WHERE ${Prisma.join(conditions, ' AND ')} ORDER BY ${order} LIMIT ${limit}`;
  });
  const [single] = ranges;
  if (ranges.length === 1 && single) return single;
  return Prisma.sql`${Prisma.join(
    ranges.map((range, index) => Prisma.sql`SELECT * FROM (${range}) AS ${Prisma.raw(`unit${index}`)}`),
    ' UNION ALL ',
  )} ORDER BY ${order} LIMIT ${limit}`;
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
