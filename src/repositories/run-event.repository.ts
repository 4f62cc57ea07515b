import type { Db, Tx } from '../db/client.ts';
import { Prisma, type RunEvent } from '../generated/sqlite/client.ts';

export type RunEventRecord = RunEvent;

/** The EventCounter row that allocates RunEvent seqs; its value is the head snapshot. */
export const RUN_EVENT_COUNTER = 'runEvent';

export class RunEventRepository {
  constructor(private readonly deps: { db: Db }) {}

  /**
   * Allocates the next global seq. The counter row stays locked until the transaction ends,
   * so writers commit in seq order: no reader ever sees seq N+1 while N is still in flight.
   */
  async nextSeq(tx: Tx): Promise<bigint> {
    // One statement on both databases (the hot path of every status change; Prisma's upsert takes two).
    const [counter] = await tx.$queryRaw<{ value: bigint }[]>(Prisma.sql`
      INSERT INTO "EventCounter" (name, value) VALUES (${RUN_EVENT_COUNTER}, 1)
      ON CONFLICT (name) DO UPDATE SET value = "EventCounter".value + 1
      RETURNING value`);
    if (!counter) throw new Error('The event counter upsert returned no row');
    return BigInt(counter.value);
  }

  async append(tx: Tx, event: RunEventRecord): Promise<RunEventRecord> {
    await tx.$executeRaw(Prisma.sql`
      INSERT INTO "RunEvent" (seq, "runId", "stepRunId", "projectId", "workflowId", kind, "from", "to", at, message, actor)
      VALUES (${event.seq}, ${event.runId}, ${event.stepRunId}, ${event.projectId}, ${event.workflowId}, ${event.kind},
              ${event.from}, ${event.to}, ${event.at}, ${event.message}, ${event.actor})`);
    return event;
  }

  listByRunIds(runIds: readonly string[]): Promise<RunEventRecord[]> {
    return this.deps.db.runEvent.findMany({ where: { runId: { in: [...runIds] } }, orderBy: { seq: 'asc' } });
  }
}
