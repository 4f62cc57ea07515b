import type { Db, Tx } from '../db/client.ts';
import type { ReadSession } from '../db/history-reader.ts';
import type { SqlRow } from '../db/sql-values.ts';
import type { WorkflowName } from '../domain/history/resolve-run-selection.ts';
import { Prisma, type Workflow, type WorkflowVersion } from '../generated/sqlite/client.ts';

export type WorkflowRecord = Workflow;
export type WorkflowVersionRecord = WorkflowVersion;

export class WorkflowRepository {
  constructor(private readonly deps: { db: Db }) {}

  findById(id: string): Promise<WorkflowRecord | null> {
    return this.deps.db.workflow.findUnique({ where: { id } });
  }

  findByName(projectId: string, name: string, client: Db | Tx = this.deps.db): Promise<WorkflowRecord | null> {
    return client.workflow.findUnique({ where: { projectId_name: { projectId, name } } });
  }

  listByIds(ids: readonly string[]): Promise<WorkflowRecord[]> {
    return this.deps.db.workflow.findMany({ where: { id: { in: [...ids] } } });
  }

  /** Live (not deleted) workflows of these projects, by name, after the (name, id) cursor. */
  listPage(projectIds: readonly string[], after: { name: string; id: string } | null, take: number): Promise<WorkflowRecord[]> {
    return this.deps.db.workflow.findMany({
      where: {
        projectId: { in: [...projectIds] },
        deletedAt: null,
        ...(after ? { OR: [{ name: { gt: after.name } }, { name: after.name, id: { gt: after.id } }] } : {}),
      },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
      take,
    });
  }

  listScheduled(): Promise<WorkflowRecord[]> {
    return this.deps.db.workflow.findMany({ where: { enabled: true, deletedAt: null, schedule: { not: null } } });
  }

  create(data: Prisma.WorkflowUncheckedCreateInput, client: Db | Tx = this.deps.db): Promise<WorkflowRecord> {
    return client.workflow.create({ data });
  }

  update(id: string, data: Prisma.WorkflowUncheckedUpdateInput, client: Db | Tx = this.deps.db): Promise<WorkflowRecord> {
    return client.workflow.update({ where: { id }, data });
  }

  /** Moves lastFiredAt forward to `tick` (never back: another scheduler may have handled a later one). */
  async markTickHandled(id: string, tick: Date): Promise<void> {
    await this.deps.db.workflow.updateMany({ where: { id, OR: [{ lastFiredAt: null }, { lastFiredAt: { lt: tick } }] }, data: { lastFiredAt: tick } });
  }

  async ensureVersion(tx: Tx, data: { id: string; workflowId: string; hash: string; definition: string; createdAt?: Date }): Promise<WorkflowVersionRecord> {
    const existing = await tx.workflowVersion.findUnique({ where: { workflowId_hash: { workflowId: data.workflowId, hash: data.hash } } });
    return existing ?? tx.workflowVersion.create({ data });
  }

  findVersion(workflowId: string, hash: string): Promise<WorkflowVersionRecord | null> {
    return this.deps.db.workflowVersion.findUnique({ where: { workflowId_hash: { workflowId, hash } } });
  }

  listVersionsByIds(ids: readonly string[]): Promise<WorkflowVersionRecord[]> {
    return this.deps.db.workflowVersion.findMany({ where: { id: { in: [...ids] } } });
  }

  /** Names of the workflows (deleted ones too: their history stays) of these projects, or of all when null, read in a history ReadSession. */
  async listNamesOfProjects(session: ReadSession, projectIds: readonly string[] | null): Promise<WorkflowName[]> {
    if (projectIds !== null && projectIds.length === 0) return [];
    const where = projectIds === null ? Prisma.empty : Prisma.sql`WHERE "projectId" IN (${Prisma.join(projectIds)})`;
    return (await session.all(Prisma.sql`SELECT id, "projectId", name FROM "Workflow" ${where}`)).map(toWorkflowName);
  }

  /** Names of these workflows (deleted ones too), read in a history ReadSession. */
  async listNamesByIds(session: ReadSession, ids: readonly string[]): Promise<WorkflowName[]> {
    if (ids.length === 0) return [];
    return (await session.all(Prisma.sql`SELECT id, "projectId", name FROM "Workflow" WHERE id IN (${Prisma.join(ids)})`)).map(toWorkflowName);
  }
}

function toWorkflowName(row: SqlRow): WorkflowName {
  return { id: String(row.id), projectId: String(row.projectId), name: String(row.name) };
}
