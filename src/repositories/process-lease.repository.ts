import type { Db } from '../db/client.ts';
import { Prisma } from '../generated/sqlite/client.ts';

/**
 * Leases of singleton duties: a holder keeps one by renewing it before it expires; anyone takes
 * it once it expired, and every change of holder bumps its fence. One statement on both databases.
 */
export class ProcessLeaseRepository {
  constructor(private readonly deps: { db: Db }) {}

  /** Takes or renews the lease; the fence while held, null while someone else holds it. */
  async acquire(name: string, holder: string, now: Date, expiresAt: Date): Promise<number | null> {
    const rows = await this.deps.db.$queryRaw<{ fence: number | bigint }[]>(Prisma.sql`
      INSERT INTO "ProcessLease" (name, holder, fence, "expiresAt") VALUES (${name}, ${holder}, 1, ${expiresAt})
      ON CONFLICT (name) DO UPDATE SET
        fence = CASE WHEN "ProcessLease".holder = excluded.holder THEN "ProcessLease".fence ELSE "ProcessLease".fence + 1 END,
        holder = excluded.holder,
        "expiresAt" = excluded."expiresAt"
      WHERE "ProcessLease".holder = excluded.holder OR "ProcessLease"."expiresAt" < ${now}
      RETURNING fence`);
    const [row] = rows;
    return row ? Number(row.fence) : null;
  }

  /** Lets go at once, so the next holder need not wait for the lease to expire. */
  async release(name: string, holder: string): Promise<void> {
    await this.deps.db.$executeRaw(Prisma.sql`UPDATE "ProcessLease" SET "expiresAt" = ${new Date(0)} WHERE name = ${name} AND holder = ${holder}`);
  }
}
