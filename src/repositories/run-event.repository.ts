import type { Db, Tx } from '../db/client.ts';
import type { Prisma, RunEvent } from '../generated/sqlite/client.ts';

export type RunEventRecord = RunEvent;

const RUN_EVENT_COUNTER = 'runEvent';

export class RunEventRepository {
  constructor(private readonly deps: { db: Db }) {}

  /**
   * Allocates the next global seq. The counter row stays locked until the transaction ends,
   * so writers commit in seq order: no reader ever sees seq N+1 while N is still in flight.
   */
  async nextSeq(tx: Tx): Promise<bigint> {
    const counter = await tx.eventCounter.upsert({
      where: { name: RUN_EVENT_COUNTER },
      create: { name: RUN_EVENT_COUNTER, value: 1n },
      update: { value: { increment: 1n } },
    });
    return counter.value;
  }

  append(tx: Tx, data: Prisma.RunEventUncheckedCreateInput): Promise<RunEventRecord> {
    return tx.runEvent.create({ data });
  }

  listByRunIds(runIds: readonly string[]): Promise<RunEventRecord[]> {
    return this.deps.db.runEvent.findMany({ where: { runId: { in: [...runIds] } }, orderBy: { seq: 'asc' } });
  }

  async headSeq(): Promise<bigint> {
    const counter = await this.deps.db.eventCounter.findUnique({ where: { name: RUN_EVENT_COUNTER } });
    return counter?.value ?? 0n;
  }
}
