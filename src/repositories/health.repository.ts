import type { Db } from '../db/client.ts';

export class HealthRepository {
  constructor(private readonly deps: { db: Db }) {}

  async ping(): Promise<void> {
    await this.deps.db.$queryRawUnsafe('SELECT 1');
  }

  /** Names of migrations Prisma's history table records as applied. */
  async appliedMigrations(): Promise<string[]> {
    const rows = await this.deps.db.$queryRawUnsafe<{ name: string }[]>(
      'SELECT migration_name AS name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    return rows.map((row) => row.name);
  }
}
