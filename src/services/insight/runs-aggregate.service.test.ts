import { commandLinePrincipal } from '../../auth/principal.ts';
import type { RunStatus } from '../../domain/status.ts';
import { composeTestServices } from '../../test/compose.ts';
import { PROVIDERS, useMigratedDatabase } from '../../test/database-suite.ts';
import { createProjectWithWorkflow } from '../../test/factories.ts';
import { ManualClock } from '../../test/manual-clock.ts';
import { memberPrincipal } from '../../test/principals.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.each(PROVIDERS)('runsAggregate (%s)', (provider) => {
  const database = useMigratedDatabase(provider);
  const day = Date.UTC(2026, 11, 3);
  const clock = new ManualClock(new Date(day));

  async function setUp() {
    const services = composeTestServices(database(), { clock });
    const first = await createProjectWithWorkflow(services, ['build']);
    const second = await createProjectWithWorkflow(services, ['build']);
    const finishRun = async (target: typeof first, at: number, status: RunStatus, error?: string) => {
      clock.set(new Date(at));
      const run = await services.recorder.createRun({ projectId: target.project.id, workflowId: target.workflow.id, trigger: 'MANUAL', steps: ['build'] });
      await services.recorder.recordTransition({ runId: run.id, to: 'RUNNING' });
      await services.recorder.recordTransition({ runId: run.id, to: status, ...(error === undefined ? {} : { error }) });
    };
    return { services, first, second, finishRun };
  }

  it('counts runs across projects per project and status, per day, exactly as the rollups hold them', async () => {
    const { services, first, second, finishRun } = await setUp();
    await finishRun(first, day + 1 * HOUR, 'SUCCEEDED');
    await finishRun(first, day + 2 * HOUR, 'FAILED', 'boom');
    await finishRun(first, day + DAY + 3 * HOUR, 'SUCCEEDED');
    await finishRun(second, day + 4 * HOUR, 'FAILED', 'bang');
    // Outside the range: counted nowhere.
    await finishRun(second, day + 2 * DAY + HOUR, 'FAILED', 'late');
    const groups = await services.aggregates.aggregate(commandLinePrincipal(), {
      projectIds: [first.project.id, second.project.id],
      groupBy: ['PROJECT', 'STATUS'],
      bucket: 'DAY',
      from: new Date(day),
      to: new Date(day + 2 * DAY),
    });
    const view = groups.map(({ projectId, status, bucketStart, count }) => [projectId === first.project.id ? 'first' : 'second', status, bucketStart, count]);
    expect(view).toEqual(
      expect.arrayContaining([
        ['first', 'SUCCEEDED', day, 1],
        ['first', 'FAILED', day, 1],
        ['second', 'FAILED', day, 1],
        ['first', 'SUCCEEDED', day + DAY, 1],
      ]),
    );
    expect(view).toHaveLength(4);
  });

  it('groups failures by the fingerprint of their error, across projects', async () => {
    const { services, first, second, finishRun } = await setUp();
    await finishRun(first, day + HOUR, 'FAILED', 'file /data/in/part-0093.csv not found');
    await finishRun(second, day + 2 * HOUR, 'FAILED', 'file /data/in/part-0107.csv not found');
    await finishRun(second, day + 3 * HOUR, 'FAILED', 'connection refused: db-main.internal:5432');
    await finishRun(first, day + 4 * HOUR, 'SUCCEEDED');
    const groups = await services.aggregates.aggregate(commandLinePrincipal(), {
      projectIds: [first.project.id, second.project.id],
      groupBy: ['ERROR'],
      bucket: null,
      from: new Date(day),
      to: new Date(day + DAY),
    });
    expect(groups.map(({ error, count }) => [error, count])).toEqual([
      ['file <path> not found', 2],
      ['connection refused: db-main.internal:<n>', 1],
      [null, 1],
    ]);
  });

  it('never counts a project the caller cannot read, and refuses one named outright', async () => {
    const { services, first, second, finishRun } = await setUp();
    await finishRun(first, day + HOUR, 'SUCCEEDED');
    await finishRun(second, day + HOUR, 'FAILED', 'secret cause');
    const viewer = memberPrincipal('usr_viewer', 'viewer', new Map([[first.project.id, 'VIEWER']]));
    const mine = await services.aggregates.aggregate(viewer, { groupBy: ['PROJECT', 'ERROR'], bucket: null, from: new Date(day), to: new Date(day + DAY) });
    expect(mine.map(({ projectId, error, count }) => [projectId, error, count])).toEqual([[first.project.id, null, 1]]);
    await expect(services.aggregates.aggregate(viewer, { projectIds: [second.project.id], groupBy: ['STATUS'], bucket: null, from: new Date(day), to: new Date(day + DAY) })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('says what to change when the range does not fall on the rollups’ hours or days', async () => {
    const { services } = await setUp();
    const ask = (from: number, to: number, bucket: 'DAY' | null) => services.aggregates.aggregate(commandLinePrincipal(), { groupBy: ['STATUS'], bucket, from: new Date(from), to: new Date(to) });
    await expect(ask(day + 1_000, day + DAY, null)).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining('whole UTC hours') });
    await expect(ask(day + HOUR, day + DAY, 'DAY')).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining('UTC midnights') });
    await expect(ask(day + DAY, day, null)).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: 'from must be before to' });
  });
});
