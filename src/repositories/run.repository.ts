import type { Db, Tx } from '../db/client.ts';
import { Prisma, type Run } from '../generated/sqlite/client.ts';
import { runStatusOf, type RunStatus } from '../domain/status.ts';
import { runTriggerOf, type RunTrigger } from '../domain/vocabulary.ts';

type Claim = 'leaseOwner' | 'leaseExpiresAt' | 'fence';

/**
 * A run as the layers above see it: its status and trigger already the domain's, and whether it
 * was read from the archive (then it is finished, and its steps and events are there too).
 */
export type RunRecord = Omit<Run, 'status' | 'trigger' | Claim> & { status: RunStatus; trigger: RunTrigger; archived: boolean };

/** A run with the claim an executor holds on it (see DESIGN.md "Scale-out"): what executors and the history writer read. */
export type ClaimedRunRecord = RunRecord & Pick<Run, Claim>;

export function runRecordOf(row: Run): ClaimedRunRecord {
  return { ...row, status: runStatusOf(row.status, `run ${row.id}`), trigger: runTriggerOf(row.trigger, `run ${row.id}`), archived: false };
}

export class RunRepository {
  constructor(private readonly deps: { db: Db }) {}

  async findById(id: string, client: Db | Tx = this.deps.db): Promise<RunRecord | null> {
    const row = await client.run.findUnique({ where: { id } });
    return row && runRecordOf(row);
  }

  async listByIds(ids: readonly string[]): Promise<RunRecord[]> {
    return (await this.deps.db.run.findMany({ where: { id: { in: [...ids] } } })).map(runRecordOf);
  }

  /**
   * The next `limit` runs in this status after `after`, oldest first: the engine's queue and
   * recovery order, read a page at a time along the (status, createdAt, id) index.
   */
  async listByStatusAfter(status: RunStatus, after: Pick<RunRecord, 'createdAt' | 'id'> | null, limit: number): Promise<RunRecord[]> {
    const where: Prisma.RunWhereInput = after
      ? { status, OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] }
      : { status };
    return (await this.deps.db.run.findMany({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: limit })).map(runRecordOf);
  }

  /**
   * The sub-workflow runs these runs' call steps started (of one step when `stepName` is given),
   * oldest first, along the (parentRunId, createdAt) index; at most `limit` in all.
   */
  async listChildren(parentRunIds: readonly string[], limit: number, stepName?: string): Promise<RunRecord[]> {
    if (parentRunIds.length === 0) return [];
    const rows = await this.deps.db.run.findMany({
      where: { parentRunId: { in: [...parentRunIds] }, ...(stepName === undefined ? {} : { parentStepName: stepName }) },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: limit,
    });
    return rows.map(runRecordOf);
  }

  countByStatus(statuses: readonly string[]): Promise<number> {
    return this.deps.db.run.count({ where: { status: { in: [...statuses] } } });
  }
}
