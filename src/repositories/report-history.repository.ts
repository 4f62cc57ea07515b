import type { ReadSession } from '../db/history-reader.ts';
import type { DbProvider } from '../db/provider.ts';
import { reportRunOf, type EncodedRows, type ReportRunsEncoding } from '../db/row-encoding.ts';
import { column } from '../db/sql-values.ts';
import type { AlertTransition, BucketCell, FailedRun, ReportRun, WorkflowStatusRow } from '../domain/reports/report-builder.ts';
import type { RunSelection } from '../domain/history/run-selection.ts';
import type { TimeRange } from '../domain/history/time-cover.ts';
import { runStatusOf, type RunStatus } from '../domain/status.ts';
import { Prisma } from '../generated/sqlite/client.ts';
import type { ArchiveScope } from './run-page.repository.ts';
import { createdConditions, inList } from './run-selection.sql.ts';

const IDS_PER_STATEMENT = 500;

/**
 * What a report reads of history beyond counts, through a HistoryReader session (or an archive's):
 * the runs of a period, the runs that succeeded after a failed step attempt, alert transitions.
 * Statuses are those of the rows now; generation moves the runs changed after its snapshot back.
 */
export class ReportHistoryRepository {
  constructor(private readonly deps: { provider: DbProvider }) {}

  /** The first `limit` selected runs created in `range`, in (createdAt, id) order. */
  async runsOf(session: ReadSession, selection: RunSelection, range: TimeRange, archive: ArchiveScope | null, limit: number): Promise<ReportRun[]> {
    const rows = await session.all(this.runsQuery(selection, range, archive, limit));
    return rows.map((row) => reportRunOf(row));
  }

  /**
   * The live runs runsOf reads, as the text of the report's CSV and JSON runs section, encoded where
   * they are read (on SQLite, the history read thread): bytes rather than a hundred thousand objects.
   */
  runsText(session: ReadSession, selection: RunSelection, range: TimeRange, limit: number, encoding: Omit<ReportRunsEncoding, 'kind'>): Promise<EncodedRows> {
    return session.encoded(this.runsQuery(selection, range, null, limit), { kind: 'reportRuns', ...encoding });
  }

  private runsQuery(selection: RunSelection, range: TimeRange, archive: ArchiveScope | null, limit: number): Prisma.Sql {
    return Prisma.sql`SELECT id, "workflowId", status, trigger, "createdAt", "startedAt", "finishedAt", "durationMs", error FROM ${this.inCreationOrder(archive)}
        WHERE ${this.where(selection, range, archive)} ORDER BY "createdAt", id LIMIT ${limit}`;
  }

  /**
   * Selected runs per workflow, sparkline bucket (the index of the boundary they are created before,
   * less one) and status. Given the selection's workflows (not its projects), the database reads
   * the (workflowId, status, createdAt) index alone.
   */
  async bucketCells(session: ReadSession, selection: RunSelection, range: TimeRange, boundaries: readonly Date[], archive: ArchiveScope | null): Promise<BucketCell[]> {
    // A range per bucket rather than a CASE per row: each part reads its slice of the index in its order, grouping as it goes.
    const parts: Prisma.Sql[] = [];
    for (let index = 0; index + 1 < boundaries.length; index += 1) {
      const from = Math.max(boundaries[index]?.getTime() ?? 0, range.from ?? -Infinity);
      const to = Math.min(boundaries[index + 1]?.getTime() ?? 0, range.to ?? Infinity);
      if (from >= to) continue;
      parts.push(
        Prisma.sql`SELECT * FROM (SELECT "workflowId", ${index} AS b, status, COUNT(*) AS n, MAX("createdAt") AS latest FROM ${this.runTable(selection, archive)} WHERE ${this.where(selection, { from, to }, archive)} GROUP BY "workflowId", status) AS ${Prisma.raw(`bucket${index}`)}`,
      );
    }
    if (parts.length === 0) return [];
    const rows = await session.all(Prisma.join(parts, ' UNION ALL '));
    return rows.map((row) => ({
      workflowId: column.text(row, 'workflowId'),
      bucket: Number(column.bigint(row, 'b')),
      status: runStatusOf(column.text(row, 'status'), 'a count of runs'),
      count: Number(column.bigint(row, 'n')),
      latest: column.date(row, 'latest'),
    }));
  }

