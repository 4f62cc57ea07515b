import { Writable } from 'node:stream';
import pino from 'pino';
import { idTime } from '../domain/ids.ts';
import { HistoryPartitionRepository } from '../repositories/history-partition.repository.ts';
import { composeTestServices } from '../test/compose.ts';
import { useMigratedDatabase } from '../test/database-suite.ts';
import { createProjectWithWorkflow } from '../test/factories.ts';
import { ManualClock } from '../test/manual-clock.ts';
import { seederFor } from '../test/seeder.ts';
import { HistoryPartitionService } from './history-partition.service.ts';

const database = useMigratedDatabase('postgresql');

function capturedLogger(lines: string[]) {
  return pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) }));
}

/** Where each history row of `runId` lies: "<table>_<partition suffix>" per row. */
async function placesOf(runId: string): Promise<string[]> {
  const rows = await database().db.$queryRawUnsafe<{ place: string }[]>(
    `SELECT tableoid::regclass::text AS place FROM "Run" WHERE id = $1 UNION ALL
     SELECT tableoid::regclass::text FROM "StepRun" WHERE "runId" = $1 UNION ALL
     SELECT tableoid::regclass::text FROM "RunEvent" WHERE "runId" = $1`,
    runId,
  );
  return [...new Set(rows.map((row) => row.place))].sort();
}

describe('PostgreSQL history partitions', () => {
  it('creates the partitions of a stretch in every history table, once', async () => {
    const partitions = composeTestServices(database()).partitions;

    const first = await partitions?.ensurePartitions(new Date(Date.UTC(2030, 0, 15)), new Date(Date.UTC(2030, 2, 1)));
    const again = await partitions?.ensurePartitions(new Date(Date.UTC(2030, 0, 1)), new Date(Date.UTC(2030, 2, 1)));

    expect(first).toEqual({
      created: ['Run_p20300101', 'Run_p20300201', 'StepRun_p20300101', 'StepRun_p20300201', 'RunEvent_p20300101', 'RunEvent_p20300201'],
      blocked: [],
    });
    expect(again).toEqual({ created: [], blocked: [] });
  });

  it('puts a run, created or retried for a cron tick, with its steps and events into the partition of its creation', async () => {
    const clock = new ManualClock(new Date(Date.UTC(2030, 1, 28, 23, 59, 59, 999)));
    const services = composeTestServices(database(), { clock });
    const { project, workflow } = await createProjectWithWorkflow(services);
    const first = await services.recorder.createRun({ projectId: project.id, workflowId: workflow.id, trigger: 'SCHEDULER', steps: ['build', 'test'], cronTick: clock.now() });
    clock.set(new Date(Date.UTC(2030, 0, 31, 12)));
    const retry = await services.recorder.createRun({ projectId: project.id, workflowId: workflow.id, trigger: 'RETRY', steps: ['build', 'test'], retryOfId: first.id, attempt: 2 });

    expect([idTime(first.id), idTime(retry.id)]).toEqual([first.createdAt.getTime(), retry.createdAt.getTime()]);
    expect(await placesOf(first.id)).toEqual(['"RunEvent_p20300201"', '"Run_p20300201"', '"StepRun_p20300201"']);
    expect(await placesOf(retry.id)).toEqual(['"RunEvent_p20300101"', '"Run_p20300101"', '"StepRun_p20300101"']);
  });

  it('finds a step of a partitioned run by its name when recording its status', async () => {
    const clock = new ManualClock(new Date(Date.UTC(2030, 0, 20)));
    const services = composeTestServices(database(), { clock });
    const { project, workflow } = await createProjectWithWorkflow(services);
    const run = await services.recorder.createRun({ projectId: project.id, workflowId: workflow.id, trigger: 'MANUAL', steps: ['build', 'test'] });
    clock.set(new Date(Date.UTC(2030, 1, 2)));
    await services.recorder.recordTransition({ runId: run.id, to: 'RUNNING' });
    await services.recorder.recordStepTransition({ runId: run.id, step: 'test', to: 'RUNNING' });

    const steps = await services.repositories.steps.listByRunIds([run.id]);
    expect(steps.map((step) => [step.name, step.status])).toEqual([
      ['build', 'NOT_STARTED'],
      ['test', 'RUNNING'],
    ]);
  });

  it('seeds months of history into partitions made before the first run is written', async () => {
    const from = new Date(Date.UTC(2032, 0, 20));
    await seederFor(database()).seed({ runs: 300, projects: 1, workflowsPerProject: 2, from, to: new Date(Date.UTC(2032, 2, 10)) });

    const places = await database().db.$queryRawUnsafe<{ place: string }[]>(
      `SELECT DISTINCT tableoid::regclass::text AS place FROM "Run" WHERE "createdAt" >= $1 UNION
       SELECT DISTINCT tableoid::regclass::text FROM "StepRun" WHERE id >= 'step_' || $2 UNION
       SELECT DISTINCT tableoid::regclass::text FROM "RunEvent" WHERE "runId" >= 'run_' || $2 ORDER BY 1`,
      from,
      from.getTime().toString(32).padStart(9, '0'),
    );
    expect(places.map((row) => row.place)).toEqual(
      ['RunEvent', 'Run', 'StepRun'].flatMap((table) => ['20320101', '20320201', '20320301'].map((day) => `"${table}_p${day}"`)),
    );
  });

  it('adds the partitions of the current and next intervals, and warns when rows lie in a DEFAULT partition', async () => {
    const now = new Date(Date.UTC(2031, 5, 10));
    const services = composeTestServices(database(), { clock: new ManualClock(now) });
    const { project, workflow } = await createProjectWithWorkflow(services);
    const stray = await services.recorder.createRun({ projectId: project.id, workflowId: workflow.id, trigger: 'MANUAL', steps: ['build'] });
    const lines: string[] = [];
    const partitions = new HistoryPartitionService(
      { partitions: new HistoryPartitionRepository({ db: database().db }), logger: capturedLogger(lines) },
      { interval: 'month', aheadIntervals: 3 },
    );

    const round = await partitions.maintain(now);
    const readiness = await services.health.readiness();

    expect(await placesOf(stray.id)).toEqual(['"RunEvent_default"', '"Run_default"', '"StepRun_default"']);
    expect(round.added).toEqual({
      created: ['Run_p20310701', 'Run_p20310801', 'Run_p20310901', 'StepRun_p20310701', 'StepRun_p20310801', 'StepRun_p20310901', 'RunEvent_p20310701', 'RunEvent_p20310801', 'RunEvent_p20310901'],
      blocked: ['Run_p20310601', 'StepRun_p20310601', 'RunEvent_p20310601'],
    });
    expect(round.defaultRows).toEqual([
      { table: 'Run', rows: 1 },
      { table: 'StepRun', rows: 1 },
      { table: 'RunEvent', rows: 1 },
    ]);
    expect(lines.filter((line) => line.includes('"level":40')).map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual([
      'partitions.blocked_by_default_rows',
      'partitions.default_has_rows: history rows lie in a DEFAULT partition (README "Storage layout on PostgreSQL")',
    ]);
    expect(readiness).toEqual({
      ready: true,
      warnings: ['Run', 'StepRun', 'RunEvent'].map((table) => `The DEFAULT partition of "${table}" holds rows: their period has no partition (README "Storage layout on PostgreSQL")`),
    });
  });
});
