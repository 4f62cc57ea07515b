import type { Tx } from '../db/client.ts';
import { startOfDay, startOfHour } from '../domain/time-buckets.ts';
import { Prisma } from '../generated/sqlite/client.ts';

/** Where a run is counted: its workflow, trigger and the hour and day of its createdAt. */
export interface BucketKey {
  projectId: string;
  workflowId: string;
  trigger: string;
  hour: Date;
  day: Date;
}

export function bucketKeyOf(run: { projectId: string; workflowId: string; trigger: string; createdAt: Date }): BucketKey {
  return { projectId: run.projectId, workflowId: run.workflowId, trigger: run.trigger, hour: startOfHour(run.createdAt), day: startOfDay(run.createdAt) };
}

/** The three rollups move together, in the transaction of the run's event. */
export class StatusBucketRepository {
  async increment(tx: Tx, key: BucketKey, status: string): Promise<void> {
    await tx.$executeRaw(Prisma.sql`
      INSERT INTO "StatusBucket" ("workflowId", hour, status, trigger, "projectId", count)
      VALUES (${key.workflowId}, ${key.hour}, ${status}, ${key.trigger}, ${key.projectId}, 1)
      ON CONFLICT ("workflowId", hour, status, trigger) DO UPDATE SET count = "StatusBucket".count + 1`);
    await tx.$executeRaw(Prisma.sql`
      INSERT INTO "StatusDayBucket" ("workflowId", day, status, trigger, "projectId", count)
      VALUES (${key.workflowId}, ${key.day}, ${status}, ${key.trigger}, ${key.projectId}, 1)
      ON CONFLICT ("workflowId", day, status, trigger) DO UPDATE SET count = "StatusDayBucket".count + 1`);
    await tx.$executeRaw(Prisma.sql`
      INSERT INTO "StatusProjectBucket" ("projectId", hour, status, count) VALUES (${key.projectId}, ${key.hour}, ${status}, 1)
      ON CONFLICT ("projectId", hour, status) DO UPDATE SET count = "StatusProjectBucket".count + 1`);
  }

  async decrement(tx: Tx, key: BucketKey, status: string): Promise<void> {
    const hourly = await tx.$executeRaw(Prisma.sql`
      UPDATE "StatusBucket" SET count = count - 1
      WHERE "workflowId" = ${key.workflowId} AND hour = ${key.hour} AND status = ${status} AND trigger = ${key.trigger}`);
    const daily = await tx.$executeRaw(Prisma.sql`
      UPDATE "StatusDayBucket" SET count = count - 1
      WHERE "workflowId" = ${key.workflowId} AND day = ${key.day} AND status = ${status} AND trigger = ${key.trigger}`);
    const byProject = await tx.$executeRaw(Prisma.sql`
      UPDATE "StatusProjectBucket" SET count = count - 1 WHERE "projectId" = ${key.projectId} AND hour = ${key.hour} AND status = ${status}`);
    if (hourly !== 1 || daily !== 1 || byProject !== 1) {
      throw new Error(`No rollup row for ${key.workflowId} ${key.hour.toISOString()} ${status} ${key.trigger}: the rollups are out of step`);
    }
  }
}
