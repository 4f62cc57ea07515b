import pino from 'pino';
import type { Database } from '../db/client.ts';
import { systemClock } from '../domain/clock.ts';
import { newId } from '../domain/ids.ts';
import { ACTIVE_RUN_STATUSES, type RunStatus } from '../domain/status.ts';
import { InProcessRunEventBus } from '../events/run-event-bus.ts';
import { HistoryWriteRepository } from '../repositories/history-write.repository.ts';
import { PROVIDERS, useMigratedDatabase } from '../test/database-suite.ts';
import { expectRollupsToMatchRuns } from '../test/rollup-assertions.ts';
import { seederFor } from '../test/seeder.ts';
import type { SeedProgress } from './history-seeder.ts';
import { RunRecorderService } from '../services/run-recorder.service.ts';

const DAY = 24 * 60 * 60 * 1000;
const RUNS = 2_000;

describe.each(PROVIDERS)('HistorySeeder on %s', (provider) => {
  const database = useMigratedDatabase(provider);
  const to = new Date();
  const from = new Date(to.getTime() - 30 * DAY);
  let recordedRunIds: string[] = [];
  let headBefore = 0n;
  let progress: SeedProgress[] = [];
  let result: { runs: number; steps: number; events: number };

  beforeAll(async () => {
    recordedRunIds = await recordSomeRuns(database());
    headBefore = await counterValue(database());
    progress = [];
    const seeder = seederFor(database());
    result = await seeder.seed({ runs: RUNS, from, to, seed: 7, batchSize: 300, onProgress: (update) => progress.push(update) });
  });

  it('writes the asked number of runs, each with its steps and events, into the seed projects', async () => {
    const db = database().db;
    const seededRuns = await db.run.count({ where: { project: { slug: { startsWith: 'seed-' } } } });
    const workflows = await db.workflow.findMany({ where: { project: { slug: { startsWith: 'seed-' } } }, include: { versions: true } });

    expect(result.runs).toBe(RUNS);
    expect(seededRuns).toBe(RUNS);
    expect(await db.stepRun.count({ where: { run: { project: { slug: { startsWith: 'seed-' } } } } })).toBe(result.steps);
    expect(await db.runEvent.count({ where: { seq: { gt: headBefore } } })).toBe(result.events);
    expect(workflows).toHaveLength(15);
    expect(workflows.every((workflow) => workflow.versions.some((version) => version.hash === workflow.hash))).toBe(true);
    expect(await db.run.count({ where: { project: { slug: { startsWith: 'seed-' } }, versionId: null } })).toBe(0);
  });

  it('reports progress after every batch, ending at the total', () => {
    expect(progress.length).toBeGreaterThanOrEqual(RUNS / 300);
    expect(progress.every((update, index) => index === 0 || update.done >= (progress[index - 1]?.done ?? 0))).toBe(true);
    expect(progress.at(-1)).toMatchObject({ done: RUNS, total: RUNS });
  });

  it('keeps every history invariant over the recorded and the seeded runs', async () => {
    await expectHistoryInvariants(database(), [headBefore]);
  });

  it('leaves the runs recorded before it as they were', async () => {
    const runs = await database().db.run.findMany({ where: { id: { in: recordedRunIds } }, orderBy: { createdAt: 'asc' } });

    expect(runs.map((run) => run.status)).toEqual(['SUCCEEDED', 'FAILED', 'RUNNING']);
    expect(runs.every((run) => run.lastSeq <= headBefore)).toBe(true);
  });

  it('points every retry at an earlier FAILED run of the same workflow', async () => {
    const retries = await database().db.run.findMany({ where: { retryOfId: { not: null } } });
    const retried = new Map((await database().db.run.findMany({ where: { id: { in: retries.flatMap((retry) => retry.retryOfId ?? []) } } })).map((run) => [run.id, run]));

    expect(retries.length).toBeGreaterThan(5);
    for (const retry of retries) {
      const original = retried.get(retry.retryOfId ?? '');
      expect(retry.trigger).toBe('RETRY');
      expect(original).toMatchObject({ status: 'FAILED', workflowId: retry.workflowId, attempt: retry.attempt - 1 });
      expect(original?.finishedAt?.getTime() ?? Infinity).toBeLessThanOrEqual(retry.createdAt.getTime());
    }
  });

  it('spreads runs over the range with a plausible status mix, only the newest few still active', async () => {
    const runs = await database().db.run.findMany({
      where: { project: { slug: { startsWith: 'seed-' } } },
      select: { status: true, createdAt: true, trigger: true, params: true, events: { select: { at: true } } },
    });
    const share = (status: string) => runs.filter((run) => run.status === status).length / runs.length;

    for (const status of ['FAILED', 'PARTIALLY_SUCCEEDED', 'ABORTED']) expect(share(status)).toBeGreaterThan(0.005);
    const active = runs.filter((run) => ACTIVE_RUN_STATUSES.has(run.status as RunStatus));
    expect(active.length).toBeLessThan(10);
    expect(active.every((run) => run.createdAt.getTime() >= to.getTime() - 9 * 60 * 60 * 1000)).toBe(true);
    expect(runs.every((run) => run.createdAt >= from && run.events.every((event) => event.at <= to))).toBe(true);
    expect(share('SUCCEEDED')).toBeGreaterThan(0.7);
    expect(runs.filter((run) => run.trigger === 'SCHEDULER').length / runs.length).toBeGreaterThan(0.7);
    expect(runs.some((run) => run.params !== null)).toBe(true);
  });

  it('saves the seeded workflows disabled, created at the start of the range', async () => {
    const workflows = await database().db.workflow.findMany({ where: { project: { slug: { startsWith: 'seed-' } } }, include: { versions: true } });

    expect(workflows.every((workflow) => !workflow.enabled && workflow.createdAt.getTime() === from.getTime())).toBe(true);
    expect(workflows.every((workflow) => workflow.versions.every((version) => version.createdAt.getTime() === from.getTime()))).toBe(true);
  });

  let headBeforeSecond = 0n;

  it('gives the same status counts for the same seed, and keeps the invariants seeding on top of a seeded history', async () => {
    const db = database().db;
    headBeforeSecond = await counterValue(database());
    const seeder = seederFor(database());

    await seeder.seed({ runs: RUNS, from, to, seed: 7, batchSize: 1_000 });

    const statusCounts = async (seqs: { gt: bigint } | { lte: bigint }) => {
      const groups = await db.run.groupBy({
        by: ['status'],
        where: { project: { slug: { startsWith: 'seed-' } }, lastSeq: seqs },
        _count: { _all: true },
      });
      return Object.fromEntries(groups.map((group) => [group.status, group._count._all]));
    };
    const second = await statusCounts({ gt: headBeforeSecond });
    const first = await statusCounts({ lte: headBeforeSecond });
    expect(second).toEqual(first);
    // The second history lies in the same range as the first, so seq order and time order agree within each one.
    await expectHistoryInvariants(database(), [headBefore, headBeforeSecond]);
  });

  it('refuses options it cannot honour with BAD_USER_INPUT, writing nothing', async () => {
    const seeder = seederFor(database());
    const runsBefore = await database().db.run.count();

    await expect(seeder.seed({ runs: -1 })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: 'runs must be a whole number of at least 0, got -1' });
    await expect(seeder.seed({ runs: 10, seed: 2 ** 32 })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining('seed must be a whole number from 0 to 4294967295') });
    await expect(seeder.seed({ runs: 10, from: to, to: from })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining('must be before to') });
    expect(await database().db.run.count()).toBe(runsBefore);
  });

  it('numbers events in time order across batches when many runs are still going at a batch boundary', async () => {
    const headBeforeDense = await counterValue(database());
    const seeder = seederFor(database());

    // A run every 3.6 s, most lasting half a minute or more: many span each boundary between batches of 25.
    await seeder.seed({ runs: RUNS, from: new Date(to.getTime() - 2 * 60 * 60 * 1000), to, seed: 8, batchSize: 25 });

    await expectHistoryInvariants(database(), [headBefore, headBeforeSecond, headBeforeDense]);
  });
});

