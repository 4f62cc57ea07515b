import { Writable } from 'node:stream';
import pino from 'pino';
import { HISTORY_REFERRERS } from '../domain/history/history-partitions.ts';
import { idTime } from '../domain/ids.ts';
import { DefaultPartitionRowsRepository } from '../repositories/default-partition-rows.repository.ts';
import { HistoryPartitionRepository } from '../repositories/history-partition.repository.ts';
import { composeTestServices } from '../test/compose.ts';
import { postgresWriter, useMigratedDatabase } from '../test/database-suite.ts';
import { createProjectWithWorkflow } from '../test/factories.ts';
import { ManualClock } from '../test/manual-clock.ts';
import { ADMIN_PRINCIPAL } from '../test/principals.ts';
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

  it('adds the partitions of the current and next intervals, and moves the rows a DEFAULT partition holds into the partitions of their period', async () => {
    const now = new Date(Date.UTC(2031, 5, 10));
    const services = composeTestServices(database(), { clock: new ManualClock(now) });
    const { project, workflow } = await createProjectWithWorkflow(services);
    const stray = await services.recorder.createRun({ projectId: project.id, workflowId: workflow.id, trigger: 'MANUAL', steps: ['build'] });
    const lines: string[] = [];
    const partitions = new HistoryPartitionService(
      { partitions: new HistoryPartitionRepository({ db: database().db }), defaultRows: new DefaultPartitionRowsRepository({ writer: postgresWriter(database()) }), logger: capturedLogger(lines) },
      { interval: 'month', aheadIntervals: 3 },
    );
    const placeBefore = await placesOf(stray.id);
    const warningsBefore = await services.health.readiness();

    const round = await partitions.maintain(now);

    expect(placeBefore).toEqual(['"RunEvent_default"', '"Run_default"', '"StepRun_default"']);
    expect(warningsBefore).toEqual({
      ready: true,
      warnings: ['Run', 'StepRun', 'RunEvent'].map((table) => `The DEFAULT partition of "${table}" holds rows: their period has no partition (README "Storage layout on PostgreSQL")`),
    });
    expect(round).toEqual({
      added: {
        created: ['Run_p20310701', 'Run_p20310801', 'Run_p20310901', 'StepRun_p20310701', 'StepRun_p20310801', 'StepRun_p20310901', 'RunEvent_p20310701', 'RunEvent_p20310801', 'RunEvent_p20310901'],
        blocked: ['Run_p20310601', 'StepRun_p20310601', 'RunEvent_p20310601'],
      },
      moved: [{ partitions: ['Run_p20310601', 'StepRun_p20310601', 'RunEvent_p20310601'], rows: { Run: 1, StepRun: 1, RunEvent: 1 } }],
      defaultRows: [],
    });
    expect(await placesOf(stray.id)).toEqual(['"RunEvent_p20310601"', '"Run_p20310601"', '"StepRun_p20310601"']);
    expect(lines.map((line) => JSON.parse(line) as { level: number; msg: string }).map((line) => [line.level, line.msg])).toEqual([
      [40, 'partitions.blocked_by_default_rows'],
      [30, 'partitions.created'],
      [30, 'partitions.default_rows_moved'],
    ]);
    expect(await services.health.readiness()).toEqual({ ready: true });
  });

  it('knows every foreign key that refers to the history tables, which a move out of a DEFAULT partition keeps aside', async () => {
    const rows = await database().db.$queryRawUnsafe<{ key: string }[]>(
      `SELECT c.conrelid::regclass::text || '.' || a.attname || ' -> ' || c.confrelid::regclass::text AS key
         FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        WHERE c.contype = 'f' AND c.conparentid = 0 AND c.confrelid IN ('"Run"'::regclass, '"StepRun"'::regclass, '"RunEvent"'::regclass) ORDER BY 1`,
    );

    expect(rows.map((row) => row.key)).toEqual(
      [
        ...HISTORY_REFERRERS.map((referrer) => `"${referrer.table}".${referrer.column} -> "${referrer.of}"`),
        '"RunEvent".runId -> "Run"',
        '"RunEvent".stepRunId -> "StepRun"',
        '"StepRun".runId -> "Run"',
      ].sort(),
    );
  });

  it('moves runs of a past period out of the DEFAULT partitions with everything that refers to them, and answers as before', async () => {
    const clock = new ManualClock(new Date(Date.UTC(2034, 1, 20)));
    const services = composeTestServices(database(), { clock });
    await services.partitions?.ensurePartitions(new Date(Date.UTC(2034, 1, 1)), new Date(Date.UTC(2034, 4, 1)));
    // The March partitions were not made in time: that month's runs land in the DEFAULT partitions.
    for (const table of ['RunEvent', 'StepRun', 'Run']) {
      await database().db.$executeRawUnsafe(`ALTER TABLE "${table}" DETACH PARTITION "${table}_p20340301"`);
      await database().db.$executeRawUnsafe(`DROP TABLE "${table}_p20340301"`);
    }
    const { project, workflow } = await createProjectWithWorkflow(services);
    const create = (trigger: 'MANUAL' | 'RETRY' | 'SCHEDULER', extra: { retryOfId?: string; attempt?: number; cronTick?: Date } = {}) =>
      services.recorder.createRun({ projectId: project.id, workflowId: workflow.id, trigger, steps: ['build', 'test'], ...extra });
    const february = await create('MANUAL');
    clock.set(new Date(Date.UTC(2034, 2, 3)));
    const retryOfFebruary = await create('RETRY', { retryOfId: february.id, attempt: 2 });
    const scheduled = await create('SCHEDULER', { cronTick: clock.now() });
    await services.recorder.recordTransition({ runId: scheduled.id, to: 'RUNNING' });
    const step = await services.recorder.recordStepTransition({ runId: scheduled.id, step: 'build', to: 'RUNNING' });
    await services.repositories.logChunks.append(step.id, 0, Buffer.from('building\n'));
    await services.recorder.recordStepTransition({ runId: scheduled.id, step: 'build', to: 'SUCCEEDED' });
    await services.recorder.recordTransition({ runId: scheduled.id, to: 'SUCCEEDED' });
    clock.set(new Date(Date.UTC(2034, 2, 20)));
    const failing = await create('MANUAL');
    await services.recorder.recordTransition({ runId: failing.id, to: 'RUNNING' });
    await services.recorder.recordTransition({ runId: failing.id, to: 'FAILED' });
    clock.set(new Date(Date.UTC(2034, 3, 2)));
    const retryOfMarch = await create('RETRY', { retryOfId: failing.id, attempt: 2 });
    const march = [retryOfFebruary, scheduled, failing];
    const answers = async () => {
      // Services of their own: no answer cached before the move.
      const fresh = composeTestServices(database());
      const page = await fresh.history.runsPage(ADMIN_PRINCIPAL, {}, { first: 50 });
      const counts = await fresh.history.statusCounts(ADMIN_PRINCIPAL, {}, null);
      const runs = await database().db.run.findMany({ where: { projectId: project.id }, orderBy: { id: 'asc' }, select: { id: true, status: true, retryOfId: true } });
      const steps = await fresh.repositories.steps.listByRunIds(march.map((run) => run.id));
      return {
        page: page.edges.map((edge) => [edge.node.id, edge.node.status]),
        counts: { total: counts.total, byStatus: counts.byStatus },
        runs,
        steps: steps.map((row) => [row.id, row.name, row.status]),
        events: await database().db.runEvent.count({ where: { runId: { in: march.map((run) => run.id) } } }),
        log: (await fresh.repositories.logChunks.read(step.id, 0, 9)).toString(),
        cronTicks: await database().db.cronTick.count({ where: { runId: scheduled.id } }),
      };
    };
    const before = await answers();
    const inDefault = await defaultCounts();

    const round = await services.partitions?.maintain(clock.now());

    expect(before.runs).toContainEqual({ id: retryOfMarch.id, status: 'QUEUED', retryOfId: failing.id });
    expect(before.cronTicks).toBe(1);
    expect(round?.moved).toEqual([{ partitions: ['Run_p20340301', 'StepRun_p20340301', 'RunEvent_p20340301'], rows: inDefault }]);
    expect(inDefault).toEqual({ Run: 3, StepRun: 6, RunEvent: before.events });
    expect(await defaultCounts()).toEqual({ Run: 0, StepRun: 0, RunEvent: 0 });
    for (const run of march) expect(await placesOf(run.id)).toEqual(['"RunEvent_p20340301"', '"Run_p20340301"', '"StepRun_p20340301"']);
    expect(await answers()).toEqual(before);
    expect(await indexesOf('p20340301')).toEqual(await indexesOf('p20340201'));
    expect(await services.health.readiness()).toEqual({ ready: true });
  });
});

async function defaultCounts(): Promise<Record<'Run' | 'StepRun' | 'RunEvent', number>> {
  const [row] = await database().db.$queryRawUnsafe<{ Run: number; StepRun: number; RunEvent: number }[]>(
    `SELECT (SELECT count(*)::int FROM "Run_default") AS "Run", (SELECT count(*)::int FROM "StepRun_default") AS "StepRun", (SELECT count(*)::int FROM "RunEvent_default") AS "RunEvent"`,
  );
  if (!row) throw new Error('no counts');
  return row;
}

/** The indexes of a period's partitions, their names and the partition's suffix left out. */
async function indexesOf(suffix: string): Promise<string[]> {
  const rows = await database().db.$queryRawUnsafe<{ definition: string }[]>(
    `SELECT replace(regexp_replace(indexdef, 'INDEX "?[A-Za-z_0-9]+"? ON', 'INDEX ON'), $1, '') AS definition
       FROM pg_indexes WHERE tablename IN ('Run_' || $1, 'StepRun_' || $1, 'RunEvent_' || $1) ORDER BY 1`,
    suffix,
  );
  return rows.map((row) => row.definition);
}
