import { PROVIDERS } from '../test/database-suite.ts';
import { startTestServer, type TestServer } from '../test/test-server.ts';

const RUNS_OF_PROJECTS = 'query ($ids: [ID!]) { runs(first: 1, filter: { projectIds: $ids }) { totalCount } }';

describe.each(PROVIDERS)('argument bounds at the boundary on %s', (provider) => {
  let server: TestServer;
  let projectId = '';

  beforeAll(async () => {
    server = await startTestServer(provider);
    const { body } = await server.query<{ projects: { id: string }[] }>('{ projects { id } }');
    projectId = body.data?.projects[0]?.id ?? '';
  });
  afterAll(() => server.stop());

  it('refuses 40,000 projectIds with BAD_USER_INPUT naming the argument and LIST_ARGUMENT_MAX_ITEMS', async () => {
    const ids = Array.from({ length: 40_000 }, (_, index) => `prj_${index}`);

    const { status, body } = await server.query(RUNS_OF_PROJECTS, { ids });

    expect(status).toBe(400);
    expect(body.errors?.[0]).toMatchObject({
      message: expect.stringContaining('at most 1000 items (LIST_ARGUMENT_MAX_ITEMS), this one holds 40000'),
      extensions: { code: 'BAD_USER_INPUT', field: 'runs', argument: 'filter.projectIds', limit: 1_000 },
    });
  });

  it('lets 1,000 projectIds, the most a list may hold, reach the database, which answers for each of them', async () => {
    const ids = [projectId, ...Array.from({ length: 999 }, (_, index) => `prj_${index}`)];

    const { body } = await server.query<{ runs: { totalCount: number } }>(RUNS_OF_PROJECTS, { ids });

    expect(body.errors?.[0]).toMatchObject({ message: expect.stringMatching(/^filter\.projectIds: no project prj_0, .*prj_998$/), extensions: { code: 'BAD_USER_INPUT' } });
  });

  it.each([
    ['the username at login, without credentials', 'mutation ($u: String!) { login(username: $u, password: "secret") { expiresAt } }', { u: 'ad\u0000min' }, null, 'username'],
    ['an id', 'query ($id: ID!) { run(id: $id) { id } }', { id: 'run_\u0000' }, 'admin', 'id'],
    ['an id written in the query', '{ run(id: "run_\\u0000") { id } }', {}, 'admin', 'id'],
    ['a value inside a list of an input object', 'query ($names: [String!]) { runs(filter: { workflowNames: $names }) { totalCount } }', { names: ['ok', 'n\u0000'] }, 'admin', 'filter.workflowNames[1]'],
  ] as const)('refuses a NUL character in %s with BAD_USER_INPUT naming the argument', async (_name, query, variables, caller, argument) => {
    const { status, body } = await server.query(query, variables, caller === null ? null : server.adminToken);

    expect(status).toBe(400);
    expect(body.errors?.[0]).toMatchObject({ message: expect.stringContaining('NUL character'), extensions: { code: 'BAD_USER_INPUT', argument } });
  });

  it('refuses a workflow whose description holds a NUL character, and stores nothing', async () => {
    const yaml = 'name: nul-description\ndescription: "before\\0after"\nsteps:\n  - name: a\n    command: "true"\n';
    const withNul = yaml.replace('\\0', '\u0000');

    const { status, body } = await server.query('mutation ($p: ID!, $y: String!) { saveWorkflow(projectId: $p, yaml: $y) { id } }', { p: projectId, y: withNul });
    const stored = await server.query<{ workflows: { edges: { node: { name: string } }[] } }>('{ workflows { edges { node { name } } } }');

    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'saveWorkflow', argument: 'yaml' });
    expect(stored.body.data?.workflows.edges.map((edge) => edge.node.name)).not.toContain('nul-description');
  });
});
