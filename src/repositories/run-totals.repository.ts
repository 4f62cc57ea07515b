import type { ReadSession } from '../db/history-reader.ts';
import { sqlDate } from '../db/sql-values.ts';
import { runStatusOf, type RunStatus } from '../domain/status.ts';
import { Prisma } from '../generated/sqlite/client.ts';
import { inList } from './run-selection.sql.ts';

/** Runs of one workflow in one current status, over all time, as the daily rollup holds them. */
export interface WorkflowStatusTotal {
  project: string;
  workflow: string;
  status: RunStatus;
  count: number;
}

/** Whole-history totals for /metrics, read from the rollups (never from the runs themselves). */
export class RunTotalsRepository {
  /**
   * Runs now in one of `statuses`, per project slug, workflow name and status, summed over the
   * daily rollup (a row per workflow, day, status and trigger); at most `limit` rows, in a stable order.
   */
  async totalsByWorkflow(session: ReadSession, statuses: readonly RunStatus[], limit: number): Promise<WorkflowStatusTotal[]> {
    const rows = await session.all(Prisma.sql`
      SELECT p.slug AS project, w.name AS workflow, t.status AS status, t.n AS n
      FROM (SELECT "workflowId", status, SUM(count) AS n FROM "StatusDayBucket" WHERE ${inList('status', statuses)} GROUP BY "workflowId", status) AS t
      JOIN "Workflow" w ON w.id = t."workflowId"
      JOIN "Project" p ON p.id = w."projectId"
      WHERE t.n > 0
      ORDER BY p.slug, w.name, t.status
      LIMIT ${limit}`);
    return rows.map((row) => ({
      project: String(row.project),
      workflow: String(row.workflow),
      status: runStatusOf(String(row.status), 'a rollup total'),
      count: Number(row.n),
    }));
  }

  /** Runs now in one of `statuses` (the active ones: few), per project slug and status, read along the (status, createdAt) index. */
  async countsByProject(session: ReadSession, statuses: readonly RunStatus[]): Promise<{ project: string; status: RunStatus; count: number }[]> {
    const rows = await session.all(Prisma.sql`
      SELECT p.slug AS project, r.status AS status, COUNT(*) AS n
      FROM "Run" r JOIN "Project" p ON p.id = r."projectId"
      WHERE ${inList('r.status', statuses)}
      GROUP BY p.slug, r.status`);
    return rows.map((row) => ({ project: String(row.project), status: runStatusOf(String(row.status), 'a count of active runs'), count: Number(row.n) }));
  }

  /** When the run queued longest ago was created; null when none is queued. Reads one entry of the (status, createdAt) index. */
  async oldestQueuedAt(session: ReadSession): Promise<Date | null> {
    const rows = await session.all(Prisma.sql`SELECT "createdAt" AS t FROM "Run" WHERE status = 'QUEUED' ORDER BY "createdAt" LIMIT 1`);
    const first = rows[0];
    return first === undefined ? null : sqlDate(first.t);
  }
}
