import { newId } from '../../domain/ids.ts';
import { composeTestServices } from '../../test/compose.ts';
import { PROVIDERS, useMigratedDatabase } from '../../test/database-suite.ts';
import { createProjectWithWorkflow } from '../../test/factories.ts';
import { ManualClock } from '../../test/manual-clock.ts';

const SECOND = 1_000;

describe.each(PROVIDERS)('run ETA (%s)', (provider) => {
  const database = useMigratedDatabase(provider);
  const clock = new ManualClock(new Date('2026-12-01T12:00:00Z'));
  const advance = (ms: number) => clock.set(new Date(clock.now().getTime() + ms));

  async function setUp() {
    const services = composeTestServices(database(), { clock });
    const { project, workflow } = await createProjectWithWorkflow(services, ['build', 'test']);
    // build, then test and lint side by side after it.
    const definition = 'steps:\n  - name: build\n    command: "true"\n  - name: test\n    command: "true"\n    depends: [build]\n  - name: lint\n    command: "true"\n    depends: [build]\n';
    const version = await database().db.workflowVersion.create({ data: { id: newId('wf'), workflowId: workflow.id, hash: newId('wf'), definition, createdAt: clock.now() } });
    const start = async () => {
      const run = await services.recorder.createRun({ projectId: project.id, workflowId: workflow.id, trigger: 'MANUAL', steps: ['build', 'test', 'lint'], versionId: version.id });
      await services.recorder.recordTransition({ runId: run.id, to: 'RUNNING' });
      return run.id;
    };
    const step = (runId: string, name: string, to: 'RUNNING' | 'SUCCEEDED') => services.recorder.recordStepTransition({ runId, step: name, to });
    /** A run whose build takes 10 s, then test 20 s beside lint 5 s. */
    const usualRun = async () => {
      const runId = await start();
      await step(runId, 'build', 'RUNNING');
      advance(10 * SECOND);
      await step(runId, 'build', 'SUCCEEDED');
      await step(runId, 'test', 'RUNNING');
      await step(runId, 'lint', 'RUNNING');
      advance(5 * SECOND);
      await step(runId, 'lint', 'SUCCEEDED');
      advance(15 * SECOND);
      await step(runId, 'test', 'SUCCEEDED');
      await services.recorder.recordTransition({ runId, to: 'SUCCEEDED' });
      advance(60 * SECOND);
    };
    const etaOf = async (runId: string) => {
      const [run] = await services.repositories.runs.listByIds([runId]);
      if (!run) throw new Error(`No run ${runId}`);
      const [eta] = await services.runEtas.etasOf([run]);
      return eta;
    };
    return { services, start, step, usualRun, etaOf };
  }

  it('estimates a running run’s finish along the longest remaining path, from how long its running step has run', async () => {
    const { start, step, usualRun, etaOf } = await setUp();
    for (let run = 0; run < 5; run += 1) await usualRun();
    const runId = await start();
    await step(runId, 'build', 'RUNNING');
    advance(4 * SECOND);
    const now = clock.now().getTime();
    // build has 6 s left, then test (20 s) outlasts lint (5 s) beside it.
    expect(await etaOf(runId)).toEqual({ expectedAt: now + 26 * SECOND, p90At: now + 26 * SECOND, basedOn: 5 });
  });

  it('gives no estimate before every step has 5 past durations, nor for a run that is not RUNNING', async () => {
    const { start, step, usualRun, etaOf } = await setUp();
    for (let run = 0; run < 4; run += 1) await usualRun();
    const runId = await start();
    await step(runId, 'build', 'RUNNING');
    expect(await etaOf(runId)).toBeNull();
    await usualRun();
    expect(await etaOf(runId)).not.toBeNull();
    const queued = await start();
    await database().db.run.update({ where: { id: queued }, data: { status: 'QUEUED' } });
    expect(await etaOf(queued)).toBeNull();
  });
});
