import { newId } from '../../domain/ids.ts';
import type { RunStatus } from '../../domain/status.ts';
import { composeTestServices } from '../../test/compose.ts';
import { PROVIDERS, useMigratedDatabase } from '../../test/database-suite.ts';
import { createProjectWithWorkflow } from '../../test/factories.ts';
import { ManualClock } from '../../test/manual-clock.ts';

const DAY = 86_400_000;

describe.each(PROVIDERS)('workflow predictions (%s)', (provider) => {
  const database = useMigratedDatabase(provider);
  const now = new Date('2026-12-07T15:00:00Z');
  const clock = new ManualClock(now);

  async function setUp() {
    const services = composeTestServices(database(), { clock });
    const { project } = await createProjectWithWorkflow(services, ['build']);
    const workflow = await services.repositories.workflows.create({
      id: newId('wf'),
      projectId: project.id,
      name: `nightly-${newId('wf').slice(-6)}`,
      definition: 'steps:\n  - name: build\n    command: "true"\n',
      hash: newId('wf'),
      tags: [],
      createdAt: new Date(now.getTime() - 60 * DAY),
    });
    const finishRunAt = async (at: Date, status: RunStatus) => {
      clock.set(at);
      const run = await services.recorder.createRun({ projectId: project.id, workflowId: workflow.id, trigger: 'SCHEDULER', steps: ['build'] });
      await services.recorder.recordTransition({ runId: run.id, to: 'RUNNING' });
      await services.recorder.recordTransition({ runId: run.id, to: status });
    };
    return { services, workflow, finishRunAt };
  }

  it('forecasts tomorrow’s runs per status from the same weekday of the last four weeks’ rollups', async () => {
    const { services, workflow, finishRunAt } = await setUp();
    const tomorrow = Date.UTC(2026, 11, 8);
    for (const [weeksBack, succeeded, failed] of [[1, 3, 1], [2, 5, 1], [3, 4, 1], [4, 4, 1]] as const) {
      const day = new Date(tomorrow - weeksBack * 7 * DAY + 9 * 3_600_000);
      for (let run = 0; run < succeeded; run += 1) await finishRunAt(day, 'SUCCEEDED');
      for (let run = 0; run < failed; run += 1) await finishRunAt(day, 'FAILED');
    }
    clock.set(now);
    const [forecast] = await services.workflowInsight.forecasts([workflow]);
    expect(forecast).toMatchObject({ day: tomorrow, total: { expected: 5 }, byStatus: [{ status: 'SUCCEEDED', expected: 4 }, { status: 'FAILED', expected: 1 }] });
  });

  it('gives a failure probability only where replaying the runs beats the plain failure rate', async () => {
    const { services, workflow, finishRunAt } = await setUp();
    // Failures in spells of four: after a failure, another is likely.
    for (let run = 0; run < 120; run += 1) await finishRunAt(new Date(now.getTime() - (120 - run) * 60_000), run % 20 < 4 ? 'FAILED' : 'SUCCEEDED');
    const [streaky] = await services.workflowInsight.failureProbabilities([workflow.id]);
    expect(streaky?.skill).toBeGreaterThan(0);
    expect(streaky?.baseRate).toBeCloseTo(0.2);
    const { workflow: quiet } = await createProjectWithWorkflow(services, ['build']);
    expect(await services.workflowInsight.failureProbabilities([quiet.id])).toEqual([null]);
  });
});
