import { createHash } from 'node:crypto';
import pino from 'pino';
import { openDatabase } from './client.ts';
import { migrate, migrationsDirectory, readMigrationFiles } from './migrator.ts';
import { composeTestServices } from '../test/compose.ts';
import { PROVIDERS } from '../test/database-suite.ts';
import { createTempDatabase } from '../test/temp-database.ts';

describe.each(PROVIDERS)('migrations on %s', (provider) => {
  it('applies every migration once, records it as Prisma does, and makes the database ready', async () => {
    const temp = await createTempDatabase(provider, 'migrator');
    const files = readMigrationFiles(migrationsDirectory(provider));
    try {
      const first = await migrate(temp.config);
      const second = await migrate(temp.config);
      const database = await openDatabase(temp.config, pino({ level: 'silent' }));
      const services = composeTestServices(database, { expectedMigrations: files.map((file) => file.name) });
      const rows = await database.db.$queryRawUnsafe<{ migration_name: string; checksum: string }[]>(
        'SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name',
      );
      const readiness = await services.health.readiness();
      await database.close();

      expect(files.length).toBeGreaterThan(0);
      expect(first).toEqual(files.map((file) => file.name));
      expect(second).toEqual([]);
      expect(rows).toEqual(files.map((file) => ({ migration_name: file.name, checksum: createHash('sha256').update(file.sql).digest('hex') })));
      expect(readiness).toEqual({ ready: true });
    } finally {
      await temp.drop();
    }
  });

  it('reports not ready while a migration this build ships is not applied', async () => {
    const temp = await createTempDatabase(provider, 'migrator');
    try {
      const files = readMigrationFiles(migrationsDirectory(provider));
      await migrate(temp.config);
      const database = await openDatabase(temp.config, pino({ level: 'silent' }));
      const expectedMigrations = [...files.map((file) => file.name), '29990101000000_future'];
      const services = composeTestServices(database, { expectedMigrations });
      const readiness = await services.health.readiness();
      await database.close();

      expect(readiness).toEqual({ ready: false, reason: 'migrations not applied: 29990101000000_future' });
    } finally {
      await temp.drop();
    }
  });

  it('rolls a failing migration back whole and names it', async () => {
    const temp = await createTempDatabase(provider, 'migrator');
    try {
      const broken = { name: '20000101000000_broken', sql: 'CREATE TABLE "Half" ("id" INTEGER);\nTHIS IS NOT SQL;', checksum: 'x' };

      await expect(migrate(temp.config, [broken])).rejects.toThrow(/Migration 20000101000000_broken failed/);
      const database = await openDatabase(temp.config, pino({ level: 'silent' }));
      const tables = await database.db.$queryRawUnsafe<unknown[]>(
        provider === 'sqlite' ? `SELECT name FROM sqlite_master WHERE name = 'Half'` : `SELECT table_name::text AS name FROM information_schema.tables WHERE table_name = 'Half'`,
      );
      await database.close();
      expect(tables).toEqual([]);
    } finally {
      await temp.drop();
    }
  });
});
