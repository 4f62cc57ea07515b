import type { Db, Tx } from '../db/client.ts';
import { Prisma, type Run } from '../generated/sqlite/client.ts';

export type RunRecord = Run;

export class RunRepository {
  constructor(private readonly deps: { db: Db }) {}

  findById(id: string, client: Db | Tx = this.deps.db): Promise<RunRecord | null> {
    return client.run.findUnique({ where: { id } });
  }

  listByIds(ids: readonly string[]): Promise<RunRecord[]> {
    return this.deps.db.run.findMany({ where: { id: { in: [...ids] } } });
  }

  /**
   * The next `limit` runs in this status after `after`, oldest first: the engine's queue and
   * recovery order, read a page at a time along the (status, createdAt, id) index.
   */
  listByStatusAfter(status: string, after: Pick<RunRecord, 'createdAt' | 'id'> | null, limit: number): Promise<RunRecord[]> {
    const where: Prisma.RunWhereInput = after
      ? { status, OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] }
      : { status };
    return this.deps.db.run.findMany({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: limit });
  }

  countByStatus(statuses: readonly string[]): Promise<number> {
    return this.deps.db.run.count({ where: { status: { in: [...statuses] } } });
  }

  create(tx: Tx, data: Prisma.RunUncheckedCreateInput): Promise<RunRecord> {
    return tx.run.create({ data });
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
