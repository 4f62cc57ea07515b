import type { Services } from '../composition.ts';
import { busyPastStretch, seederFor } from '../test/seeder.ts';
import { composeTestServices, TEST_ENGINE } from '../test/compose.ts';
import { PROVIDERS, useMigratedDatabase } from '../test/database-suite.ts';
import { ADMIN_PRINCIPAL } from '../test/principals.ts';
import { saveTestWorkflow, waitForRunEnd, waitForRunStatus } from '../test/engine-helpers.ts';
import { pollUntil } from '../test/poll-until.ts';

const APPROVAL = 'steps:\n  - name: approve\n    type: approval\n  - name: deploy\n    command: echo deployed\n';

/** Services over a fresh database of the provider, their engine started for the describe block. */
function useStartedEngine(provider: (typeof PROVIDERS)[number]): () => Services {
  const database = useMigratedDatabase(provider);
  let services: Services | null = null;
  beforeAll(async () => {
    services = composeTestServices(database());
    await services.engine.start({ recover: false });
  });
  afterAll(() => services?.engine.stop('test over'));
  return () => {
    if (!services) throw new Error('the engine starts in beforeAll');
    return services;
  };
}

describe.each(PROVIDERS)('execution slots on %s', (provider) => {
  describe('runs waiting for approval', () => {
    const startedServices = useStartedEngine(provider);

    it('hold no slot: with twice MAX_ACTIVE_RUNS runs WAITING in one project, a run of another project runs to its end', async () => {
      const services = startedServices();
      const approval = await saveTestWorkflow(services, APPROVAL);
      const waiting = [];
      for (let index = 0; index < TEST_ENGINE.maxActiveRuns * 2; index += 1) {
        const run = await services.control.start(approval, {}, 'MANUAL', 'tester');
        waiting.push(await waitForRunStatus(services, run.id, (status) => status === 'WAITING', 10_000));
      }
      const other = await saveTestWorkflow(services, 'steps:\n  - name: work\n    command: echo done\n');

      const run = await waitForRunEnd(services, (await services.control.start(other, {}, 'MANUAL', 'tester')).id, 10_000);
      await services.control.approveStep(ADMIN_PRINCIPAL, waiting[0]?.id ?? '', 'approve');
      const approved = await waitForRunEnd(services, waiting[0]?.id ?? '', 10_000);

      expect(run.status).toBe('SUCCEEDED');
      expect(approved.status).toBe('SUCCEEDED');
    });
  });

  describe('runs that cannot start', () => {
    const startedServices = useStartedEngine(provider);

    it('take no slot: more than MAX_ACTIVE_RUNS queued runs without a definition are failed and a run queued after them still runs', async () => {
      const services = startedServices();
      const orphan = await saveTestWorkflow(services, 'steps:\n  - name: a\n    command: "true"\n');
      const orphans = [];
      // Created without a workflow version, as runs of a definition that is gone.
      for (let index = 0; index < TEST_ENGINE.maxActiveRuns * 2; index += 1) {
        orphans.push(await services.recorder.createRun({ projectId: orphan.projectId, workflowId: orphan.id, trigger: 'API', steps: ['a'] }));
      }
      const other = await saveTestWorkflow(services, 'steps:\n  - name: work\n    command: echo done\n');

      const run = await waitForRunEnd(services, (await services.control.start(other, {}, 'MANUAL', 'tester')).id, 10_000);
      const settled = await services.repositories.runs.listByIds(orphans.map((queued) => queued.id));

      expect(run.status).toBe('SUCCEEDED');
      expect(new Set(settled.map((failed) => `${failed.status}: ${failed.error}`))).toEqual(new Set(['FAILED: The workflow definition of this run is missing']));
    });
  });

  describe('recovery of a large history', () => {
    const database = useMigratedDatabase(provider);
    let services: Services;
    afterAll(() => services.engine.stop('test over'));

    it('settles the lost runs, keeps the waiting ones WAITING, and starts every QUEUED run', async () => {
      // 5,000 runs in a busy 45 minutes leave a few hundred still going at the end: QUEUED (one of them a deploy), RUNNING and WAITING (more than MAX_ACTIVE_RUNS).
      await seederFor(database()).seed({ runs: 5_000, seed: 3, ...busyPastStretch(45) });
      const { runs } = composeTestServices(database()).repositories;
      const [queued, lost, waiting] = await Promise.all((['QUEUED', 'RUNNING', 'WAITING'] as const).map((status) => runs.listByStatusAfter(status, null, 1_000)));
      services = composeTestServices(database());

      await services.engine.start({ recover: true });
      // A run of a workflow with an approval step goes on to wait for it. Lost runs requeued are older, and a retry
      // holds its place through its interval (SEED_RETRY_INTERVAL_SEC): queued runs start after them.
      const started = [];
      for (const run of queued ?? []) started.push(await waitForRunStatus(services, run.id, (status) => status !== 'QUEUED' && status !== 'RUNNING', 60_000));
      const afterLost = await runs.listByIds((lost ?? []).map((run) => run.id));
      const afterWaiting = await runs.listByIds((waiting ?? []).map((run) => run.id));
      // Those whose running steps all had a retry left (the seeded flaky steps have two) went back to the queue.
      const lostEvents = await services.repositories.events.listByRunIds(afterLost.map((run) => run.id));
      const requeued = new Set(lostEvents.filter((event) => event.stepRunId === null && event.from === 'RUNNING' && event.to === 'QUEUED').map((event) => event.runId));
      const resumed = await pollUntil('a requeued run to go on to its end or an approval', 30_000, async () => {
        const rows = await runs.listByIds([...requeued]);
        return rows.find((run) => run.status === 'SUCCEEDED' || run.status === 'WAITING') ?? null;
      });
      // Requeued runs still execute (their retries wait SEED_RETRY_INTERVAL_SEC): stopped while the database is open.
      await services.engine.stop('test over');

      expect(waiting?.length).toBeGreaterThan(TEST_ENGINE.maxActiveRuns);
      expect(queued?.length).toBeGreaterThan(0);
      expect(new Set(started.map((run) => run.status))).toEqual(new Set(['SUCCEEDED', 'WAITING']));
      expect(requeued.size).toBeGreaterThan(0);
      expect(['SUCCEEDED', 'WAITING']).toContain(resumed.status);
      expect(new Set(afterLost.filter((run) => !requeued.has(run.id)).map((run) => `${run.status}: ${run.error}`))).toEqual(new Set(['FAILED: executor lost']));
      expect(new Set(afterWaiting.map((run) => run.status))).toEqual(new Set(['WAITING']));
    }, 120_000);
  });
});

