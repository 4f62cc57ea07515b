import type { ReadSession } from '../db/history-reader.ts';
import { column } from '../db/sql-values.ts';
import type { ArchivableRun } from '../domain/retention/archive-plan.ts';
import { boundsByStatus, KEPT_FAILED_STATUSES, type ArchiveBounds, type RunPosition } from '../domain/retention/hot-rules.ts';
import { RUN_STATUSES, runStatusOf, TERMINAL_RUN_STATUSES, type RunStatus } from '../domain/status.ts';
import { Prisma } from '../generated/sqlite/client.ts';

/** The archive bounds of one workflow. */
export interface WorkflowBounds {
  workflowId: string;
  bounds: ArchiveBounds;
}

/** A workflow and how many of its latest runs stay. */
export interface KeptRuns {
  workflowId: string;
  keepLastRuns: number;
}

// Workflows read by one statement (a UNION ALL of a range each): few round trips, and far below both databases' bind limits.
const WORKFLOWS_PER_STATEMENT = 100;

const position = (at: RunPosition) => Prisma.sql`(${at.createdAt}, ${at.id})`;

/**
 * The runs archival would move, read as index ranges of "Run" through a HistoryReader session,
 * never sorted and never a whole history at once: batches along (workflowId, createdAt, id)
 * (PostgreSQL's planner walks (createdAt, id) instead for a workflow with a large share of the
 * runs, dropping the others' as it goes), counts along (workflowId, status, createdAt, id).
 */
export class ArchiveSelectionRepository {
  /** The oldest of each workflow's `keepLastRuns` latest runs; a workflow with fewer runs than that is left out. */
  async oldestKeptRuns(session: ReadSession, workflows: readonly KeptRuns[]): Promise<Map<string, RunPosition>> {
    const kept = new Map<string, RunPosition>();
    for (const chunk of chunks(workflows.filter((workflow) => workflow.keepLastRuns > 0))) {
      const parts = chunk.map(
        ({ workflowId, keepLastRuns }) =>
          Prisma.sql`SELECT * FROM (SELECT "workflowId", "createdAt", id FROM "Run" WHERE "workflowId" = ${workflowId} ORDER BY "createdAt" DESC, id DESC LIMIT 1 OFFSET ${keepLastRuns - 1}) AS kept`,
      );
      for (const row of await session.all(Prisma.join(parts, ' UNION ALL '))) {
        kept.set(column.text(row, 'workflowId'), { createdAt: column.date(row, 'createdAt'), id: column.text(row, 'id') });
      }
    }
    return kept;
  }

  /** How many runs of one workflow archival would move, per status; statuses without any are left out. */
  async countArchivable(session: ReadSession, { workflowId, bounds }: WorkflowBounds): Promise<{ status: RunStatus; count: number }[]> {
    // One range of the (workflowId, status, createdAt, id) index per status: counted from the index alone.
    const parts = boundsByStatus(bounds).map(
      ({ status, before }) => Prisma.sql`SELECT status, COUNT(*) AS n FROM "Run" WHERE "workflowId" = ${workflowId} AND status = ${status} AND ("createdAt", id) < ${position(before)} GROUP BY status`,
    );
    const rows = await session.all(Prisma.join(parts, ' UNION ALL '));
    return rows.map((row) => ({ status: runStatusOf(column.text(row, 'status'), `a count of archivable runs of workflow ${workflowId}`), count: Number(column.bigint(row, 'n')) }));
  }

  /**
   * Up to `limit` runs of one workflow that archival would move, oldest first, after `after`:
   * one range of the (workflowId, createdAt, id) index, continued from the last run of the
   * previous batch (keyset), so a whole history is read once, a batch at a time.
   */
  async archivableBatch(session: ReadSession, { workflowId, bounds }: WorkflowBounds, after: RunPosition | null, limit: number): Promise<ArchivableRun[]> {
    const finished = Prisma.join(RUN_STATUSES.filter((status) => TERMINAL_RUN_STATUSES.has(status)));
    const keptFailed = Prisma.join([...KEPT_FAILED_STATUSES]);
    const conditions = [
      Prisma.sql`"workflowId" = ${workflowId}`,
      Prisma.sql`("createdAt", id) < ${position(bounds.before)}`,
      Prisma.sql`status IN (${finished})`,
      Prisma.sql`(status NOT IN (${keptFailed}) OR ("createdAt", id) < ${position(bounds.failedBefore)})`,
    ];
    if (after !== null) conditions.push(Prisma.sql`("createdAt", id) > ${position(after)}`);
    const rows = await session.all(Prisma.sql`
      SELECT id, "projectId", "workflowId", status, "createdAt" FROM "Run"
      WHERE ${Prisma.join(conditions, ' AND ')}
      ORDER BY "createdAt", id LIMIT ${limit}`);
    return rows.map((row) => {
      const id = column.text(row, 'id');
      return { id, projectId: column.text(row, 'projectId'), workflowId: column.text(row, 'workflowId'), status: runStatusOf(column.text(row, 'status'), `run ${id}`), createdAt: column.date(row, 'createdAt') };
    });
  }
}

function chunks<T>(items: readonly T[]): T[][] {
  const result: T[][] = [];
  for (let offset = 0; offset < items.length; offset += WORKFLOWS_PER_STATEMENT) result.push(items.slice(offset, offset + WORKFLOWS_PER_STATEMENT));
  return result;
}
