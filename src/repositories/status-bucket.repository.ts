import type { Db, Tx } from '../db/client.ts';
import type { StatusBucket } from '../generated/sqlite/client.ts';

export interface BucketKey {
  projectId: string;
  workflowId: string;
  hour: Date;
}

export class StatusBucketRepository {
  constructor(private readonly deps: { db: Db }) {}

  async increment(tx: Tx, key: BucketKey, status: string): Promise<void> {
    await tx.statusBucket.upsert({
      where: { workflowId_hour_status: { workflowId: key.workflowId, hour: key.hour, status } },
      create: { ...key, status, count: 1 },
      update: { count: { increment: 1 } },
    });
  }

  async decrement(tx: Tx, key: BucketKey, status: string): Promise<void> {
    await tx.statusBucket.update({
      where: { workflowId_hour_status: { workflowId: key.workflowId, hour: key.hour, status } },
      data: { count: { decrement: 1 } },
    });
  }

  listAll(): Promise<StatusBucket[]> {
    return this.deps.db.statusBucket.findMany();
  }
}
