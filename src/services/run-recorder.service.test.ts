import BetterSqlite3 from 'better-sqlite3';
import type { Services } from '../composition.ts';
import { composeTestServices } from '../test/compose.ts';
import { AppError } from '../domain/errors.ts';
import { allowedRunTransitions, isTerminalRunStatus, type RunStatus } from '../domain/status.ts';
import { InProcessRunEventBus } from '../events/run-event-bus.ts';
import type { RunEventMessage } from '../domain/run-event-message.ts';
import { PROVIDERS, useMigratedDatabase } from '../test/database-suite.ts';
import { createProjectWithWorkflow } from '../test/factories.ts';
import { expectRollupsToMatchRuns } from '../test/rollup-assertions.ts';

describe.each(PROVIDERS)('RunRecorderService on %s', (provider) => {
  const database = useMigratedDatabase(provider);
  let services: Services;
  let bus: InProcessRunEventBus;

  beforeAll(() => {
    bus = new InProcessRunEventBus();
    services = composeTestServices(database(), { bus });
  });

  async function newRun(steps: readonly string[] = ['build', 'test']) {
    const { project, workflow } = await createProjectWithWorkflow(services, steps);
    const run = await services.recorder.createRun({ projectId: project.id, workflowId: workflow.id, trigger: 'MANUAL', steps });
    return { project, workflow, run };
  }

  async function eventsOf(runId: string) {
    return database().db.runEvent.findMany({ where: { runId }, orderBy: { seq: 'asc' } });
  }

  it('creates a run as QUEUED with its steps NOT_STARTED, a first event and a bucket count', async () => {
    const { run, workflow } = await newRun();

    const events = await eventsOf(run.id);
    const steps = await database().db.stepRun.findMany({ where: { runId: run.id } });
    const buckets = await database().db.statusBucket.findMany({ where: { workflowId: workflow.id } });

    expect(run.status).toBe('QUEUED');
    expect(events.map((event) => [event.from, event.to])).toEqual([[null, 'QUEUED']]);
    expect(run.lastSeq).toBe(events[0]?.seq);
    expect(steps.map((step) => step.status)).toEqual(['NOT_STARTED', 'NOT_STARTED']);
    expect(buckets.map((bucket) => [bucket.status, bucket.count])).toEqual([['QUEUED', 1]]);
  });

  it('records a run through RUNNING to SUCCEEDED with timestamps, duration and the rollup moved', async () => {
    const { run, workflow } = await newRun();

    const running = await services.recorder.recordTransition({ runId: run.id, to: 'RUNNING' });
    const finished = await services.recorder.recordTransition({ runId: run.id, to: 'SUCCEEDED', actor: 'tester' });

    const events = await eventsOf(run.id);
    const buckets = await database().db.statusBucket.findMany({ where: { workflowId: workflow.id, count: { gt: 0 } } });
    expect(running.startedAt).toBeInstanceOf(Date);
    expect(finished.finishedAt).toBeInstanceOf(Date);
    expect(finished.durationMs).toBe((finished.finishedAt?.getTime() ?? 0) - (running.startedAt?.getTime() ?? 0));
    expect(events.map((event) => `${event.from}->${event.to}`)).toEqual(['null->QUEUED', 'QUEUED->RUNNING', 'RUNNING->SUCCEEDED']);
    expect(events[2]?.actor).toBe('tester');
    expect(finished.lastSeq).toBe(events[2]?.seq);
    expect(buckets.map((bucket) => [bucket.status, bucket.count])).toEqual([['SUCCEEDED', 1]]);
  });

  it('records the changes of steps whose names hold quotes, backslashes, braces, commas and unicode', async () => {
    const names = [`it's`, 'back\\slash\\', '"quoted"', '{brace,comma}', 'NULL', '$1', `'; DROP TABLE "Run"; --`, 'ü 🚀 שלום 漢字'];
    const { project, workflow } = await createProjectWithWorkflow(services);
    const run = await services.recorder.createRun({ projectId: project.id, workflowId: workflow.id, trigger: 'MANUAL', steps: names });

    await services.recorder.recordTransition({ runId: run.id, to: 'RUNNING' });
    for (const name of names) {
      await services.recorder.recordStepTransition({ runId: run.id, step: name, to: 'RUNNING' });
      await services.recorder.recordStepTransition({ runId: run.id, step: name, to: 'SUCCEEDED' });
    }

    const steps = await database().db.stepRun.findMany({ where: { runId: run.id }, orderBy: { position: 'asc' } });
    expect(steps.map((step) => [step.name, step.status])).toEqual(names.map((name) => [name, 'SUCCEEDED']));
  });

  it('creates one run for a cron tick: a second one for the same tick is a CONFLICT and writes nothing', async () => {
    const { project, workflow } = await createProjectWithWorkflow(services);
    const tick = new Date(Date.UTC(2026, 11, 7, 16, 0, 0, 123));
    const create = () => services.recorder.createRun({ projectId: project.id, workflowId: workflow.id, trigger: 'SCHEDULER', steps: ['a'], cronTick: tick });

    const first = await create();
    await expect(create()).rejects.toMatchObject({ code: 'CONFLICT' });

    expect(await database().db.run.count({ where: { workflowId: workflow.id } })).toBe(1);
    expect(await database().db.cronTick.findMany({ where: { workflowId: workflow.id } })).toMatchObject([{ runId: first.id, fireAt: tick }]);
  });

  it('writes nothing of a change that would take a rollup below zero', async () => {
    const { run, workflow } = await newRun();
    await database().db.statusBucket.updateMany({ where: { workflowId: workflow.id, status: 'QUEUED' }, data: { count: 0 } });

    await expect(services.recorder.recordTransition({ runId: run.id, to: 'RUNNING' })).rejects.toThrow('the rollups are out of step');

    const stored = await services.repositories.runs.findById(run.id);
    expect(stored?.status).toBe('QUEUED');
    expect((await eventsOf(run.id)).map((event) => event.to)).toEqual(['QUEUED']);
    expect(await database().db.statusBucket.findMany({ where: { workflowId: workflow.id, status: 'RUNNING' } })).toEqual([]);
    // Other tests check the rollups of every run of the database.
    await database().db.statusBucket.updateMany({ where: { workflowId: workflow.id, status: 'QUEUED' }, data: { count: 1 } });
  });

  it('refuses an illegal transition with CONFLICT and writes nothing', async () => {
    const { run, workflow } = await newRun();
    await services.recorder.recordTransition({ runId: run.id, to: 'RUNNING' });
    await services.recorder.recordTransition({ runId: run.id, to: 'FAILED', error: 'exit 1' });
    const headBefore = await services.history.headSnapshot();

    const attempt = services.recorder.recordTransition({ runId: run.id, to: 'RUNNING' });

    await expect(attempt).rejects.toThrow(AppError);
    await expect(attempt).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('cannot go from FAILED to RUNNING') });
    const stored = await services.repositories.runs.findById(run.id);
    const buckets = await database().db.statusBucket.findMany({ where: { workflowId: workflow.id, count: { gt: 0 } } });
    expect(stored?.status).toBe('FAILED');
    expect(stored?.error).toBe('exit 1');
    expect(await services.history.headSnapshot()).toBe(headBefore);
    expect((await eventsOf(run.id)).length).toBe(3);
    expect(buckets.map((bucket) => [bucket.status, bucket.count])).toEqual([['FAILED', 1]]);
  });

  it('answers NOT_FOUND for a run or step that does not exist', async () => {
    const { run } = await newRun(['only']);

    await expect(services.recorder.recordTransition({ runId: 'run_missing', to: 'RUNNING' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(services.recorder.recordStepTransition({ runId: run.id, step: 'nope', to: 'RUNNING' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('no step named "nope"'),
    });
  });

  it('records step transitions as STEP events, counting attempts, without touching the run status', async () => {
    const { run } = await newRun(['build']);
    await services.recorder.recordTransition({ runId: run.id, to: 'RUNNING' });

    await services.recorder.recordStepTransition({ runId: run.id, step: 'build', to: 'RUNNING' });
    await services.recorder.recordStepTransition({ runId: run.id, step: 'build', to: 'FAILED', exitCode: 1 });
    await services.recorder.recordStepTransition({ runId: run.id, step: 'build', to: 'RUNNING' });
    const step = await services.recorder.recordStepTransition({ runId: run.id, step: 'build', to: 'SUCCEEDED', exitCode: 0 });

    const events = await eventsOf(run.id);
    const stored = await services.repositories.runs.findById(run.id);
    expect(step.attempt).toBe(2);
    expect(step.exitCode).toBe(0);
    expect(events.filter((event) => event.kind === 'STEP').map((event) => event.to)).toEqual(['RUNNING', 'FAILED', 'RUNNING', 'SUCCEEDED']);
    expect(stored?.status).toBe('RUNNING');
    expect(stored?.lastSeq).toBe(events.at(-1)?.seq);
  });

  it('publishes an event only after its transaction committed, and none for a refused transition', async () => {
    const { run } = await newRun();
    const received: { message: RunEventMessage; visible: boolean }[] = [];
    const iterator = bus.subscribe()[Symbol.asyncIterator]();
    const collecting = (async () => {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        const row = await database().db.runEvent.findUnique({ where: { seq: BigInt(next.value.seq) } });
        received.push({ message: next.value, visible: row !== null });
        if (next.value.to === 'ABORTED') return;
      }
    })();

    await services.recorder.recordTransition({ runId: run.id, to: 'RUNNING' });
    await expect(services.recorder.recordTransition({ runId: run.id, to: 'RUNNING' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await services.recorder.recordTransition({ runId: run.id, to: 'ABORTED' });
    await collecting;
    await iterator.return?.();

    expect(received.map((entry) => entry.message.to)).toEqual(['RUNNING', 'ABORTED']);
    expect(received.every((entry) => entry.visible)).toBe(true);
    expect(received[0]?.message).toMatchObject({ runId: run.id, kind: 'RUN', from: 'QUEUED' });
  });

  it('keeps every invariant under concurrent writers', async () => {
    const runs = await Promise.all(Array.from({ length: 12 }, () => newRun(['a'])));
    const walk = async (runId: string, seed: number) => {
      let status: RunStatus = 'QUEUED';
      for (let step = 0; !isTerminalRunStatus(status); step += 1) {
        const options = allowedRunTransitions(status);
        const next = options[(seed + step) % options.length] ?? 'ABORTED';
        await services.recorder.recordTransition({ runId, to: next });
        status = next;
      }
    };
    const headBefore = await services.history.headSnapshot();

    await Promise.all(runs.map(({ run }, index) => walk(run.id, index)));

    const db = database().db;
    const allEvents = await db.runEvent.findMany({ orderBy: { seq: 'asc' } });
    const seqs = allEvents.map((event) => event.seq);
    const firstSeq = seqs[0] ?? 0n;
    expect(seqs).toEqual(seqs.map((_, index) => firstSeq + BigInt(index)));
    expect(await services.history.headSnapshot()).toBe(seqs.at(-1));
    expect((seqs.at(-1) ?? 0n) > headBefore).toBe(true);

    const allRuns = await db.run.findMany();
    for (const run of allRuns) {
      const last = allEvents.filter((event) => event.runId === run.id && event.kind === 'RUN').at(-1);
      expect({ id: run.id, status: run.status }).toEqual({ id: run.id, status: last?.to });
    }

    await expectRollupsToMatchRuns(db);
  });

  it('refuses a change that carries the fencing token of a claim since taken over, and takes the new holder\'s', async () => {
    const { run } = await newRun(['a']);
    const until = new Date(Date.now() + 60_000);
    const stale = await services.repositories.claims.seize(run.id, 'executor-a', until);
    const current = await services.repositories.claims.seize(run.id, 'executor-b', until);

    await expect(services.recorder.recordTransition({ runId: run.id, to: 'RUNNING', fence: stale?.fence })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(services.recorder.recordStepTransition({ runId: run.id, step: 'a', to: 'RUNNING', fence: stale?.fence })).rejects.toMatchObject({ code: 'CONFLICT' });
    const recorded = await services.recorder.recordTransition({ runId: run.id, to: 'RUNNING', fence: current?.fence });

    expect(recorded.status).toBe('RUNNING');
    expect((await eventsOf(run.id)).map((event) => event.to)).toEqual(['QUEUED', 'RUNNING']);
  });

  it('writes changes asked for at once together, checking each: an illegal one fails alone and the others are recorded in order', async () => {
    const runs = await Promise.all(Array.from({ length: 6 }, () => newRun(['a'])));
    const [first, ...rest] = runs;
    if (!first) throw new Error('no run');
    const headBefore = await services.history.headSnapshot();

    const results = await Promise.allSettled([
      services.recorder.recordTransition({ runId: first.run.id, to: 'RUNNING' }),
      services.recorder.recordTransition({ runId: first.run.id, to: 'RUNNING' }),
      services.recorder.recordTransition({ runId: first.run.id, to: 'SUCCEEDED' }),
      ...rest.map(({ run }) => services.recorder.recordTransition({ runId: run.id, to: 'ABORTED' })),
      services.recorder.recordStepTransition({ runId: first.run.id, step: 'missing', to: 'RUNNING' }),
    ]);

    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', ...rest.map(() => 'fulfilled'), 'rejected']);
    expect(results[1]).toMatchObject({ reason: expect.objectContaining({ code: 'CONFLICT' }) });
    expect(results.at(-1)).toMatchObject({ reason: expect.objectContaining({ code: 'NOT_FOUND' }) });
    const written = await database().db.runEvent.findMany({ where: { seq: { gt: headBefore } }, orderBy: { seq: 'asc' } });
    expect(written.map((event) => [event.runId, event.to])).toEqual([
      [first.run.id, 'RUNNING'],
      [first.run.id, 'SUCCEEDED'],
      ...rest.map(({ run }) => [run.id, 'ABORTED']),
    ]);
    expect(written.map((event) => event.seq)).toEqual(written.map((_, index) => headBefore + BigInt(index + 1)));
    await expectRollupsToMatchRuns(database().db);
  });

  it('records a batch handed over at once, in order, each change checked on its own: a refused one fails alone', async () => {
    const runs = await Promise.all(Array.from({ length: 3 }, () => newRun(['a'])));
    const ids = runs.map(({ run }) => run.id);
    const headBefore = await services.history.headSnapshot();

    const outcomes = await services.recorder.recordAll([
      ...ids.map((runId) => ({ kind: 'run' as const, input: { runId, to: 'RUNNING' as const } })),
      ...ids.map((runId) => ({ kind: 'step' as const, input: { runId, step: 'a', to: 'ABORTED' as const } })),
      { kind: 'run', input: { runId: ids[0] ?? '', to: 'RUNNING' } },
      ...ids.map((runId) => ({ kind: 'run' as const, input: { runId, to: 'FAILED' as const, error: 'lost' } })),
    ]);

    const written = await database().db.runEvent.findMany({ where: { seq: { gt: headBefore } }, orderBy: { seq: 'asc' } });
    expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, true, true, true, true, true, false, true, true, true]);
    expect(outcomes[6]).toMatchObject({ error: expect.objectContaining({ code: 'CONFLICT' }) });
    expect(written.map((event) => `${ids.indexOf(event.runId)}:${event.kind}:${event.to}`)).toEqual([
      '0:RUN:RUNNING', '1:RUN:RUNNING', '2:RUN:RUNNING', '0:STEP:ABORTED', '1:STEP:ABORTED', '2:STEP:ABORTED', '0:RUN:FAILED', '1:RUN:FAILED', '2:RUN:FAILED',
    ]);
    await expectRollupsToMatchRuns(database().db);
  });
});

describe('RunRecorderService on sqlite while another connection writes', () => {
  const database = useMigratedDatabase('sqlite');

  it('waits for the write lock without stopping the event loop, then records the change', async () => {
    const services = composeTestServices(database());
    const { project, workflow } = await createProjectWithWorkflow(services, ['a']);
    const run = await services.recorder.createRun({ projectId: project.id, workflowId: workflow.id, trigger: 'MANUAL', steps: ['a'] });
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 5);
    let lockReleasedAt = 0;

    // Another connection holds the write lock across turns of the event loop, as Prisma's interactive transactions do.
    const { writer } = database();
    if (writer.provider !== 'sqlite') throw new Error('a SQLite test');
    const other = new BetterSqlite3(writer.database.name);
    try {
      other.exec('BEGIN IMMEDIATE');
      setTimeout(() => {
        lockReleasedAt = performance.now();
        other.exec('COMMIT');
      }, 300);
      const ticksBefore = ticks;
      const recorded = await services.recorder.recordTransition({ runId: run.id, to: 'RUNNING' });
      const recordedAt = performance.now();

      expect(recorded.status).toBe('RUNNING');
      expect(recordedAt).toBeGreaterThanOrEqual(lockReleasedAt);
      expect(ticks - ticksBefore).toBeGreaterThan(5);
    } finally {
      clearInterval(ticker);
      other.close();
    }
  });
});
