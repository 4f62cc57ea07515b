import type { Services } from '../composition.ts';
import { composeTestServices } from '../test/compose.ts';
import { PROVIDERS, useMigratedDatabase } from '../test/database-suite.ts';
import { eventTrail, saveTestWorkflow, stepsOf, waitForRunEnd, waitForRunStatus, waitForStepStatus } from '../test/engine-helpers.ts';
import { ADMIN_PRINCIPAL } from '../test/principals.ts';

const GATED = 'steps:\n  - name: build\n    command: echo built\n  - name: approve\n    type: approval\n  - name: deploy\n    command: echo deployed\n';

/**
 * Two processes in one: `executor` runs the engine, `api` does not (as `runtrail api`). Without a
 * NOTIFY between them (SQLite has none), the executor finds the decision by its own look.
 */
describe.each(PROVIDERS)('a decision about an approval made where the run does not execute, on %s', (provider) => {
  const database = useMigratedDatabase(provider);
  let executor: Services;
  let api: Services;

  beforeAll(async () => {
    executor = composeTestServices(database());
    api = composeTestServices(database());
    await executor.engine.start({ recover: false });
  });
  afterAll(() => executor.engine.stop('test over'));

  it('is applied by the executor that holds the run, and the run goes on to its end', async () => {
    const workflow = await saveTestWorkflow(executor, GATED);
    const queued = await executor.control.start(workflow, {}, 'MANUAL', 'tester');
    await waitForStepStatus(executor, queued.id, 'approve', 'WAITING');

    await api.control.approveStep(ADMIN_PRINCIPAL, queued.id, 'approve');
    const whenAnswered = await stepsOf(executor, queued.id);
    const run = await waitForRunEnd(executor, queued.id);

    const events = await executor.repositories.events.listByRunIds([queued.id]);
    expect(whenAnswered.approve).toBe('SUCCEEDED');
    expect(run.status).toBe('SUCCEEDED');
    expect(events.find((event) => event.message === 'Approved')?.actor).toBe(ADMIN_PRINCIPAL.username);
  });

  it('answers a rejection with the run REJECTED once the executor ended it', async () => {
    const workflow = await saveTestWorkflow(executor, GATED);
    const queued = await executor.control.start(workflow, {}, 'MANUAL', 'tester');
    await waitForStepStatus(executor, queued.id, 'approve', 'WAITING');

    const answered = await api.control.rejectStep(ADMIN_PRINCIPAL, queued.id, 'approve', 'not today');

    expect(answered.status).toBe('REJECTED');
    expect(await stepsOf(executor, queued.id)).toEqual({ build: 'SUCCEEDED', approve: 'REJECTED', deploy: 'ABORTED' });
  });

  it('keeps the first decision: a second one about the same step is refused, naming who decided', async () => {
    const workflow = await saveTestWorkflow(executor, 'steps:\n  - name: approve\n    type: approval\n  - name: later\n    command: sleep 0.5\n');
    const queued = await executor.control.start(workflow, {}, 'MANUAL', 'tester');
    await waitForStepStatus(executor, queued.id, 'approve', 'WAITING');
    const stepRun = await executor.repositories.steps.findByRunAndName(queued.id, 'approve');
    await api.repositories.approvalDecisions.record(stepRun?.id ?? '', { kind: 'reject', actor: 'ana', reason: null }, new Date());

    const second = api.control.approveStep(ADMIN_PRINCIPAL, queued.id, 'approve');

    await expect(second).rejects.toMatchObject({ code: 'CONFLICT', message: `Step "approve" of run ${queued.id} was already rejected by ana` });
    await waitForRunEnd(executor, queued.id);
    expect((await eventTrail(executor, queued.id)).filter((entry) => entry.startsWith('approve:'))).toEqual(['approve:WAITING', 'approve:REJECTED']);
  });
});

/**
 * A run left WAITING by an executor that stopped, picked up by the same executor's next start:
 * held as its id and fence, without an execution, until a decision comes.
 */
describe.each(PROVIDERS)('a decision about a run held without an execution, on %s', (provider) => {
  const database = useMigratedDatabase(provider);
  const engine = { executorName: 'holder' };
  let executor: Services | null = null;

  afterEach(async () => {
    await executor?.engine.stop('test over');
    executor = null;
  });

  async function leaveWaiting(): Promise<string> {
    const first = composeTestServices(database(), { engine });
    await first.engine.start({ recover: false });
    const workflow = await saveTestWorkflow(first, GATED);
    const queued = await first.control.start(workflow, {}, 'MANUAL', 'tester');
    await waitForRunStatus(first, queued.id, (status) => status === 'WAITING');
    await first.engine.stop('restarting');
    return queued.id;
  }

  it('made in another process is applied by the executor holding the run, which starts its execution for it', async () => {
    const runId = await leaveWaiting();
    executor = composeTestServices(database(), { engine });
    await executor.engine.start({ recover: true });

    await composeTestServices(database()).control.approveStep(ADMIN_PRINCIPAL, runId, 'approve');
    const run = await waitForRunEnd(executor, runId);

    expect(run.status).toBe('SUCCEEDED');
    expect(await stepsOf(executor, runId)).toEqual({ build: 'SUCCEEDED', approve: 'SUCCEEDED', deploy: 'SUCCEEDED' });
  });

  it('stored before the run was taken over is applied by the executor that takes it over', async () => {
    const runId = await leaveWaiting();
    const api = composeTestServices(database());
    const stepRun = await api.repositories.steps.findByRunAndName(runId, 'approve');
    await api.repositories.approvalDecisions.record(stepRun?.id ?? '', { kind: 'reject', actor: 'ana', reason: 'too late' }, new Date());

    executor = composeTestServices(database(), { engine });
    await executor.engine.start({ recover: true });
    const run = await waitForRunEnd(executor, runId);

    expect(run.status).toBe('REJECTED');
    expect(await stepsOf(executor, runId)).toEqual({ build: 'SUCCEEDED', approve: 'REJECTED', deploy: 'ABORTED' });
  });
});
