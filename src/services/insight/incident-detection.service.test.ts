import type { Services } from '../../composition.ts';
import { newId } from '../../domain/ids.ts';
import { composeTestServices } from '../../test/compose.ts';
import { PROVIDERS, useMigratedDatabase } from '../../test/database-suite.ts';
import { createProjectWithWorkflow } from '../../test/factories.ts';
import { ManualClock } from '../../test/manual-clock.ts';
import { ADMIN_PRINCIPAL, memberPrincipal } from '../../test/principals.ts';

const MINUTE = 60_000;

describe.each(PROVIDERS)('incident detection (%s)', (provider) => {
  const database = useMigratedDatabase(provider);
  const clock = new ManualClock(new Date('2026-12-01T12:00:00Z'));
  const advance = (ms: number) => clock.set(new Date(clock.now().getTime() + ms));

  /** Two projects: alpha with two workflows, beta with one; hours after the test before, whose incident is closed. */
  async function setUp() {
    advance(3 * 60 * MINUTE);
    const services = composeTestServices(database(), { clock });
    await services.incidentDetection.catchUp();
    await services.incidentDetection.tick();
    const { project: alpha, workflow: alpha1 } = await createProjectWithWorkflow(services, ['connect']);
    const alpha2 = await services.repositories.workflows.create({ id: newId('wf'), projectId: alpha.id, name: `wf-${newId('wf').slice(-6)}`, definition: 'steps:\n  - name: connect\n    command: "true"\n', hash: newId('wf'), tags: [] });
    const { project: beta, workflow: beta1 } = await createProjectWithWorkflow(services, ['connect']);
    const ours = { projectIds: [alpha.id, beta.id] };
    return { services, alpha, beta, ours, workflows: [alpha1, alpha2, beta1] };
  }

  async function finishRun(services: Services, workflow: { id: string; projectId: string }, failure: string | null): Promise<string> {
    const run = await services.recorder.createRun({ projectId: workflow.projectId, workflowId: workflow.id, trigger: 'SCHEDULER', steps: ['connect'] });
    await services.recorder.recordTransition({ runId: run.id, to: 'RUNNING' });
    await services.recorder.recordStepTransition({ runId: run.id, step: 'connect', to: 'RUNNING' });
    await services.recorder.recordStepTransition({ runId: run.id, step: 'connect', to: failure === null ? 'SUCCEEDED' : 'FAILED' });
    await services.recorder.recordTransition({ runId: run.id, to: failure === null ? 'SUCCEEDED' : 'FAILED', ...(failure === null ? {} : { error: failure }) });
    advance(MINUTE);
    return run.id;
  }

  it('opens an incident when workflows of two projects fail again and again together, grows it, and closes it after the quiet time', async () => {
    const { services, alpha, beta, ours, workflows } = await setUp();
    await services.incidentDetection.catchUp();
    const failed: string[] = [];
    for (const round of [1, 2]) {
      for (const workflow of workflows) failed.push(await finishRun(services, workflow, `connection refused: db-main.internal:54${round}2`));
    }
    await services.incidentDetection.catchUp();
    const [opened, ...others] = await services.incidents.list(ADMIN_PRINCIPAL, ours, 10);
    expect(others).toEqual([]);
    expect(opened?.closedAt).toBeNull();
    expect(opened?.projectIds.sort()).toEqual([alpha.id, beta.id].sort());
    expect(opened?.members.map((member) => member.runId).sort()).toEqual([...failed].sort());
    // The error and the step are shared alike; the error says more, so it ranks first.
    expect(opened?.attributes.slice(0, 2)).toMatchObject([
      { kind: 'ERROR', value: 'connection refused: db-main.internal:<n>', members: 6, memberShare: 1 },
      { kind: 'STEP', value: 'connect', members: 6 },
    ]);

    const later = await finishRun(services, workflows[0] ?? { id: '', projectId: '' }, 'connection refused: db-main.internal:5432');
    await services.incidentDetection.catchUp();
    const grown = await services.incidents.get(ADMIN_PRINCIPAL, opened?.id ?? '');
    expect(grown.members.map((member) => member.runId)).toContain(later);
    expect(grown.seq).toBeGreaterThan(opened?.seq ?? 0n);

    advance(31 * MINUTE);
    await services.incidentDetection.tick();
    const [closed] = await services.incidents.list(ADMIN_PRINCIPAL, { ...ours, open: false }, 10);
    expect(closed).toMatchObject({ id: opened?.id, closedAt: clock.now() });
    expect(await services.incidents.list(ADMIN_PRINCIPAL, { ...ours, open: true }, 10)).toEqual([]);
  });

  it('shows a viewer of one project only that project’s members and counts, and no incident at all to a viewer of neither', async () => {
    const { services, alpha, ours, workflows } = await setUp();
    await services.incidentDetection.catchUp();
    for (const round of [1, 2]) {
      for (const [index, workflow] of workflows.entries()) await finishRun(services, workflow, index === 2 ? 'disk full on beta volume' : 'connection refused');
    }
    await services.incidentDetection.catchUp();
    const [whole] = await services.incidents.list(ADMIN_PRINCIPAL, ours, 10);
    expect(whole?.attributes.some((attribute) => attribute.value === 'disk full on beta volume')).toBe(true);

    const alphaViewer = memberPrincipal('usr_alpha', 'alpha-viewer', new Map([[alpha.id, 'VIEWER']]));
    const [seen] = await services.incidents.list(alphaViewer, {}, 10);
    expect(seen?.projectIds).toEqual([alpha.id]);
    expect(seen?.members).toHaveLength(4);
    expect(seen?.members.every((member) => member.projectId === alpha.id)).toBe(true);
    expect(seen?.attributes.some((attribute) => attribute.value.includes('beta'))).toBe(false);
    expect(seen?.attributes.find((attribute) => attribute.kind === 'ERROR')).toMatchObject({ value: 'connection refused', members: 4, memberShare: 1 });

    const stranger = memberPrincipal('usr_none', 'stranger', new Map([[newId('prj'), 'ADMIN']]));
    expect(await services.incidents.list(stranger, {}, 10)).toEqual([]);
    await expect(services.incidents.get(stranger, whole?.id ?? '')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lets a new leader go on with the incident stored open, so later failures join it rather than opening another', async () => {
    const { services, ours, workflows } = await setUp();
    await services.incidentDetection.catchUp();
    for (const round of [1, 2]) for (const workflow of workflows) await finishRun(services, workflow, `timeout ${round}`);
    await services.incidentDetection.catchUp();

    const nextLeader = composeTestServices(database(), { clock });
    await nextLeader.incidentDetection.catchUp();
    const joined = await finishRun(nextLeader, workflows[2] ?? { id: '', projectId: '' }, 'timeout 3');
    await nextLeader.incidentDetection.catchUp();
    const [incident, ...others] = await nextLeader.incidents.list(ADMIN_PRINCIPAL, ours, 10);
    expect(others).toEqual([]);
    expect(incident?.members.map((member) => member.runId)).toContain(joined);
    expect(incident?.members).toHaveLength(7);
  });

  it('refuses a page size out of bounds and a reversed time range, naming the argument', async () => {
    const { services } = await setUp();
    await expect(services.incidents.list(ADMIN_PRINCIPAL, {}, 0)).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/first: from 1 to 200/) });
    await expect(services.incidents.list(ADMIN_PRINCIPAL, { from: new Date('2026-12-02'), to: new Date('2026-12-01') }, 10)).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/filter.from/) });
  });
});
