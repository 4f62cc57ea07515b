import type { Db, Tx } from '../db/client.ts';
import { Prisma, type StepRun } from '../generated/sqlite/client.ts';

export type StepRunRecord = StepRun;

export class StepRunRepository {
  constructor(private readonly deps: { db: Db }) {}

  findByRunAndName(runId: string, name: string, client: Db | Tx = this.deps.db): Promise<StepRunRecord | null> {
    return client.stepRun.findUnique({ where: { runId_name: { runId, name } } });
  }

  listByIds(ids: readonly string[]): Promise<StepRunRecord[]> {
    return this.deps.db.stepRun.findMany({ where: { id: { in: [...ids] } } });
  }

  listByRunIds(runIds: readonly string[]): Promise<StepRunRecord[]> {
    return this.deps.db.stepRun.findMany({ where: { runId: { in: [...runIds] } }, orderBy: [{ runId: 'asc' }, { position: 'asc' }, { id: 'asc' }] });
  }

  /** Up to `limit` steps in one of `stepStatuses` whose run is in one of `runStatuses`. */
  listByStatusInRunsOf(stepStatuses: readonly string[], runStatuses: readonly string[], limit: number): Promise<StepRunRecord[]> {
    return this.deps.db.stepRun.findMany({ where: { status: { in: [...stepStatuses] }, run: { status: { in: [...runStatuses] } } }, orderBy: { id: 'asc' }, take: limit });
  }

  async setPid(runId: string, name: string, pid: number): Promise<void> {
    await this.deps.db.$executeRaw(Prisma.sql`UPDATE "StepRun" SET pid = ${pid} WHERE "runId" = ${runId} AND name = ${name}`);
  }
}
