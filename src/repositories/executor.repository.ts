import type { Db } from '../db/client.ts';
import { Prisma } from '../generated/sqlite/client.ts';

export interface ExecutorRecord {
  id: string;
  host: string;
  pid: number;
  labels: Record<string, string>;
  concurrency: number;
  startedAt: Date;
  expiresAt: Date;
}

/** The processes that execute runs, each seen alive until its row expires. */
export class ExecutorRepository {
  constructor(private readonly deps: { db: Db }) {}

  async listAlive(now: Date): Promise<ExecutorRecord[]> {
    const rows = await this.deps.db.executor.findMany({ where: { expiresAt: { gt: now } }, orderBy: { id: 'asc' } });
    return rows.map((row) => ({ ...row, labels: labelsOf(row.labels, row.id) }));
  }

  async findById(id: string): Promise<ExecutorRecord | null> {
    const row = await this.deps.db.executor.findUnique({ where: { id } });
    return row && { ...row, labels: labelsOf(row.labels, row.id) };
  }

  async save(executor: ExecutorRecord): Promise<void> {
    await this.deps.db.executor.upsert({ where: { id: executor.id }, create: executor, update: executor });
  }

  async renew(id: string, expiresAt: Date): Promise<void> {
    await this.deps.db.$executeRaw(Prisma.sql`UPDATE "Executor" SET "expiresAt" = ${expiresAt} WHERE id = ${id}`);
  }

  async remove(id: string): Promise<void> {
    await this.deps.db.executor.deleteMany({ where: { id } });
  }
}

function labelsOf(value: Prisma.JsonValue, id: string): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`Executor ${id} has labels that are not an object`);
  const labels: Record<string, string> = {};
  for (const [key, label] of Object.entries(value)) {
    if (typeof label !== 'string') throw new Error(`Executor ${id} has label "${key}" that is not a string`);
    labels[key] = label;
  }
  return labels;
}
