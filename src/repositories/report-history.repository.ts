import type { ReadSession } from '../db/history-reader.ts';
import type { DbProvider } from '../db/provider.ts';
import { column, type SqlRow } from '../db/sql-values.ts';
import type { AlertTransition, ReportRun, WorkflowStatusRow } from '../domain/reports/report-builder.ts';
import type { RunSelection } from '../domain/history/run-selection.ts';
import type { TimeRange } from '../domain/history/time-cover.ts';
import { runStatusOf } from '../domain/status.ts';
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

  /** The runs of the selection's projects, workflows and triggers created in `range`, any status, in (createdAt, id) order. */
  async runsOf(session: ReadSession, selection: RunSelection, range: TimeRange, archive: ArchiveScope | null): Promise<ReportRun[]> {
    const rows = await session.all(
      Prisma.sql`SELECT id, "projectId", "workflowId", status, trigger, "createdAt", "startedAt", "finishedAt", "durationMs", error, "retryOfId" FROM "Run"
        WHERE ${Prisma.join(this.conditions(selection, range, archive), ' AND ')} ORDER BY "createdAt", id`,
    );
    return rows.map((row) => runOf(row));
  }

  /** Per workflow and status: how many runs, and when the latest was created (what comparing with the previous period needs). */
  async workflowStatusesOf(session: ReadSession, selection: RunSelection, range: TimeRange, archive: ArchiveScope | null): Promise<WorkflowStatusRow[]> {
    const rows = await session.all(
      Prisma.sql`SELECT "workflowId", status, COUNT(*) AS n, MAX("createdAt") AS latest FROM "Run" WHERE ${Prisma.join(this.conditions(selection, range, archive), ' AND ')} GROUP BY "workflowId", status`,
    );
    return rows.map((row) => ({ workflowId: column.text(row, 'workflowId'), status: runStatusOf(column.text(row, 'status'), 'a count of runs'), count: Number(column.bigint(row, 'n')), latest: column.date(row, 'latest') }));
  }

  /** The SUCCEEDED runs of the selection in `range` with a step that succeeded on an attempt after the first (it failed, then a retry passed). */
  async succeededOnRetry(session: ReadSession, selection: RunSelection, range: TimeRange, archive: ArchiveScope | null): Promise<string[]> {
    const runs = Prisma.sql`SELECT id FROM "Run" WHERE ${Prisma.join([...this.conditions(selection, range, archive), Prisma.sql`status = 'SUCCEEDED'`], ' AND ')}`;
    const rows = await session.all(Prisma.sql`SELECT DISTINCT "runId" AS id FROM "StepRun" WHERE attempt > 1 AND status = 'SUCCEEDED' AND "runId" IN (${runs})`);
    return rows.map((row) => column.text(row, 'id'));
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

  private conditions(selection: RunSelection, range: TimeRange, archive: ArchiveScope | null): Prisma.Sql[] {
    const conditions: Prisma.Sql[] = [...createdConditions(range, this.deps.provider)];
    if (selection.projectIds) conditions.push(inList('"projectId"', selection.projectIds));
    if (selection.workflowIds) conditions.push(inList('"workflowId"', selection.workflowIds));
    if (selection.triggers) conditions.push(inList('trigger', selection.triggers));
    if (archive) conditions.push(archive.visible);
    return conditions;
  }
}

function runOf(row: SqlRow): ReportRun {
  const id = column.text(row, 'id');
  return {
    id,
    projectId: column.text(row, 'projectId'),
    workflowId: column.text(row, 'workflowId'),
    status: runStatusOf(column.text(row, 'status'), `run ${id}`),
    trigger: column.text(row, 'trigger'),
    createdAt: column.date(row, 'createdAt'),
    startedAt: column.optionalDate(row, 'startedAt'),
    finishedAt: column.optionalDate(row, 'finishedAt'),
    durationMs: column.optionalInteger(row, 'durationMs'),
    error: column.optionalText(row, 'error'),
    retryOfId: column.optionalText(row, 'retryOfId'),
  };
}
