import { existsSync } from 'node:fs';
import type { Services } from '../composition.ts';
import { composeTestServices, TEST_ENGINE } from '../test/compose.ts';
import { PROVIDERS, useMigratedDatabase } from '../test/database-suite.ts';
import { eventTrail, saveTestWorkflow, waitForStepStatus } from '../test/engine-helpers.ts';
import { ADMIN_PRINCIPAL } from '../test/principals.ts';
import { runWorkDir } from './work-dir.ts';

/**
 * A run the executor holds, cancelled through another process (as `runtrail api`): the
 * executor's next renewal finds the run finished, and its execution here ends, recording nothing
 * after the cancel, its working directory gone.
 */
describe.each(PROVIDERS)('a run held by an executor and finished in another process, on %s', (provider) => {
  const database = useMigratedDatabase(provider);
  let executor: Services;
  let api: Services;

  beforeAll(async () => {
    // Renewals every half second: the executor notices soon, and a busy machine's stalls stay shorter than its lease.
    executor = composeTestServices(database(), { engine: { leaseMs: 1_500 } });
    api = composeTestServices(database());
    await executor.engine.start({ recover: false });
  });
  afterAll(() => executor.engine.stop('test over'));

  async function cancelElsewhereAndSettle(runId: string): Promise<string[]> {
    await api.control.cancelRun(ADMIN_PRINCIPAL, runId);
    const trailAtCancel = await eventTrail(api, runId);
    await executor.engine.settled(runId);
    expect(await eventTrail(executor, runId)).toEqual(trailAtCancel);
    expect(existsSync(runWorkDir(TEST_ENGINE.workDir, runId))).toBe(false);
    return trailAtCancel;
  }

  it('lets go of an execution that waits for a person', async () => {
    const workflow = await saveTestWorkflow(executor, 'steps:\n  - name: build\n    command: echo built\n  - name: approve\n    type: approval\n  - name: deploy\n    command: echo deployed\n');
    const queued = await executor.control.start(workflow, {}, 'MANUAL', 'tester');
    await waitForStepStatus(executor, queued.id, 'approve', 'WAITING');

    const trail = await cancelElsewhereAndSettle(queued.id);

    expect(trail.slice(-3)).toEqual(['approve:ABORTED', 'deploy:ABORTED', 'run:ABORTED']);
  });

  it('stops an execution whose step runs, killing the step', async () => {
    const workflow = await saveTestWorkflow(executor, 'steps:\n  - name: long\n    command: sleep 600\n');
    const queued = await executor.control.start(workflow, {}, 'MANUAL', 'tester');
    await waitForStepStatus(executor, queued.id, 'long', 'RUNNING');

    const trail = await cancelElsewhereAndSettle(queued.id);

    expect(trail.slice(-2)).toEqual(['long:ABORTED', 'run:ABORTED']);
  });
});