  /**
   * The durations of each workflow's selected finished runs, as one list per workflow: the
   * database hands back one row (a comma-separated list) per workflow rather than a row per run,
   * and ranks nothing (ranking a quarter of a million rows in a window costs more than sorting them here).
   */
  async durationsOf(session: ReadSession, selection: RunSelection, range: TimeRange, statuses: readonly RunStatus[], archive: ArchiveScope | null): Promise<{ workflowId: string; durations: number[] }[]> {
    const list = this.deps.provider === 'sqlite' ? Prisma.sql`group_concat("durationMs")` : Prisma.sql`string_agg("durationMs"::text, ',')`;
    const rows = await session.all(
      Prisma.sql`SELECT "workflowId", ${list} AS durations FROM ${this.runTable(selection, archive)} WHERE ${this.where(selection, range, archive)} AND "durationMs" IS NOT NULL AND ${inList('status', statuses)} GROUP BY "workflowId"`,
    );
    return rows.map((row) => ({ workflowId: column.text(row, 'workflowId'), durations: column.text(row, 'durations').split(',').map(Number) }));
  }

  /** The FAILED runs of the selection in `range`, in (createdAt, id) order. */
  async failedRuns(session: ReadSession, selection: RunSelection, range: TimeRange, archive: ArchiveScope | null): Promise<FailedRun[]> {
    const rows = await session.all(Prisma.sql`SELECT "workflowId", "createdAt", error FROM "Run" WHERE ${this.where(selection, range, archive)} AND status = 'FAILED' ORDER BY "createdAt", id`);
    return rows.map((row) => ({ workflowId: column.text(row, 'workflowId'), createdAt: column.date(row, 'createdAt'), error: column.optionalText(row, 'error') }));
  }

  /** Per workflow and status: how many runs, and when the latest was created (what comparing with the previous period needs). */
  async workflowStatusesOf(session: ReadSession, selection: RunSelection, range: TimeRange, archive: ArchiveScope | null): Promise<WorkflowStatusRow[]> {
    const rows = await session.all(Prisma.sql`SELECT "workflowId", status, COUNT(*) AS n, MAX("createdAt") AS latest FROM ${this.runTable(selection, archive)} WHERE ${this.where(selection, range, archive)} GROUP BY "workflowId", status`);
    return rows.map((row) => ({ workflowId: column.text(row, 'workflowId'), status: runStatusOf(column.text(row, 'status'), 'a count of runs'), count: Number(column.bigint(row, 'n')), latest: column.date(row, 'latest') }));
  }

  /** Per workflow, its SUCCEEDED runs in `range` that are retries of a run, or have a step that succeeded on an attempt after a failed one. */
  async flakyCounts(session: ReadSession, selection: RunSelection, range: TimeRange, archive: ArchiveScope | null): Promise<{ workflowId: string; count: number }[]> {
    const rows = await session.all(
      Prisma.sql`SELECT r."workflowId" AS "workflowId", COUNT(*) AS n FROM "Run" r WHERE ${this.where(selection, range, archive)} AND r.status = 'SUCCEEDED'
        AND (r."retryOfId" IS NOT NULL OR EXISTS (SELECT 1 FROM "StepRun" s WHERE s."runId" = r.id AND s.attempt > 1 AND s.status = 'SUCCEEDED')) GROUP BY r."workflowId"`,
    );
    return rows.map((row) => ({ workflowId: column.text(row, 'workflowId'), count: Number(column.bigint(row, 'n')) }));
  }

