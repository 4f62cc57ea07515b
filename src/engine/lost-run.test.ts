import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Services } from '../composition.ts';
import { composeTestServices } from '../test/compose.ts';
import { PROVIDERS, useMigratedDatabase } from '../test/database-suite.ts';
import { eventTrail, saveTestWorkflow, stepsOf, waitForRunEnd, waitForStepStatus } from '../test/engine-helpers.ts';
import { ADMIN_PRINCIPAL } from '../test/principals.ts';

/**
 * A run left by an executor that is gone: claimed by "gone-worker" under a lease that already
 * expired, with `done` steps SUCCEEDED and the `running` one RUNNING in its first attempt, as a
 * worker SIGKILLed mid-step leaves it; with `waiting`, that approval step WAITING and the run too.
 */
async function leaveLostRun(services: Services, yaml: string, progress: { done: string[]; running: string; waiting?: string }): Promise<string> {
  const workflow = await saveTestWorkflow(services, yaml);
  const queued = await services.control.start(workflow, {}, 'MANUAL', 'tester');
  const now = new Date();
  const [claimed] = await services.repositories.claims.claim({
    executorId: 'gone-worker',
    now,
    leaseExpiresAt: new Date(now.getTime() - 1),
    want: 1,
    globalLimit: 100,
    candidates: [{ id: queued.id, workflowId: workflow.id, workflowLimit: 1 }],
  });
  if (!claimed) throw new Error('the run was not claimed');
  const fence = claimed.fence;
  await services.recorder.recordTransition({ runId: queued.id, to: 'RUNNING', fence });
  for (const step of progress.done) {
    await services.recorder.recordStepTransition({ runId: queued.id, step, to: 'RUNNING', fence });
    await services.recorder.recordStepTransition({ runId: queued.id, step, to: 'SUCCEEDED', exitCode: 0, fence });
  }
  if (progress.waiting) {
    await services.recorder.recordStepTransition({ runId: queued.id, step: progress.waiting, to: 'WAITING', fence });
    await services.recorder.recordTransition({ runId: queued.id, to: 'WAITING', fence });
  }
  await services.recorder.recordStepTransition({ runId: queued.id, step: progress.running, to: 'RUNNING', fence });
  return queued.id;
}

describe.each(PROVIDERS)('a run whose executor was lost, taken over on %s', (provider) => {
  const database = useMigratedDatabase(provider);
  let services: Services;
  const ledgers = mkdtempSync(path.join(os.tmpdir(), 'runtrail-ledger-'));

  afterEach(() => services.engine.stop('test over'));

  it('is requeued when its running step has a retry left: finished steps stay, the lost step runs again as attempt 2', async () => {
    services = composeTestServices(database());
    const ledger = path.join(ledgers, `${provider}-requeued`);
    const runId = await leaveLostRun(
      services,
      `steps:\n  - name: prepare\n    command: echo prepare >> ${ledger}\n  - name: work\n    command: echo work >> ${ledger}\n    retryPolicy: { limit: 1 }\n  - name: after\n    command: echo after >> ${ledger}\n`,
      { done: ['prepare'], running: 'work' },
    );

    await services.engine.start({ recover: true });
    const run = await waitForRunEnd(services, runId);

    const events = await services.repositories.events.listByRunIds([runId]);
    const work = (await services.repositories.steps.listByRunIds([runId])).find((step) => step.name === 'work');
    expect(run.status).toBe('SUCCEEDED');
    expect(work?.attempt).toBe(2);
    expect(readFileSync(ledger, 'utf8')).toBe('work\nafter\n');
    expect(await eventTrail(services, runId)).toEqual([
      'run:QUEUED',
      'run:RUNNING',
      'prepare:RUNNING',
      'prepare:SUCCEEDED',
      'work:RUNNING',
      'work:FAILED',
      'run:QUEUED',
      'run:RUNNING',
      'work:RUNNING',
      'work:SUCCEEDED',
      'after:RUNNING',
      'after:SUCCEEDED',
      'run:SUCCEEDED',
    ]);
    expect(events.filter((event) => event.from === 'RUNNING' && event.to !== 'SUCCEEDED').map((event) => event.message)).toEqual([
      'worker lost during attempt 1; its retry policy runs it again',
      'worker lost: requeued, "work" will run again',
    ]);
  });

  it('ends FAILED "worker lost" with its unfinished steps ABORTED when its running step has no retry policy', async () => {
    services = composeTestServices(database());
    const ledger = path.join(ledgers, `${provider}-failed`);
    const runId = await leaveLostRun(services, `steps:\n  - name: work\n    command: echo work >> ${ledger}\n  - name: after\n    command: echo after >> ${ledger}\n`, {
      done: [],
      running: 'work',
    });

    await services.engine.start({ recover: true });
    const run = await waitForRunEnd(services, runId);

    expect(run).toMatchObject({ status: 'FAILED', error: 'worker lost' });
    expect((await eventTrail(services, runId)).slice(-3)).toEqual(['work:ABORTED', 'after:ABORTED', 'run:FAILED']);
    expect(() => readFileSync(ledger, 'utf8')).toThrow();
  });

  it('waiting for an approval, retries at once a step it had running beside the approval, without waiting for the decision', async () => {
    services = composeTestServices(database());
    const ledger = path.join(ledgers, `${provider}-waiting`);
    const runId = await leaveLostRun(
      services,
      `steps:\n  - name: approve\n    type: approval\n  - name: side\n    depends: []\n    command: echo side >> ${ledger}\n    retryPolicy: { limit: 1 }\n`,
      { done: [], running: 'side', waiting: 'approve' },
    );

    await services.engine.start({ recover: true });
    await waitForStepStatus(services, runId, 'side', 'SUCCEEDED');
    const beforeTheDecision = await stepsOf(services, runId);
    await services.control.approveStep(ADMIN_PRINCIPAL, runId, 'approve');
    const run = await waitForRunEnd(services, runId);

    const side = (await services.repositories.steps.listByRunIds([runId])).find((step) => step.name === 'side');
    expect(beforeTheDecision).toEqual({ approve: 'WAITING', side: 'SUCCEEDED' });
    expect(run.status).toBe('SUCCEEDED');
    expect(side?.attempt).toBe(2);
    expect(readFileSync(ledger, 'utf8')).toBe('side\n');
  });
});
