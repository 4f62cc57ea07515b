import type { Services } from '../composition.ts';
import { composeTestServices } from '../test/compose.ts';
import { PROVIDERS, useMigratedDatabase } from '../test/database-suite.ts';
import { eventTrail, saveTestWorkflow, stepsOf, waitForRunEnd, waitForStepStatus } from '../test/engine-helpers.ts';
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
