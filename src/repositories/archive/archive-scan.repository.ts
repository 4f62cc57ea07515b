import type { ReadSession } from '../../db/history-reader.ts';
import { column } from '../../db/sql-values.ts';
import type { ArchivableRun } from '../../domain/retention/archive-plan.ts';
import type { RunPosition } from '../../domain/retention/hot-rules.ts';
import { ACTIVE_RUN_STATUSES, runStatusOf } from '../../domain/status.ts';
import { Prisma } from '../../generated/sqlite/client.ts';

const position = (at: RunPosition) => Prisma.sql`(${at.createdAt}, ${at.id})`;

/**
 * Finished runs in creation order across workflows, along the ("createdAt", id) index (or the
 * project's): archival moves runs of the same time together, so each batch deletes rows that lie
 * side by side in the live store's tables and indexes, not one workflow's runs strewn over them.
 */
export class ArchiveScanRepository {
  /** Up to `limit` finished runs (of one project, or of all) after `after` and before `end`, oldest first. */
  async finishedRunsBefore(session: ReadSession, projectId: string | null, end: RunPosition, after: RunPosition | null, limit: number): Promise<ArchivableRun[]> {
    const conditions = [Prisma.sql`("createdAt", id) < ${position(end)}`, Prisma.sql`status NOT IN (${Prisma.join([...ACTIVE_RUN_STATUSES])})`];
    if (projectId !== null) conditions.push(Prisma.sql`"projectId" = ${projectId}`);
    if (after !== null) conditions.push(Prisma.sql`("createdAt", id) > ${position(after)}`);
    const rows = await session.all(Prisma.sql`
      SELECT id, "projectId", "workflowId", status, "createdAt" FROM "Run"
      WHERE ${Prisma.join(conditions, ' AND ')} ORDER BY "createdAt", id LIMIT ${limit}`);
    return rows.map((row) => {
      const id = column.text(row, 'id');
      return { id, projectId: column.text(row, 'projectId'), workflowId: column.text(row, 'workflowId'), status: runStatusOf(column.text(row, 'status'), `run ${id}`), createdAt: column.date(row, 'createdAt') };
    });
  }
}
