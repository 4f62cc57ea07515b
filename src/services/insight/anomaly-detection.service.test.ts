import { commandLinePrincipal } from '../../auth/principal.ts';
import type { RunStatus } from '../../domain/status.ts';
import { composeTestServices } from '../../test/compose.ts';
import { PROVIDERS, useMigratedDatabase } from '../../test/database-suite.ts';
import { createProjectWithWorkflow } from '../../test/factories.ts';
import { ManualClock } from '../../test/manual-clock.ts';
import { newId } from '../../domain/ids.ts';

const MINUTE = 60_000;

describe.each(PROVIDERS)('anomaly detection (%s)', (provider) => {
  const database = useMigratedDatabase(provider);
  const clock = new ManualClock(new Date('2026-12-01T12:00:00Z'));
  const advance = (ms: number) => clock.set(new Date(clock.now().getTime() + ms));

  async function setUp() {
    const services = composeTestServices(database(), { clock });
    const { project, workflow } = await createProjectWithWorkflow(services, ['build']);
    /** A run that takes `durationMs` and ends with `status`, a minute after the one before. */
    const finishRun = async (durationMs: number, status: RunStatus = 'SUCCEEDED') => {
      const run = await services.recorder.createRun({ projectId: project.id, workflowId: workflow.id, trigger: 'MANUAL', steps: ['build'] });
      await services.recorder.recordTransition({ runId: run.id, to: 'RUNNING' });
      advance(durationMs);
      await services.recorder.recordTransition({ runId: run.id, to: status });
      advance(MINUTE);
    };
    const finishRuns = async (durations: readonly number[]) => {
      for (const durationMs of durations) await finishRun(durationMs);
    };
    const anomalies = () => services.anomalies.list(commandLinePrincipal(), { projectIds: [project.id], includeDismissed: true }, 100);
    return { services, project, workflow, finishRuns, anomalies };
  }

  const usual = (count: number) => Array.from({ length: count }, (_, index) => 1_000 + (index % 5) * 40);

  it('raises a duration spike from the run feed, once, and ends it when durations are back', async () => {
    const { services, workflow, finishRuns, anomalies } = await setUp();
    await finishRuns(usual(45));
    // The first look starts from the recent past without judging it.
    await services.anomalyDetection.catchUp();
    expect(await anomalies()).toEqual([]);

    await finishRuns([4_000, 4_200, 4_100]);
    await services.anomalyDetection.catchUp();
    const [raised, ...others] = await anomalies();
    expect(others).toEqual([]);
    expect(raised).toMatchObject({ kind: 'DURATION_SPIKE', workflowId: workflow.id, step: null, end: null, observed: 4_200 });
    expect(raised?.expected).toBeGreaterThan(1_000);
    expect(raised?.expected).toBeLessThan(1_200);

    await finishRuns(usual(4));
    await services.anomalyDetection.catchUp();
    const [ended] = await anomalies();
    expect(ended).toMatchObject({ id: raised?.id, kind: 'DURATION_SPIKE' });
    expect(ended?.end).toBeInstanceOf(Date);
    expect(ended?.seq).toBeGreaterThan(raised?.seq ?? 0n);
  });

  it('lets a new leader take over an open episode, so it ends when durations are back though the new leader never saw the spike', async () => {
    const { services, finishRuns, anomalies } = await setUp();
    await finishRuns(usual(45));
    await services.anomalyDetection.catchUp();
    await finishRuns([4_000, 4_200, 4_100]);
    await services.anomalyDetection.catchUp();
    expect((await anomalies()).map(({ end }) => end)).toEqual([null]);

    const nextLeader = composeTestServices(database(), { clock });
    await nextLeader.anomalyDetection.catchUp();
    await finishRuns(usual(4));
    await nextLeader.anomalyDetection.catchUp();
    const stored = await anomalies();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.end).toBeInstanceOf(Date);
  });

  it('finds a missed cron fire on its tick, with no run at all', async () => {
    const services = composeTestServices(database(), { clock });
    const { project } = await createProjectWithWorkflow(services, ['build']);
    const scheduled = await services.repositories.workflows.create({
      id: newId('wf'),
      projectId: project.id,
      name: `hourly-${newId('wf').slice(-6)}`,
      definition: 'schedule: "0 * * * *"\nsteps:\n  - name: build\n    command: "true"\n',
      hash: newId('wf'),
      schedule: '0 * * * *',
      tags: [],
    });
    await services.anomalyDetection.catchUp();
    advance(90 * MINUTE);
    await services.anomalyDetection.tick();
    const [missed] = await services.anomalies.list(commandLinePrincipal(), { projectIds: [project.id], kinds: ['MISSED_SCHEDULE'] }, 10);
    expect(missed).toMatchObject({ workflowId: scheduled.id, kind: 'MISSED_SCHEDULE', end: null });
  });

  it('lets an OPERATOR dismiss an anomaly as expected, which leaves the default list', async () => {
    const { services, project, finishRuns, anomalies } = await setUp();
    await finishRuns(usual(45));
    await services.anomalyDetection.catchUp();
    await finishRuns([4_000, 4_200, 4_100]);
    await services.anomalyDetection.catchUp();
    const [raised] = await anomalies();
    const dismissed = await services.anomalies.dismiss(commandLinePrincipal(), raised?.id ?? '', 'a planned slower build');
    expect(dismissed).toMatchObject({ dismissReason: 'a planned slower build', dismissedBy: commandLinePrincipal().actor });
    expect(await services.anomalies.list(commandLinePrincipal(), { projectIds: [project.id] }, 10)).toEqual([]);
  });

  it('widens the band of a series whose spike was dismissed as expected, in this leader and the next, while a larger spike is still found', async () => {
    const { services, finishRuns, anomalies } = await setUp();
    await finishRuns(usual(45));
    await services.anomalyDetection.catchUp();
    await finishRuns([4_000, 4_200, 4_100]);
    await services.anomalyDetection.catchUp();
    await finishRuns(usual(4));
    await services.anomalyDetection.catchUp();
    const [first] = await anomalies();
    await services.anomalies.dismiss(commandLinePrincipal(), first?.id ?? '', 'nightly backups slow the build');
    await services.anomalyDetection.tick();

    await finishRuns([4_000, 4_200, 4_100, ...usual(4)]);
    await services.anomalyDetection.catchUp();
    expect(await anomalies()).toHaveLength(1);

    const nextLeader = composeTestServices(database(), { clock });
    await nextLeader.anomalyDetection.catchUp();
    await finishRuns([4_100, 4_000, 4_200, ...usual(4)]);
    await nextLeader.anomalyDetection.catchUp();
    expect(await anomalies()).toHaveLength(1);

    await finishRuns([40_000, 42_000, 41_000]);
    await nextLeader.anomalyDetection.catchUp();
    const [larger] = await anomalies();
    expect(larger).toMatchObject({ kind: 'DURATION_SPIKE', end: null, observed: 42_000 });
    expect(larger?.upper).toBeGreaterThan(first?.upper ?? Number.POSITIVE_INFINITY);
  });
});