describe('HistorySeeder on an empty PostgreSQL database', () => {
  const database = useMigratedDatabase('postgresql');
  const to = new Date();
  const from = new Date(to.getTime() - 30 * DAY);
  let structure: string[] = [];

  beforeAll(async () => {
    structure = await historyTableStructure(database());
    expect(structure).toEqual(expect.arrayContaining([expect.stringContaining('RunEvent_runId_seq_idx'), expect.stringContaining('RunEvent_runId_fkey')]));
  });

  it('leaves the tables empty, with their indexes and foreign keys, when the load fails part way', async () => {
    const interrupted = seederFor(database()).seed({
      runs: RUNS,
      from,
      to,
      batchSize: 300,
      onProgress: () => {
        throw new Error('interrupted after a batch');
      },
    });

    await expect(interrupted).rejects.toThrow('interrupted after a batch');
    expect([await database().db.run.count(), await database().db.stepRun.count(), await database().db.runEvent.count()]).toEqual([0, 0, 0]);
    expect(await counterValue(database())).toBe(0n);
    expect(await historyTableStructure(database())).toEqual(structure);
  });

  it('loads every run, then builds the same indexes and foreign keys again, keeping every invariant', async () => {
    const result = await seederFor(database()).seed({ runs: RUNS, from, to, seed: 7, batchSize: 300 });

    expect(result.runs).toBe(RUNS);
    expect(await database().db.run.count()).toBe(RUNS);
    expect(await historyTableStructure(database())).toEqual(structure);
    await expectHistoryInvariants(database(), [0n]);
  });
});

