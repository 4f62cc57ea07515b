import type { Db } from '../db/client.ts';
import { Prisma } from '../generated/sqlite/client.ts';

export class InstanceSecretRepository {
  constructor(private readonly deps: { db: Db }) {}

  /**
   * The secret stored under `name`, stored first as `candidate` when there is none: processes
   * starting together on one database all end up with the one that was stored first.
   */
  async findOrCreate(name: string, candidate: string, now: Date): Promise<string> {
    await this.deps.db.$executeRaw(Prisma.sql`
      INSERT INTO "InstanceSecret" (name, value, "createdAt") VALUES (${name}, ${candidate}, ${now})
      ON CONFLICT (name) DO NOTHING`);
    const stored = await this.deps.db.instanceSecret.findUnique({ where: { name }, select: { value: true } });
    if (!stored) throw new Error(`The instance secret "${name}" vanished right after it was stored`);
    return stored.value;
  }
}
