import type { Db, Tx } from '../db/client.ts';
import type { DbProvider } from '../db/provider.ts';
import { stepIdRange } from '../domain/history/history-partitions.ts';
import type { Prisma, StepRun } from '../generated/sqlite/client.ts';
import { stepStatusOf, type StepStatus } from '../domain/status.ts';

/** A step of a run as the layers above see it: its status already one of the domain's. */
export type StepRunRecord = Omit<StepRun, 'status'> & { status: StepStatus };

export function stepRunRecordOf(row: StepRun): StepRunRecord {
  return { ...row, status: stepStatusOf(row.status, `step ${row.name} of run ${row.runId}`) };
}

export class StepRunRepository {
  constructor(private readonly deps: { db: Db; writer: { provider: DbProvider } }) {}

  async findByRunAndName(runId: string, name: string, client: Db | Tx = this.deps.db): Promise<StepRunRecord | null> {
    const row = await client.stepRun.findUnique({ where: { runId_name: { runId, name }, AND: this.idsOfStepsOf([runId]) } });
    return row && stepRunRecordOf(row);
  }

  async listByIds(ids: readonly string[]): Promise<StepRunRecord[]> {
    return (await this.deps.db.stepRun.findMany({ where: { id: { in: [...ids] } } })).map(stepRunRecordOf);
  }

  async listByRunIds(runIds: readonly string[]): Promise<StepRunRecord[]> {
    return (await this.deps.db.stepRun.findMany({ where: { runId: { in: [...runIds] }, AND: this.idsOfStepsOf(runIds) }, orderBy: [{ runId: 'asc' }, { position: 'asc' }, { id: 'asc' }] })).map(stepRunRecordOf);
  }

  /** Up to `limit` steps in one of `stepStatuses` whose run is in one of `runStatuses`. */
  async listByStatusInRunsOf(stepStatuses: readonly StepStatus[], runStatuses: readonly string[], limit: number): Promise<StepRunRecord[]> {
    return (
      await this.deps.db.stepRun.findMany({ where: { status: { in: [...stepStatuses] }, run: { status: { in: [...runStatuses] } } }, orderBy: { id: 'asc' }, take: limit })
    ).map(stepRunRecordOf);
  }

  /**
   * On PostgreSQL, where "StepRun" is partitioned by id, the ids the steps of these runs can have:
   * the lookup then reads their partitions only. SQLite's planner needs no such hint.
   */
  private idsOfStepsOf(runIds: readonly string[]): Prisma.StepRunWhereInput {
    if (this.deps.writer.provider !== 'postgresql') return {};
    const range = stepIdRange(runIds);
    return { id: { gte: range.from, lt: range.to } };
  }
}