/**
 * The indexes and constraints of the run, step and event tables, each valid: those declared on
 * the tables, not the ones PostgreSQL derives for each partition (conparentid), whose number
 * follows the partitions the seeding made.
 */
async function historyTableStructure({ db }: Database): Promise<string[]> {
  const tables = `'"Run"'::regclass, '"StepRun"'::regclass, '"RunEvent"'::regclass`;
  const rows = await db.$queryRawUnsafe<{ line: string }[]>(
    `SELECT pg_get_indexdef(indexrelid) || CASE WHEN indisvalid THEN '' ELSE ' INVALID' END AS line FROM pg_index WHERE indrelid IN (${tables})
     UNION ALL
     SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) || CASE WHEN convalidated THEN '' ELSE ' NOT VALID' END FROM pg_constraint WHERE conrelid IN (${tables}) AND conparentid = 0
     ORDER BY 1`,
  );
  return rows.map((row) => row.line);
}

/** A few runs written the normal way, one transition at a time, before the seeding. */
async function recordSomeRuns({ db, writer }: Database): Promise<string[]> {
  const recorder = new RunRecorderService({
    clock: systemClock,
    bus: new InProcessRunEventBus(),
    historyWrites: new HistoryWriteRepository({ writer }),
    logger: pino({ level: 'silent' }),
  });
  const project = await db.project.create({ data: { id: newId('prj'), slug: 'recorded', name: 'Recorded by hand' } });
  const workflow = await db.workflow.create({
    data: { id: newId('wf'), projectId: project.id, name: 'by-hand', definition: 'steps:\n  - name: a\n    command: "true"\n', hash: 'by-hand', tags: [] },
  });
  const ids: string[] = [];
  for (const ending of ['SUCCEEDED', 'FAILED', null] as const) {
    const run = await recorder.createRun({ projectId: project.id, workflowId: workflow.id, trigger: 'MANUAL', steps: ['a'] });
    await recorder.recordTransition({ runId: run.id, to: 'RUNNING' });
    await recorder.recordStepTransition({ runId: run.id, step: 'a', to: 'RUNNING' });
    if (ending) {
      await recorder.recordStepTransition({ runId: run.id, step: 'a', to: ending === 'SUCCEEDED' ? 'SUCCEEDED' : 'FAILED', exitCode: ending === 'SUCCEEDED' ? 0 : 1 });
      await recorder.recordTransition({ runId: run.id, to: ending });
    }
    ids.push(run.id);
  }
  return ids;
}

async function counterValue({ db }: Database): Promise<bigint> {
  return (await db.eventCounter.findUnique({ where: { name: 'runEvent' } }))?.value ?? 0n;
}

async function count({ db }: Database, sql: string, ...args: unknown[]): Promise<number> {
  const rows = await db.$queryRawUnsafe<{ n: bigint | number }[]>(sql, ...args);
  return Number(rows[0]?.n ?? -1);
}

