import { createHash } from 'node:crypto';
import pino from 'pino';
import { openDatabase } from './client.ts';
import { migrate, migrationsDirectory, readMigrationFiles } from './migrator.ts';
import { composeTestServices } from '../test/compose.ts';
import { PROVIDERS } from '../test/database-suite.ts';
import { createTempDatabase } from '../test/temp-database.ts';
import { newId } from '../domain/ids.ts';

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

describe('partitioning the history of an existing PostgreSQL database', () => {
  it('moves the runs, steps and events into the partitions of their runs and keeps every key', async () => {
    const temp = await createTempDatabase('postgresql', 'migrator');
    const files = readMigrationFiles(migrationsDirectory('postgresql'));
    const partitioning = files.findIndex((file) => file.name.endsWith('_partition_history'));
    try {
      await migrate(temp.config, files.slice(0, partitioning));
      const before = await openDatabase(temp.config, pino({ level: 'silent' }));
      const november = new Date(Date.UTC(2026, 10, 30, 23, 59, 59, 999));
      const december = new Date(Date.UTC(2026, 11, 1));
      await before.db.project.create({ data: { id: 'prj_1', slug: 'p', name: 'P' } });
      await before.db.workflow.create({ data: { id: 'wf_1', projectId: 'prj_1', name: 'w', tags: [], definition: 'steps: []', hash: 'h' } });
      const runs = [november, december].map((at) => ({ at, id: newId('run', at), stepId: newId('step', at) }));
      for (const [index, run] of runs.entries()) {
        // In SQL: the client knows the columns later migrations add, which this database has not yet.
        await before.db.$executeRaw`INSERT INTO "Run" (id, "projectId", "workflowId", status, trigger, "createdAt", "lastSeq") VALUES (${run.id}, 'prj_1', 'wf_1', 'SUCCEEDED', 'MANUAL', ${run.at}, ${index + 1})`;
        await before.db.stepRun.create({ data: { id: run.stepId, runId: run.id, name: 'build', status: 'SUCCEEDED' } });
        await before.db.runEvent.create({ data: { seq: index + 1, runId: run.id, stepRunId: run.stepId, projectId: 'prj_1', workflowId: 'wf_1', kind: 'STEP', to: 'SUCCEEDED', at: run.at } });
        await before.db.cronTick.create({ data: { workflowId: 'wf_1', fireAt: run.at, runId: run.id } });
        await before.db.stepLogChunk.create({ data: { stepRunId: run.stepId, offset: 0, bytes: Buffer.from('log') } });
        await before.db.approvalDecision.create({ data: { stepRunId: run.stepId, decision: 'APPROVE', decidedAt: run.at } });
      }
      await before.close();

      expect(await migrate(temp.config)).toEqual(files.slice(partitioning).map((file) => file.name));
      const after = await openDatabase(temp.config, pino({ level: 'silent' }));
      const placed = await after.db.$queryRawUnsafe<{ place: string; id: string }[]>(`
        SELECT tableoid::regclass::text AS place, id FROM "Run" UNION ALL
        SELECT tableoid::regclass::text, "runId" FROM "StepRun" UNION ALL
        SELECT tableoid::regclass::text, "runId" FROM "RunEvent" ORDER BY 1`);
      await after.db.run.delete({ where: { id: runs[0]?.id ?? '' } });
      const left = await Promise.all([after.db.stepRun.count(), after.db.runEvent.count(), after.db.cronTick.count(), after.db.stepLogChunk.count(), after.db.approvalDecision.count()]);
      const duplicateStep = after.db.stepRun.create({ data: { id: newId('step', december), runId: runs[1]?.id ?? '', name: 'build', status: 'QUEUED' } });
      await expect(duplicateStep).rejects.toThrow();
      await after.close();

      expect(placed).toEqual([
        { place: '"RunEvent_p20261101"', id: runs[0]?.id },
        { place: '"RunEvent_p20261201"', id: runs[1]?.id },
        { place: '"Run_p20261101"', id: runs[0]?.id },
        { place: '"Run_p20261201"', id: runs[1]?.id },
        { place: '"StepRun_p20261101"', id: runs[0]?.id },
        { place: '"StepRun_p20261201"', id: runs[1]?.id },
      ]);
      // The foreign keys came back: deleting a run still takes its steps (with their logs and decisions), events and cron tick with it.
      expect(left).toEqual([1, 1, 1, 1, 1]);
    } finally {
      await temp.drop();
    }
  });
});
