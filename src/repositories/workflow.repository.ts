import type { Db, Tx } from '../db/client.ts';
import type { Prisma, Workflow } from '../generated/sqlite/client.ts';

export type WorkflowRecord = Workflow;

export class WorkflowRepository {
  constructor(private readonly deps: { db: Db }) {}

  findById(id: string): Promise<WorkflowRecord | null> {
    return this.deps.db.workflow.findUnique({ where: { id } });
  }

  listByIds(ids: readonly string[]): Promise<WorkflowRecord[]> {
    return this.deps.db.workflow.findMany({ where: { id: { in: [...ids] } } });
  }

  create(data: Prisma.WorkflowUncheckedCreateInput, client: Db | Tx = this.deps.db): Promise<WorkflowRecord> {
    return client.workflow.create({ data });
  }
}