/** The invariants RunRecorderService keeps, proved with SQL over the whole database. */
async function expectHistoryInvariants(database: Database, seedingsAfter: readonly bigint[]): Promise<void> {
  const { db, provider } = database;
  const [first, second] = provider === 'sqlite' ? ['?', '?'] : ['$1', '$2'];

  const statusNotLastRunEvent = await count(
    database,
    `SELECT COUNT(*) AS n FROM "Run" r
     WHERE r."status" IS DISTINCT FROM (SELECT e."to" FROM "RunEvent" e WHERE e."runId" = r."id" AND e."kind" = 'RUN' ORDER BY e."seq" DESC LIMIT 1)`,
  );
  const lastSeqNotMax = await count(
    database,
    `SELECT COUNT(*) AS n FROM "Run" r WHERE r."lastSeq" IS DISTINCT FROM (SELECT MAX(e."seq") FROM "RunEvent" e WHERE e."runId" = r."id")`,
  );
  const stepNotLastStepEvent = await count(
    database,
    `SELECT COUNT(*) AS n FROM "StepRun" s
     WHERE s."status" IS DISTINCT FROM COALESCE((SELECT e."to" FROM "RunEvent" e WHERE e."stepRunId" = s."id" ORDER BY e."seq" DESC LIMIT 1), 'NOT_STARTED')`,
  );
  const firstEventNotCreation = await count(
    database,
    `SELECT COUNT(*) AS n FROM "Run" r
     WHERE NOT EXISTS (SELECT 1 FROM "RunEvent" e WHERE e."runId" = r."id" AND e."kind" = 'RUN' AND e."from" IS NULL AND e."to" = 'QUEUED' AND e."at" = r."createdAt"
                       AND e."seq" = (SELECT MIN(f."seq") FROM "RunEvent" f WHERE f."runId" = r."id"))`,
  );
  const waitingWithoutWaitingStep = await count(
    database,
    `SELECT COUNT(*) AS n FROM "Run" r WHERE r."status" = 'WAITING' AND NOT EXISTS (SELECT 1 FROM "StepRun" s WHERE s."runId" = r."id" AND s."status" = 'WAITING')`,
  );
  let seededOutOfTimeOrder = 0;
  for (const [index, after] of seedingsAfter.entries()) {
    const until = seedingsAfter[index + 1] ?? BigInt(Number.MAX_SAFE_INTEGER);
    seededOutOfTimeOrder += await count(
      database,
      `SELECT COUNT(*) AS n FROM (SELECT "at", LAG("at") OVER (ORDER BY "seq") AS previous FROM "RunEvent" WHERE "seq" > ${first} AND "seq" <= ${second}) t WHERE "at" < previous`,
      after,
      until,
    );
  }
  const seqs = await db.runEvent.aggregate({ _max: { seq: true }, _count: { seq: true } });
  const counter = await counterValue(database);

  expect({ statusNotLastRunEvent, lastSeqNotMax, stepNotLastStepEvent, firstEventNotCreation, waitingWithoutWaitingStep, seededOutOfTimeOrder }).toEqual({
    statusNotLastRunEvent: 0,
    lastSeqNotMax: 0,
    stepNotLastStepEvent: 0,
    firstEventNotCreation: 0,
    waitingWithoutWaitingStep: 0,
    seededOutOfTimeOrder: 0,
  });
  expect(counter).toBe(seqs._max.seq);
  // seq is the primary key (unique); with a gap-free range, seqs are exactly 1..counter.
  expect(BigInt(seqs._count.seq)).toBe(counter);

  const runs = await db.run.findMany({ select: { workflowId: true, projectId: true, status: true, createdAt: true, startedAt: true, finishedAt: true, durationMs: true } });
  await expectRollupsToMatchRuns(db);

  const badDurations = runs.filter((run) =>
    run.finishedAt === null
      ? run.durationMs !== null
      : run.durationMs !== run.finishedAt.getTime() - (run.startedAt ?? run.createdAt).getTime() || run.finishedAt < (run.startedAt ?? run.createdAt),
  );
  expect(badDurations).toEqual([]);
}
