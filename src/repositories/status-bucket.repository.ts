import type { Db, Tx } from '../db/client.ts';
import { Prisma } from '../generated/sqlite/client.ts';

export interface BucketKey {
  projectId: string;
  workflowId: string;
  hour: Date;
}

export class StatusBucketRepository {
  constructor(private readonly deps: { db: Db }) {}

  async increment(tx: Tx, key: BucketKey, status: string): Promise<void> {
    await tx.$executeRaw(Prisma.sql`
      INSERT INTO "StatusBucket" ("workflowId", hour, status, "projectId", count) VALUES (${key.workflowId}, ${key.hour}, ${status}, ${key.projectId}, 1)
      ON CONFLICT ("workflowId", hour, status) DO UPDATE SET count = "StatusBucket".count + 1`);
  }

  async decrement(tx: Tx, key: BucketKey, status: string): Promise<void> {
    const changed = await tx.$executeRaw(Prisma.sql`
      UPDATE "StatusBucket" SET count = count - 1 WHERE "workflowId" = ${key.workflowId} AND hour = ${key.hour} AND status = ${status}`);
    if (changed !== 1) throw new Error(`No StatusBucket row for ${key.workflowId} ${key.hour.toISOString()} ${status}: the rollup is out of step`);
  }

}