  /** Alert transitions to FIRING or RESOLVED of these projects from `from` on, with the rule's name and the alert's workflow. */
  async alertTransitions(session: ReadSession, projectIds: readonly string[], from: Date, limit: number): Promise<AlertTransition[]> {
    const rows = await session.all(
      Prisma.sql`SELECT e."instanceId" AS "instanceId", e."to" AS "to", e."at" AS "at", e."projectId" AS "projectId", r.name AS "ruleName", i."groupKey" AS "groupKey"
        FROM "AlertEvent" e LEFT JOIN "AlertRule" r ON r.id = e."ruleId" LEFT JOIN "AlertInstance" i ON i.id = e."instanceId"
        WHERE ${inList('e."projectId"', projectIds)} AND e."at" >= ${from} AND e."to" IN ('FIRING', 'RESOLVED')
        ORDER BY e.seq LIMIT ${limit}`,
    );
    return rows.map((row) => ({
      instanceId: column.text(row, 'instanceId'),
      to: column.text(row, 'to'),
      at: column.date(row, 'at'),
      projectId: column.text(row, 'projectId'),
      ruleName: column.optionalText(row, 'ruleName'),
      workflowId: column.optionalText(row, 'groupKey'),
    }));
  }

  /** Every workflow of these projects, deleted ones too (their runs stay in history). */
  async workflowIdsOfProjects(session: ReadSession, projectIds: readonly string[]): Promise<string[]> {
    const rows = await session.all(Prisma.sql`SELECT id FROM "Workflow" WHERE ${inList('"projectId"', projectIds)} ORDER BY id`);
    return rows.map((row) => column.text(row, 'id'));
  }

  /** The name and project of these workflows (deleted ones too: their runs stay in history). */
  async workflowsByIds(session: ReadSession, ids: readonly string[]): Promise<Map<string, { name: string; projectId: string }>> {
    const found = new Map<string, { name: string; projectId: string }>();
    for (let offset = 0; offset < ids.length; offset += IDS_PER_STATEMENT) {
      const chunk = ids.slice(offset, offset + IDS_PER_STATEMENT);
      const rows = await session.all(Prisma.sql`SELECT id, name, "projectId" FROM "Workflow" WHERE id IN (${Prisma.join(chunk)})`);
      for (const row of rows) found.set(column.text(row, 'id'), { name: column.text(row, 'name'), projectId: column.text(row, 'projectId') });
    }
    return found;
  }

  /** The names of these projects. */
  async projectNames(session: ReadSession, ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await session.all(Prisma.sql`SELECT id, name FROM "Project" WHERE id IN (${Prisma.join(ids)})`);
    return new Map(rows.map((row) => [column.text(row, 'id'), column.text(row, 'name')]));
  }

  /**
   * "Run", told on SQLite to read the (workflowId, status, createdAt, id) index when the selection
   * names its workflows and statuses: counts then never touch the table, where SQLite's planner
   * would rather take the (workflowId, createdAt, id) range and look every row up. Archives keep
   * their own indexes, so they are left to the planner.
   */
  private runTable(selection: RunSelection, archive: ArchiveScope | null): Prisma.Sql {
    if (this.deps.provider !== 'sqlite' || archive !== null || selection.workflowIds === null || selection.statuses === null || selection.triggers !== null) return Prisma.sql`"Run"`;
    return Prisma.sql`"Run" INDEXED BY "Run_workflowId_status_createdAt_id_idx"`;
  }

  /**
   * "Run", told on SQLite to walk the (createdAt, id) index: rows come in the order asked and the
   * LIMIT ends the read, where the planner would take a project's range and sort every run of the period.
   */
  private inCreationOrder(archive: ArchiveScope | null): Prisma.Sql {
    return this.deps.provider === 'sqlite' && archive === null ? Prisma.sql`"Run" INDEXED BY "Run_createdAt_id_idx"` : Prisma.sql`"Run"`;
  }

  private where(selection: RunSelection, range: TimeRange, archive: ArchiveScope | null): Prisma.Sql {
    return Prisma.join(this.conditions(selection, range, archive), ' AND ');
  }

  private conditions(selection: RunSelection, range: TimeRange, archive: ArchiveScope | null): Prisma.Sql[] {
    const conditions: Prisma.Sql[] = [...createdConditions(range, this.deps.provider)];
    if (selection.projectIds) conditions.push(inList('"projectId"', selection.projectIds));
    if (selection.workflowIds) conditions.push(inList('"workflowId"', selection.workflowIds));
    if (selection.triggers) conditions.push(inList('trigger', selection.triggers));
    if (selection.statuses) conditions.push(inList('status', selection.statuses));
    if (archive) conditions.push(archive.visible);
    return conditions;
  }
}
