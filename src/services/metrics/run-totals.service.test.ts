import pino from 'pino';
import { openDatabase } from '../../db/client.ts';
import { migrate } from '../../db/migrator.ts';
import { createTempDatabase } from '../../test/temp-database.ts';
import { ExecutorRepository } from '../../repositories/executor.repository.ts';
import { RunTotalsRepository } from '../../repositories/run-totals.repository.ts';
import { composeTestServices } from '../../test/compose.ts';
import { PROVIDERS, useMigratedDatabase } from '../../test/database-suite.ts';
import { createProjectWithWorkflow } from '../../test/factories.ts';
import { ManualClock } from '../../test/manual-clock.ts';
import { RunTotalsService } from './run-totals.service.ts';

describe.each(PROVIDERS)('RunTotalsService (%s)', (provider) => {
  const database = useMigratedDatabase(provider);

  it('counts finished runs per workflow from the rollups, the active ones per project, the oldest queued run, and reuses a read for cacheMs', async () => {
    const clock = new ManualClock(new Date('2026-03-01T10:00:00Z'));
    const services = composeTestServices(database(), { clock });
    const first = await createProjectWithWorkflow(services);
    const second = await createProjectWithWorkflow(services);
    const finish = async (target: typeof first, to: 'SUCCEEDED' | 'FAILED') => {
      const run = await services.recorder.createRun({ projectId: target.project.id, workflowId: target.workflow.id, trigger: 'API', steps: [] });
      await services.recorder.recordTransition({ runId: run.id, to: 'RUNNING' });
      await services.recorder.recordTransition({ runId: run.id, to });
    };
    await finish(first, 'SUCCEEDED');
    await finish(first, 'SUCCEEDED');
    await finish(first, 'FAILED');
    await finish(second, 'SUCCEEDED');
    const queued = await services.recorder.createRun({ projectId: second.project.id, workflowId: second.workflow.id, trigger: 'API', steps: [] });
    clock.set(new Date('2026-03-01T10:01:00Z'));
    const totals = new RunTotalsService(
      { reader: database().reader, runTotals: new RunTotalsRepository(), executors: services.repositories.executors, clock, logger: pino({ level: 'silent' }) },
      { cacheMs: 5_000, maxRows: 10 },
    );

    const read = await totals.current();
    await services.recorder.createRun({ projectId: first.project.id, workflowId: first.workflow.id, trigger: 'API', steps: [] });
    const cached = await totals.current();
    clock.set(new Date('2026-03-01T10:01:05Z'));
    const later = await totals.current();

    const ofFirst = read.byWorkflow.filter((row) => row.project === first.project.slug);
    expect(ofFirst).toEqual([
      { project: first.project.slug, workflow: first.workflow.name, status: 'FAILED', count: 1 },
      { project: first.project.slug, workflow: first.workflow.name, status: 'SUCCEEDED', count: 2 },
    ]);
    expect(read.byWorkflow.filter((row) => row.project === second.project.slug)).toEqual([{ project: second.project.slug, workflow: second.workflow.name, status: 'SUCCEEDED', count: 1 }]);
    expect(read.active).toEqual([{ project: second.project.slug, status: 'QUEUED', count: 1 }]);
    expect(read.oldestQueuedAt).toEqual(queued.createdAt);
    expect(read.capped).toBe(false);
    expect(cached).toBe(read);
    expect(later.active.map((row) => row.count).reduce((sum, count) => sum + count, 0)).toBe(2);
  });

  it('reports at most maxRows (workflow, status) rows, and says it left some out', async () => {
    const services = composeTestServices(database());
    for (const target of [await createProjectWithWorkflow(services), await createProjectWithWorkflow(services)]) {
      const run = await services.recorder.createRun({ projectId: target.project.id, workflowId: target.workflow.id, trigger: 'API', steps: [] });
      await services.recorder.recordTransition({ runId: run.id, to: 'ABORTED' });
    }
    const totals = new RunTotalsService(
      { reader: database().reader, runTotals: new RunTotalsRepository(), executors: services.repositories.executors, clock: { now: () => new Date() }, logger: pino({ level: 'silent' }) },
      { cacheMs: 0, maxRows: 1 },
    );

    const read = await totals.current();

    expect(read.byWorkflow).toHaveLength(1);
    expect(read.capped).toBe(true);
  });
});

describe('RunTotalsService when the database fails', () => {
  it('answers the same failure for cacheMs instead of reading again, then tries again', async () => {
    const temp = await createTempDatabase('sqlite');
    await migrate(temp.config);
    const broken = await openDatabase(temp.config, pino({ level: 'silent' }));
    await broken.close();
    const clock = new ManualClock(new Date('2026-03-01T10:00:00Z'));
    const totals = new RunTotalsService(
      { reader: broken.reader, runTotals: new RunTotalsRepository(), executors: new ExecutorRepository({ db: broken.db }), clock, logger: pino({ level: 'silent' }) },
      { cacheMs: 5_000, maxRows: 10 },
    );

    const first = await totals.current().catch((error: unknown) => error);
    const again = await totals.current().catch((error: unknown) => error);
    clock.set(new Date('2026-03-01T10:00:05Z'));
    const later = await totals.current().catch((error: unknown) => error);
    await temp.drop();

    expect(first).toEqual(expect.objectContaining({ message: expect.any(String) }));
    expect(again).toBe(first);
    expect(later).not.toBe(first);
  });
});
