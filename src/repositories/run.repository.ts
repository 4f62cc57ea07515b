import type { Db, Tx } from '../db/client.ts';
import { Prisma, type Run } from '../generated/sqlite/client.ts';
import { runStatusOf, type RunStatus } from '../domain/status.ts';
import { runTriggerOf, type RunTrigger } from '../domain/vocabulary.ts';

/** A run as the layers above see it: its status and trigger already the domain's. */
export type RunRecord = Omit<Run, 'status' | 'trigger'> & { status: RunStatus; trigger: RunTrigger };

function toRecord(row: Run): RunRecord {
  return { ...row, status: runStatusOf(row.status, `run ${row.id}`), trigger: runTriggerOf(row.trigger, `run ${row.id}`) };
}

export class RunRepository {
  constructor(private readonly deps: { db: Db }) {}

  async findById(id: string, client: Db | Tx = this.deps.db): Promise<RunRecord | null> {
    const row = await client.run.findUnique({ where: { id } });
    return row && toRecord(row);
  }

  async listByIds(ids: readonly string[]): Promise<RunRecord[]> {
    return (await this.deps.db.run.findMany({ where: { id: { in: [...ids] } } })).map(toRecord);
  }

  /**
   * The next `limit` runs in this status after `after`, oldest first: the engine's queue and
   * recovery order, read a page at a time along the (status, createdAt, id) index.
   */
  async listByStatusAfter(status: RunStatus, after: Pick<RunRecord, 'createdAt' | 'id'> | null, limit: number): Promise<RunRecord[]> {
    const where: Prisma.RunWhereInput = after
      ? { status, OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] }
      : { status };
    return (await this.deps.db.run.findMany({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: limit })).map(toRecord);
  }

  countByStatus(statuses: readonly string[]): Promise<number> {
    return this.deps.db.run.count({ where: { status: { in: [...statuses] } } });
  }

  async create(tx: Tx, data: Prisma.RunUncheckedCreateInput): Promise<RunRecord> {
    return toRecord(await tx.run.create({ data }));
  }

  /** The fields a status change moves, in one raw statement (the hot path of the engine). */
  async updateState(tx: Tx, run: Pick<RunRecord, 'id' | 'status' | 'startedAt' | 'finishedAt' | 'durationMs' | 'error' | 'lastSeq'>): Promise<void> {
    await tx.$executeRaw(Prisma.sql`
      UPDATE "Run" SET status = ${run.status}, "startedAt" = ${run.startedAt}, "finishedAt" = ${run.finishedAt},
        "durationMs" = ${run.durationMs}, error = ${run.error}, "lastSeq" = ${run.lastSeq}
      WHERE id = ${run.id}`);
  }

  async setLastSeq(tx: Tx, id: string, lastSeq: bigint): Promise<void> {
    await tx.$executeRaw(Prisma.sql`UPDATE "Run" SET "lastSeq" = ${lastSeq} WHERE id = ${id}`);
  }
}
