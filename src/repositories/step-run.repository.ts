import type { Db, Tx } from '../db/client.ts';
import { Prisma, type StepRun } from '../generated/sqlite/client.ts';
import { stepStatusOf, type StepStatus } from '../domain/status.ts';

/** A step of a run as the layers above see it: its status already one of the domain's. */
export type StepRunRecord = Omit<StepRun, 'status'> & { status: StepStatus };

function toRecord(row: StepRun): StepRunRecord {
  return { ...row, status: stepStatusOf(row.status, `step ${row.name} of run ${row.runId}`) };
}

export class StepRunRepository {
  constructor(private readonly deps: { db: Db }) {}

  async findByRunAndName(runId: string, name: string, client: Db | Tx = this.deps.db): Promise<StepRunRecord | null> {
    const row = await client.stepRun.findUnique({ where: { runId_name: { runId, name } } });
    return row && toRecord(row);
  }

  async listByIds(ids: readonly string[]): Promise<StepRunRecord[]> {
    return (await this.deps.db.stepRun.findMany({ where: { id: { in: [...ids] } } })).map(toRecord);
  }

  async listByRunIds(runIds: readonly string[]): Promise<StepRunRecord[]> {
    return (await this.deps.db.stepRun.findMany({ where: { runId: { in: [...runIds] } }, orderBy: [{ runId: 'asc' }, { position: 'asc' }, { id: 'asc' }] })).map(toRecord);
  }

  /** Up to `limit` steps in one of `stepStatuses` whose run is in one of `runStatuses`. */
  async listByStatusInRunsOf(stepStatuses: readonly StepStatus[], runStatuses: readonly string[], limit: number): Promise<StepRunRecord[]> {
    return (
      await this.deps.db.stepRun.findMany({ where: { status: { in: [...stepStatuses] }, run: { status: { in: [...runStatuses] } } }, orderBy: { id: 'asc' }, take: limit })
    ).map(toRecord);
  }

  createMany(tx: Tx, data: Prisma.StepRunCreateManyInput[]): Promise<Prisma.BatchPayload> {
    return tx.stepRun.createMany({ data });
  }

  async setPid(runId: string, name: string, pid: number): Promise<void> {
    await this.deps.db.$executeRaw(Prisma.sql`UPDATE "StepRun" SET pid = ${pid} WHERE "runId" = ${runId} AND name = ${name}`);
  }

  /** The fields a status change moves, in one raw statement (the hot path of the engine). */
  async updateState(tx: Tx, step: StepRunRecord): Promise<void> {
    await tx.$executeRaw(Prisma.sql`
      UPDATE "StepRun" SET status = ${step.status}, "startedAt" = ${step.startedAt}, "finishedAt" = ${step.finishedAt},
        attempt = ${step.attempt}, "exitCode" = ${step.exitCode}, error = ${step.error}, "logPath" = ${step.logPath},
        output = ${step.output}, pid = ${step.pid}
      WHERE id = ${step.id}`);
  }

  async update(tx: Tx, id: string, data: Prisma.StepRunUncheckedUpdateInput): Promise<StepRunRecord> {
    return toRecord(await tx.stepRun.update({ where: { id }, data }));
  }
}
