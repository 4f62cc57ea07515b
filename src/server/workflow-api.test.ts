import { newId } from '../domain/ids.ts';
import { generateTokenSecret, hashTokenSecret } from '../auth/token-secret.ts';
import { waitForRunEnd, waitForStepStatus } from '../test/engine-helpers.ts';
import { startTestServer, type TestServer } from '../test/test-server.ts';

const SAVE = 'mutation ($projectId: ID!, $yaml: String!) { saveWorkflow(projectId: $projectId, yaml: $yaml) { id name schedule nextFireAt tags enabled } }';

describe('workflows and runs over GraphQL', () => {
  let server: TestServer;
  let projectId: string;

  beforeAll(async () => {
    server = await startTestServer('sqlite');
    const { body } = await server.query<{ projects: { id: string }[] }>('{ projects { id } }');
    projectId = body.data?.projects[0]?.id ?? '';
  });
  afterAll(async () => {
    await server.stop();
  });

  async function save(yaml: string) {
    return server.query<{ saveWorkflow: { id: string; name: string; schedule: string | null; nextFireAt: string | null; tags: string[] } }>(SAVE, { projectId, yaml });
  }

  it('lists each workflow with its latest 20 runs, newest first', async () => {
    const { services } = server.app;
    const busy = await save('name: busy\nsteps:\n  - name: a\n    command: "true"\n');
    const idle = await save('name: idle\nsteps:\n  - name: a\n    command: "true"\n');
    const busyId = busy.body.data?.saveWorkflow.id ?? '';
    const created: string[] = [];
    for (let run = 0; run < 22; run += 1) created.push((await services.recorder.createRun({ projectId, workflowId: busyId, trigger: 'API', steps: ['a'] })).id);

    const { body } = await server.query<{ workflows: { edges: { node: { name: string; recentRuns: { id: string }[] } }[] } }>(
      `{ workflows(projectId: "${projectId}") { edges { node { name recentRuns { id } } } } }`,
    );
    const byName = new Map(body.data?.workflows.edges.map(({ node }) => [node.name, node.recentRuns.map((run) => run.id)]));

    expect(byName.get('busy')).toEqual(created.slice(-20).reverse());
    expect(byName.get('idle')).toEqual([]);
    expect(idle.body.errors).toBeUndefined();
  });

  it('refuses an invalid workflow with BAD_USER_INPUT listing every problem with line and column', async () => {
    const { body } = await save('name: broken\nsteps:\n  - name: a\n    comand: echo\n  - name: b\n    depends: [zz]\n    command: echo\n');

    const error = body.errors?.[0];
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error?.message).toContain('4:5 steps[0] (a): unknown key "comand"');
    expect(error?.message).toContain('did you mean "command"?');
    expect(error?.message).toContain('6:15 steps[1] (b).depends: unknown step "zz"');
    expect(error?.extensions?.problems).toHaveLength(3);
  });

  it('saves, lists and triggers a workflow, then serves its run, steps and log', async () => {
    const saved = await save('name: api-hello\ntags: [demo]\nschedule: "0 3 * * *"\nparams:\n  WHO: world\nsteps:\n  - name: hello\n    command: echo "hello ${WHO}"\n');
    const workflowId = saved.body.data?.saveWorkflow.id ?? '';

    const listed = await server.query<{ workflows: { edges: { node: { name: string } }[] } }>(`{ workflows(projectId: "${projectId}") { edges { node { name } } pageInfo { hasNextPage } } }`);
    const triggered = await server.query<{ triggerRun: { id: string; status: string; trigger: string } }>(
      'mutation ($id: ID!) { triggerRun(workflowId: $id, params: { WHO: "graphql" }) { id status trigger } }',
      { id: workflowId },
    );
    const runId = triggered.body.data?.triggerRun.id ?? '';
    await waitForRunEnd(server.app.services, runId);
    const { body } = await server.query<{ run: { status: string; steps: { name: string; status: string }[] }; stepLog: { content: string; complete: boolean } }>(
      'query ($id: ID!) { run(id: $id) { status steps { name status } } stepLog(runId: $id, step: "hello") { content complete } }',
      { id: runId },
    );

    expect(saved.body.data?.saveWorkflow).toMatchObject({ name: 'api-hello', schedule: '0 3 * * *', tags: ['demo'], nextFireAt: expect.any(String) });
    expect(listed.body.data?.workflows.edges.map((edge) => edge.node.name)).toContain('api-hello');
    expect(triggered.body.data?.triggerRun).toMatchObject({ status: 'QUEUED', trigger: 'API' });
    expect(body.data).toEqual({ run: { status: 'SUCCEEDED', steps: [{ name: 'hello', status: 'SUCCEEDED' }] }, stepLog: { content: 'hello graphql\n', complete: true } });
  });

  it('names an unknown param instead of ignoring it', async () => {
    const saved = await save('name: strict-params\nparams:\n  ENV: dev\nsteps:\n  - name: s\n    command: "true"\n');

    const { body } = await server.query('mutation ($id: ID!) { triggerRun(workflowId: $id, params: { ENVIRONMENT: "prod" }) { id } }', { id: saved.body.data?.saveWorkflow.id });

    expect(body.errors?.[0]).toMatchObject({ message: 'Unknown param "ENVIRONMENT"; this workflow takes: ENV', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('cancels a running run, recording who did, and refuses to cancel it twice', async () => {
    const saved = await save('name: api-long\nsteps:\n  - name: wait\n    command: sleep 30\n');
    const triggered = await server.query<{ triggerRun: { id: string } }>('mutation ($id: ID!) { triggerRun(workflowId: $id) { id } }', { id: saved.body.data?.saveWorkflow.id });
    const runId = triggered.body.data?.triggerRun.id ?? '';
    await waitForStepStatus(server.app.services, runId, 'wait', 'RUNNING');

    const cancelled = await server.query<{ cancelRun: { status: string; events: { step: { name: string } | null; to: string; actor: string | null }[] } }>(
      'mutation ($id: ID!) { cancelRun(id: $id) { status events { step { name } to actor } } }',
      { id: runId },
    );
    const again = await server.query('mutation ($id: ID!) { cancelRun(id: $id) { status } }', { id: runId });

    expect(cancelled.body.data?.cancelRun.status).toBe('ABORTED');
    // The run and the step it stopped both record who cancelled them.
    expect(cancelled.body.data?.cancelRun.events.filter((event) => event.to === 'ABORTED')).toEqual([
      { step: { name: 'wait' }, to: 'ABORTED', actor: 'admin' },
      { step: null, to: 'ABORTED', actor: 'admin' },
    ]);
    expect(again.body.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT' }, message: `Run ${runId} is already finished (ABORTED)` });
  });

  it('lets a VIEWER read but not trigger, and hides other projects as NOT_FOUND', async () => {
    const { services } = server.app;
    const saved = await save('name: guarded\nsteps:\n  - name: s\n    command: "true"\n');
    const user = await services.repositories.users.create({ id: newId('usr'), username: `viewer-${newId('usr').slice(-6)}`, displayName: 'Viewer' });
    await services.repositories.users.addMembership({ userId: user.id, projectId, role: 'VIEWER' });
    const token = generateTokenSecret();
    await services.repositories.tokens.create({ id: newId('tok'), userId: user.id, name: 'test', tokenHash: hashTokenSecret(token) });
    const outsider = await services.repositories.users.create({ id: newId('usr'), username: `outsider-${newId('usr').slice(-6)}`, displayName: 'Outsider' });
    const outsiderToken = generateTokenSecret();
    await services.repositories.tokens.create({ id: newId('tok'), userId: outsider.id, name: 'test', tokenHash: hashTokenSecret(outsiderToken) });
    const trigger = 'mutation ($id: ID!) { triggerRun(workflowId: $id) { id } }';

    const read = await server.query<{ workflow: { name: string } }>('query ($id: ID!) { workflow(id: $id) { name } }', { id: saved.body.data?.saveWorkflow.id }, token);
    const byViewer = await server.query(trigger, { id: saved.body.data?.saveWorkflow.id }, token);
    const byOutsider = await server.query(trigger, { id: saved.body.data?.saveWorkflow.id }, outsiderToken);

    expect(read.body.data?.workflow.name).toBe('guarded');
    expect(byViewer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(byOutsider.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('an API-only server (ENGINE=off)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('sqlite', { config: { executes: false } });
  });
  afterAll(() => server.stop());

  it('queues triggered runs without starting them, and still cancels them', async () => {
    const { body: projects } = await server.query<{ projects: { id: string }[] }>('{ projects { id } }');
    const saved = await server.query<{ saveWorkflow: { id: string } }>(SAVE, { projectId: projects.data?.projects[0]?.id, yaml: 'name: api-only\nsteps:\n  - name: s\n    command: "true"\n' });
    const triggered = await server.query<{ triggerRun: { id: string } }>('mutation ($id: ID!) { triggerRun(workflowId: $id) { id } }', { id: saved.body.data?.saveWorkflow.id });
    const runId = triggered.body.data?.triggerRun.id ?? '';
    await server.app.services.engine.settled(runId);
    const queued = await server.query<{ run: { status: string; steps: { status: string }[] } }>('query ($id: ID!) { run(id: $id) { status steps { status } } }', { id: runId });
    const cancelled = await server.query<{ cancelRun: { status: string } }>('mutation ($id: ID!) { cancelRun(id: $id) { status } }', { id: runId });

    expect(queued.body.data?.run).toEqual({ status: 'QUEUED', steps: [{ status: 'NOT_STARTED' }] });
    expect(cancelled.body.data?.cancelRun.status).toBe('ABORTED');
  });
});
