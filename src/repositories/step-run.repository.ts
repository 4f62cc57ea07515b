import type { Db, Tx } from '../db/client.ts';
import type { StepRun } from '../generated/sqlite/client.ts';
import { stepStatusOf, type StepStatus } from '../domain/status.ts';

/** A step of a run as the layers above see it: its status already one of the domain's. */
export type StepRunRecord = Omit<StepRun, 'status'> & { status: StepStatus };

export function stepRunRecordOf(row: StepRun): StepRunRecord {
  return { ...row, status: stepStatusOf(row.status, `step ${row.name} of run ${row.runId}`) };
}

export class StepRunRepository {
  constructor(private readonly deps: { db: Db }) {}

  async findByRunAndName(runId: string, name: string, client: Db | Tx = this.deps.db): Promise<StepRunRecord | null> {
    const row = await client.stepRun.findUnique({ where: { runId_name: { runId, name } } });
    return row && stepRunRecordOf(row);
  }

  async listByIds(ids: readonly string[]): Promise<StepRunRecord[]> {
    return (await this.deps.db.stepRun.findMany({ where: { id: { in: [...ids] } } })).map(stepRunRecordOf);
  }

  async listByRunIds(runIds: readonly string[]): Promise<StepRunRecord[]> {
    return (await this.deps.db.stepRun.findMany({ where: { runId: { in: [...runIds] } }, orderBy: [{ runId: 'asc' }, { position: 'asc' }, { id: 'asc' }] })).map(stepRunRecordOf);
  }

  /** Up to `limit` steps in one of `stepStatuses` whose run is in one of `runStatuses`. */
  async listByStatusInRunsOf(stepStatuses: readonly StepStatus[], runStatuses: readonly string[], limit: number): Promise<StepRunRecord[]> {
    return (
      await this.deps.db.stepRun.findMany({ where: { status: { in: [...stepStatuses] }, run: { status: { in: [...runStatuses] } } }, orderBy: { id: 'asc' }, take: limit })
    ).map(stepRunRecordOf);
  }
}
