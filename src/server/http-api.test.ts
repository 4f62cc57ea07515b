import { randomBytes } from 'node:crypto';
import { statSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROVIDERS } from '../test/database-suite.ts';
import { newId } from '../domain/ids.ts';
import { createProjectWithWorkflow } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/test-server.ts';

const unique = () => randomBytes(4).toString('hex');

describe.each(PROVIDERS)('GraphQL over HTTP on %s', (provider) => {
  let server: TestServer;

  beforeAll(async () => {
    // The runs here are written by hand; an engine would claim (and settle) the ones left QUEUED.
    server = await startTestServer(provider, { config: { executes: false } });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('answers viewer, projects and headSnapshot for the first-start admin token', async () => {
    const { status, body } = await server.query<{ viewer: { username: string; isAdmin: boolean }; projects: { slug: string }[]; headSnapshot: string }>(
      '{ viewer { id username isAdmin memberships { role } } projects { slug name } headSnapshot }',
    );

    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data?.viewer).toMatchObject({ username: 'admin', isAdmin: true });
    expect(body.data?.projects.map((project) => project.slug)).toEqual(['default']);
    expect(body.data?.headSnapshot).toMatch(/^\d+$/);
  });

  it('writes the first admin token to DATA_DIR/admin-token readable by the owner only', () => {
    const file = path.join(server.dataDir, 'admin-token');

    expect(readFileSync(file, 'utf8').trim()).toBe(server.adminToken);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('answers a GET query too', async () => {
    const url = `${server.graphqlUrl}?query=${encodeURIComponent('{ headSnapshot }')}`;
    const response = await fetch(url, { headers: { authorization: `Bearer ${server.adminToken}`, 'apollo-require-preflight': 'true' } });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { headSnapshot: expect.stringMatching(/^\d+$/) } });
  });

  it.each([
    ['no Authorization header', null, 'Authentication required'],
    ['an unknown token', 'rt_not-a-real-token', 'unknown, revoked or expired'],
  ])('refuses a request with %s: HTTP 401 and UNAUTHENTICATED', async (_case, token, message) => {
    const { status, body } = await server.query('{ viewer { id } }', undefined, token);

    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(body.errors?.[0]?.message).toContain(message);
    expect(body.data).toBeUndefined();
  });

  it('pages a project’s live workflows by name, with their tags and settings, leaving deleted ones out', async () => {
    const { services } = server.app;
    const project = await services.repositories.projects.create({ id: newId('prj'), slug: `p-${unique()}`, name: 'Paged project' });
    const workflow = (name: string, extra: { tags: string[]; enabled?: boolean; deletedAt?: Date; description?: string }) =>
      services.repositories.workflows.create({ id: newId('wf'), projectId: project.id, name, definition: 'steps:\n  - name: a\n    command: "true"\n', hash: unique(), ...extra });
    await workflow('charlie', { tags: [] });
    await workflow('alpha', { tags: ['nightly', 'etl'], description: 'loads the warehouse' });
    await workflow('bravo', { tags: ['deploy'], enabled: false });
    await workflow('able', { tags: ['gone'], deletedAt: new Date() });
    const page = `query ($projectId: ID, $after: String) {
      workflows(projectId: $projectId, first: 2, after: $after) { pageInfo { hasNextPage endCursor } edges { node { name tags enabled description project { name } } } }
    }`;
    type Page = { workflows: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: { name: string; tags: string[]; enabled: boolean; description: string | null; project: { name: string } } }[] } };

    const first = await server.query<Page>(page, { projectId: project.id });
    const second = await server.query<Page>(page, { projectId: project.id, after: first.body.data?.workflows.pageInfo.endCursor });

    expect(first.body.errors).toBeUndefined();
    expect(first.body.data?.workflows.edges.map((edge) => edge.node)).toEqual([
      { name: 'alpha', tags: ['nightly', 'etl'], enabled: true, description: 'loads the warehouse', project: { name: 'Paged project' } },
      { name: 'bravo', tags: ['deploy'], enabled: false, description: null, project: { name: 'Paged project' } },
    ]);
    expect(first.body.data?.workflows.pageInfo.hasNextPage).toBe(true);
    expect(second.body.data?.workflows.edges.map((edge) => edge.node.name)).toEqual(['charlie']);
    expect(second.body.data?.workflows.pageInfo.hasNextPage).toBe(false);
  });

  it('serves a run with its project, workflow, steps and status history, and headSnapshot moves with it', async () => {
    const { services } = server.app;
    const { project, workflow } = await createProjectWithWorkflow(services, ['build']);
    const created = await services.recorder.createRun({ projectId: project.id, workflowId: workflow.id, trigger: 'API', steps: ['build'], params: { env: 'ci' } });
    await services.recorder.recordTransition({ runId: created.id, to: 'RUNNING' });
    await services.recorder.recordStepTransition({ runId: created.id, step: 'build', to: 'RUNNING' });

    const { body } = await server.query<{ run: Record<string, unknown>; headSnapshot: string }>(
      `query ($id: ID!) { headSnapshot run(id: $id) { id status trigger params attempt project { id } workflow { name project { id } }
         steps { name status attempt } events { seq kind from to step { name } run { id } } } }`,
      { id: created.id },
    );

    expect(body.errors).toBeUndefined();
    expect(body.data?.run).toEqual({
      id: created.id,
      status: 'RUNNING',
      trigger: 'API',
      params: { env: 'ci' },
      attempt: 1,
      project: { id: project.id },
      workflow: { name: workflow.name, project: { id: project.id } },
      steps: [{ name: 'build', status: 'RUNNING', attempt: 1 }],
      events: [
        { seq: expect.any(String), kind: 'RUN', from: null, to: 'QUEUED', step: null, run: { id: created.id } },
        { seq: expect.any(String), kind: 'RUN', from: 'QUEUED', to: 'RUNNING', step: null, run: { id: created.id } },
        { seq: expect.any(String), kind: 'STEP', from: 'NOT_STARTED', to: 'RUNNING', step: { name: 'build' }, run: { id: created.id } },
      ],
    });
    const events = body.data?.run.events as { seq: string }[];
    expect(body.data?.headSnapshot).toBe(events[2]?.seq);
  });

  it('answers null for a run that does not exist', async () => {
    const { body } = await server.query('{ run(id: "run_missing") { id } }');

    expect(body).toEqual({ data: { run: null } });
  });

  it('names the problem of an invalid query with GRAPHQL_VALIDATION_FAILED', async () => {
    const { status, body } = await server.query('{ viewer { nope } }');

    expect(status).toBe(400);
    expect(body.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' }, message: expect.stringContaining('nope') });
  });

  it('reports /healthz alive and /readyz ready once migrations are applied', async () => {
    const health = await fetch(`${server.url}/healthz`);
    const ready = await fetch(`${server.url}/readyz`);

    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready' }]);
  });
});
