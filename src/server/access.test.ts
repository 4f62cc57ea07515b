import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { commandLinePrincipal } from '../auth/principal.ts';
import type { Services } from '../composition.ts';
import type { AppConfig } from '../config.ts';
import type { Role } from '../domain/vocabulary.ts';
import { TEST_ACCESS } from '../test/compose.ts';
import { PROVIDERS } from '../test/database-suite.ts';
import { startTestServer, type TestServer } from '../test/test-server.ts';

const PASSWORD = 'a long enough secret';
const cli = commandLinePrincipal();
const unique = () => randomBytes(4).toString('hex');

async function newProject(services: Services) {
  const project = await services.access.createProject(cli, { slug: `p-${unique()}` });
  const workflow = await services.workflows.save(cli, project.id, 'name: build\nsteps:\n  - name: build\n    command: "true"\n');
  return { project, workflow };
}

async function newMember(services: Services, projectId: string | null, role: Role) {
  const user = await services.access.createUser(cli, { username: `u-${unique()}`, password: PASSWORD });
  if (projectId) await services.access.addMember(cli, { projectId, username: user.username, role });
  const { secret } = await services.access.createToken(cli, user.id, { name: 'test' });
  return { user, token: secret };
}

function cookieOf(response: Response): string {
  return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

async function post(server: TestServer, body: unknown, headers: Record<string, string>): Promise<Response> {
  return fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** A project token that `creatorToken`'s user creates over HTTP; its secret. */
async function projectToken(server: TestServer, creatorToken: string, projectId: string, role: Role): Promise<string> {
  const created = await server.query<{ createToken: { secret: string } }>(
    'mutation ($p: ID!, $r: Role!) { createToken(input: { name: "robot", projectId: $p, role: $r }) { secret } }',
    { p: projectId, r: role },
    creatorToken,
  );
  const secret = created.body.data?.createToken.secret;
  if (!secret) throw new Error(`createToken failed: ${JSON.stringify(created.body.errors)}`);
  return secret;
}

/** Resolves with the close code once the server closes the socket. */
function closedWith(server: TestServer, token: string, query: string): { closed: Promise<number>; first: Promise<unknown> } {
  let onClosed: (code: number) => void = () => {};
  const closed = new Promise<number>((resolve) => (onClosed = resolve));
  const client = server.wsClient(token, { on: { closed: (event) => onClosed((event as { code: number }).code) } });
  const first = new Promise((resolve) => client.subscribe({ query }, { next: resolve, error: resolve, complete: () => {} }));
  return { closed, first };
}

/** One API-only server per describe block, without an engine: runs stay where the tests put them. */
function useServer(config: Partial<AppConfig>): () => { server: TestServer; services: Services } {
  let server: TestServer | null = null;
  beforeAll(async () => {
    server = await startTestServer('sqlite', { config: { executes: false, ...config } });
  });
  afterAll(() => server?.stop());
  return () => {
    if (!server) throw new Error('The server has not started');
    return { server, services: server.app.services };
  };
}

async function sessionCookie(server: TestServer, username: string): Promise<{ response: Response; cookie: string }> {
  const response = await post(server, { query: 'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { viewer { username } expiresAt } }', variables: { u: username, p: PASSWORD } }, {});
  return { response, cookie: cookieOf(response) };
}

describe('signing in and out with the session cookie', () => {
  const started = useServer({});
  let server: TestServer;
  let services: Services;
  beforeAll(() => ({ server, services } = started()));

  it('sets an httpOnly SameSite=Lax cookie that authenticates, until logout ends the session', async () => {
    const { user } = await newMember(services, null, 'VIEWER');

    const { response: signedIn, cookie } = await sessionCookie(server, user.username);
    const viewer = await (await post(server, { query: '{ viewer { username } }' }, { cookie })).json();
    const signedOut = await post(server, { query: 'mutation { logout }' }, { cookie });
    const afterLogout = await post(server, { query: '{ viewer { username } }' }, { cookie });
    const staleCookieSignsIn = await post(server, { query: 'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { expiresAt } }', variables: { u: user.username, p: PASSWORD } }, { cookie });

    expect(await signedIn.json()).toMatchObject({ data: { login: { viewer: { username: user.username } } } });
    expect(signedIn.headers.get('set-cookie')).toMatch(/^runtrail_session=[^;]+; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
    expect(viewer).toEqual({ data: { viewer: { username: user.username } } });
    expect(await signedOut.json()).toEqual({ data: { logout: true } });
    expect(signedOut.headers.get('set-cookie')).toMatch(/^runtrail_session=; Path=\/; Expires=Thu, 01 Jan 1970/);
    expect(afterLogout.status).toBe(401);
    expect((await afterLogout.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(afterLogout.headers.get('set-cookie')).toMatch(/^runtrail_session=; /);
    expect(staleCookieSignsIn.status).toBe(200);
    expect(cookieOf(staleCookieSignsIn)).toMatch(/^runtrail_session=rt_/);
  });

  it('refuses a wrong password or an unknown user alike, and lets nothing but login through without credentials', async () => {
    const { user } = await newMember(services, null, 'VIEWER');
    const attempt = (username: string, password: string) =>
      post(server, { query: 'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { expiresAt } }', variables: { u: username, p: password } }, {});

    const wrong = await (await attempt(user.username, 'not the password')).json();
    const unknown = await (await attempt('nobody-here', PASSWORD)).json();
    const anonymousQuery = await post(server, { query: '{ projects { id } }' }, {});
    const smuggled = await post(server, { query: 'mutation ($p: String!) { login(username: "x", password: $p) { expiresAt } ...Sneaky } fragment Sneaky on Mutation { logout }', variables: { p: PASSWORD } }, {});

    expect(wrong.errors[0]).toMatchObject({ message: 'Wrong username or password', extensions: { code: 'UNAUTHENTICATED' } });
    expect(unknown.errors[0]).toMatchObject({ message: 'Wrong username or password', extensions: { code: 'UNAUTHENTICATED' } });
    expect(anonymousQuery.status).toBe(401);
    expect(smuggled.status).toBe(401);
  });

  it('keeps CSRF prevention on: a cookie-carrying request a cross-site form could send is refused', async () => {
    const { user } = await newMember(services, null, 'OPERATOR');
    const { cookie } = await sessionCookie(server, user.username);

    const simplePost = await fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'text/plain', cookie }, body: JSON.stringify({ query: 'mutation { logout }' }) });
    const simpleGet = await fetch(`${server.graphqlUrl}?query=${encodeURIComponent('{ viewer { username } }')}`, { headers: { cookie } });

    expect(simplePost.status).toBe(400);
    expect(simpleGet.status).toBe(400);
    expect(await simpleGet.text()).toContain('CSRF');
  });

  it('accepts the cookie on a WebSocket from our own origin only', async () => {
    const { user } = await newMember(services, null, 'VIEWER');
    const { cookie } = await sessionCookie(server, user.username);
    const handshake = (origin: string) =>
      new Promise<string>((resolve) => {
        const socket = new WebSocket(server.wsUrl, 'graphql-transport-ws', { headers: { cookie, origin } });
        socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
        socket.on('message', (data) => {
          resolve(JSON.parse(String(data)).type);
          socket.close();
        });
        socket.on('close', (code) => resolve(`closed ${code}`));
      });

    expect(await handshake(server.url)).toBe('connection_ack');
    expect(await handshake('https://evil.example')).toBe('closed 4401');
  });
});

describe('rate limits', () => {
  const started = useServer({ access: { ...TEST_ACCESS, loginsPerAddressPerMinute: 3, requestsPerTokenPerMinute: 5 } });
  let server: TestServer;
  let services: Services;
  beforeAll(() => ({ server, services } = started()));

  it('answers the login after the limit with RATE_LIMITED, 429 and Retry-After, even with the right password', async () => {
    const { user } = await newMember(services, null, 'VIEWER');
    const attempt = (password: string) =>
      post(server, { query: 'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { expiresAt } }', variables: { u: user.username, p: password } }, {});
    for (const password of ['wrong one', 'wrong two', 'wrong three']) await attempt(password);

    const limited = await attempt(PASSWORD);
    const body = await limited.json();

    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: Number(limited.headers.get('retry-after')) });
  });

  it('limits requests per token, leaving other tokens alone', async () => {
    const first = await newMember(services, null, 'VIEWER');
    const second = await newMember(services, null, 'VIEWER');
    const statuses: number[] = [];
    for (let request = 0; request < 6; request += 1) statuses.push((await server.query('{ viewer { username } }', {}, first.token)).status);
    const limited = await server.query('{ viewer { username } }', {}, first.token);
    const other = await server.query('{ viewer { username } }', {}, second.token);

    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(limited.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(other.status).toBe(200);
  });
});

describe('tokens and memberships take effect at once', () => {
  // A recheck far away: closing within the test proves it happens when the change is made.
  const started = useServer({ tokenRecheckMs: 600_000 });
  let server: TestServer;
  let services: Services;
  beforeAll(() => ({ server, services } = started()));

  it('closes an open WebSocket with 4403 the moment its token is revoked', async () => {
    const { project } = await newProject(services);
    const member = await newMember(services, project.id, 'VIEWER');
    const tokens = await server.query<{ tokens: { id: string }[] }>('{ tokens { id } }', {}, member.token);
    const socket = closedWith(server, member.token, 'subscription { statusCounts { total } }');
    await socket.first;

    const revoked = await server.query('mutation ($id: ID!) { revokeToken(id: $id) { revokedAt } }', { id: tokens.body.data?.tokens[0]?.id }, member.token);

    expect(revoked.body.errors).toBeUndefined();
    expect(await socket.closed).toBe(4403);
    expect((await server.query('{ viewer { username } }', {}, member.token)).status).toBe(401);
  });

  it('closes an open WebSocket when its token expires, and refuses the token on HTTP from then on', async () => {
    const { user } = await newMember(services, null, 'VIEWER');
    const { secret } = await services.access.createToken(cli, user.id, { name: 'short', expiresAt: new Date(Date.now() + 400) });
    const socket = closedWith(server, secret, 'subscription { statusCounts { total } }');
    await socket.first;

    expect(await socket.closed).toBe(4403);
    expect((await server.query('{ viewer { username } }', {}, secret)).status).toBe(401);
  });

  it('closes the WebSocket of a member removed from a project they were streaming', async () => {
    const { project } = await newProject(services);
    const admin = await newMember(services, project.id, 'ADMIN');
    const member = await newMember(services, project.id, 'VIEWER');
    const socket = closedWith(server, member.token, 'subscription { statusCounts { total } }');
    await socket.first;

    await server.query('mutation ($p: ID!, $u: String!) { removeMember(projectId: $p, username: $u) }', { p: project.id, u: member.user.username }, admin.token);

    expect(await socket.closed).toBe(4403);
  });

  it('takes every right from a project token whose creator was removed from the project: it cannot re-add its creator', async () => {
    const { project } = await newProject(services);
    const creator = await newMember(services, project.id, 'ADMIN');
    const other = await newMember(services, project.id, 'ADMIN');
    const robot = await projectToken(server, creator.token, project.id, 'ADMIN');
    const socket = closedWith(server, robot, 'subscription { statusCounts { total } }');
    await socket.first;

    await server.query('mutation ($p: ID!, $u: String!) { removeMember(projectId: $p, username: $u) }', { p: project.id, u: creator.user.username }, other.token);
    const readdCreator = await server.query('mutation ($p: ID!, $u: String!) { addMember(projectId: $p, username: $u, role: ADMIN) { role } }', { p: project.id, u: creator.user.username }, robot);
    const members = await services.access.members(cli, project.id);
    const projects = await server.query<{ projects: { id: string }[] }>('{ projects { id } }', {}, robot);

    expect(await socket.closed).toBe(4403);
    expect(readdCreator.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(members.map((member) => member.user.username)).toEqual([other.user.username]);
    expect(projects.body.data?.projects).toEqual([]);
  });

  it('lowers a project token to its creator’s new role when the creator is demoted, on HTTP and on open sockets', async () => {
    const { project, workflow } = await newProject(services);
    const creator = await newMember(services, project.id, 'ADMIN');
    const other = await newMember(services, project.id, 'ADMIN');
    const robot = await projectToken(server, creator.token, project.id, 'ADMIN');
    const socket = closedWith(server, robot, 'subscription { statusCounts { total } }');
    await socket.first;

    await server.query('mutation ($p: ID!, $u: String!) { setMemberRole(projectId: $p, username: $u, role: OPERATOR) { role } }', { p: project.id, u: creator.user.username }, other.token);
    const administer = await server.query('mutation ($id: ID!) { setWorkflowEnabled(id: $id, enabled: false) { id } }', { id: workflow.id }, robot);
    const operate = await server.query('mutation ($w: ID!) { triggerRun(workflowId: $w) { id } }', { w: workflow.id }, robot);

    expect(await socket.closed).toBe(4403);
    expect(administer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(operate.body.errors).toBeUndefined();
  });

  it('keeps the last ADMIN of a project', async () => {
    const { project } = await newProject(services);
    const admin = await newMember(services, project.id, 'ADMIN');

    const removed = await server.query('mutation ($p: ID!, $u: String!) { removeMember(projectId: $p, username: $u) }', { p: project.id, u: admin.user.username }, admin.token);
    const demoted = await server.query('mutation ($p: ID!, $u: String!) { setMemberRole(projectId: $p, username: $u, role: VIEWER) { role } }', { p: project.id, u: admin.user.username }, admin.token);

    expect(removed.body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT' });
    expect(demoted.body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT' });
  });

  it('records when a token was last used', async () => {
    const { token } = await newMember(services, null, 'VIEWER');
    await server.query('{ viewer { username } }', {}, token);

    const listed = await server.query<{ tokens: { lastUsedAt: string | null }[] }>('{ tokens { lastUsedAt } }', {}, token);

    expect(listed.body.data?.tokens[0]?.lastUsedAt).toEqual(expect.any(String));
  });
});

describe('what callers see and what history says they did', () => {
  const started = useServer({});
  let server: TestServer;
  let services: Services;
  beforeAll(() => ({ server, services } = started()));

  it('lists and counts only the projects a caller may read', async () => {
    const mine = await newProject(services);
    const theirs = await newProject(services);
    for (const { workflow } of [mine, theirs, theirs]) await services.control.triggerRun(cli, workflow.id, {});
    const { token } = await newMember(services, mine.project.id, 'VIEWER');

    const answer = await server.query<{ projects: { id: string }[]; runs: { totalCount: number }; runStatusCounts: { total: number }; workflows: { edges: unknown[] } }>(
      '{ projects { id } runs { totalCount } runStatusCounts { total } workflows { edges { node { id } } } }',
      {},
      token,
    );

    expect(answer.body.data).toEqual({ projects: [{ id: mine.project.id }], runs: { totalCount: 1 }, runStatusCounts: { total: 1 }, workflows: { edges: [{ node: { id: mine.workflow.id } }] } });
  });

  it('records who cancelled and who triggered a run in its events', async () => {
    const { project, workflow } = await newProject(services);
    const operator = await newMember(services, project.id, 'OPERATOR');

    const triggered = await server.query<{ triggerRun: { id: string } }>('mutation ($w: ID!) { triggerRun(workflowId: $w) { id } }', { w: workflow.id }, operator.token);
    const runId = triggered.body.data?.triggerRun.id;
    const cancelled = await server.query<{ cancelRun: { events: { kind: string; to: string; actor: string | null }[] } }>(
      'mutation ($id: ID!) { cancelRun(id: $id) { events { kind to actor } } }',
      { id: runId },
      operator.token,
    );

    expect(cancelled.body.data?.cancelRun.events.filter((event) => event.kind === 'RUN')).toEqual([
      { kind: 'RUN', to: 'QUEUED', actor: operator.user.username },
      { kind: 'RUN', to: 'ABORTED', actor: operator.user.username },
    ]);
  });

  it('lets a project token act in its project only, with its own role, and never beyond', async () => {
    const home = await newProject(services);
    const other = await newProject(services);
    const admin = await newMember(services, home.project.id, 'ADMIN');
    await services.access.addMember(cli, { projectId: other.project.id, username: admin.user.username, role: 'ADMIN' });
    const created = await server.query<{ createToken: { secret: string; token: { role: string } } }>(
      'mutation ($p: ID!) { createToken(input: { name: "deployer", projectId: $p, role: OPERATOR }) { secret token { role } } }',
      { p: home.project.id },
      admin.token,
    );
    const robot = created.body.data?.createToken.secret ?? '';

    const triggered = await server.query<{ triggerRun: { events: { actor: string | null }[] } }>('mutation ($w: ID!) { triggerRun(workflowId: $w) { events { actor } } }', { w: home.workflow.id }, robot);
    const elsewhere = await server.query('mutation ($w: ID!) { triggerRun(workflowId: $w) { id } }', { w: other.workflow.id }, robot);
    const administer = await server.query('mutation ($id: ID!) { setWorkflowEnabled(id: $id, enabled: false) { id } }', { id: home.workflow.id }, robot);
    const escape = await server.query('mutation { createToken(input: { name: "mine" }) { secret } }', {}, robot);
    const peek = await server.query('{ tokens { id } }', {}, robot);
    const projects = await server.query<{ projects: { id: string }[] }>('{ projects { id } }', {}, robot);

    expect(created.body.data?.createToken.token.role).toBe('OPERATOR');
    expect(triggered.body.data?.triggerRun.events[0]?.actor).toBe(`${admin.user.username} via token "deployer"`);
    expect(elsewhere.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(administer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(escape.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(peek.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(projects.body.data?.projects).toEqual([{ id: home.project.id }]);
  });

  it('shows a token’s secret once and stores only its hash', async () => {
    const { token } = await newMember(services, null, 'VIEWER');

    const created = await server.query<{ createToken: { secret: string; token: { id: string } } }>('mutation { createToken(input: { name: "laptop" }) { secret token { id } } }', {}, token);
    const listed = await server.query<{ tokens: Record<string, unknown>[] }>('{ tokens { id name revokedAt } }', {}, token);
    const stored = await server.database.db.apiToken.findUnique({ where: { id: created.body.data?.createToken.token.id ?? '' } });

    expect(created.body.data?.createToken.secret).toMatch(/^rt_/);
    expect(listed.body.data?.tokens).toContainEqual({ id: created.body.data?.createToken.token.id, name: 'laptop', revokedAt: null });
    expect(JSON.stringify(stored)).not.toContain(created.body.data?.createToken.secret);
  });
});

describe.each(PROVIDERS)('two ADMINs demoting or removing each other at the same moment (%s)', (provider) => {
  let server: TestServer;
  let services: Services;
  beforeAll(async () => {
    server = await startTestServer(provider, { config: { executes: false } });
    services = server.app.services;
  });
  afterAll(() => server.stop());

  // The loser is refused with CONFLICT (the other was the last ADMIN by then), or FORBIDDEN when
  // its request was authenticated after it had lost the ADMIN role already.
  it('leaves every project an ADMIN: one of each pair wins, the other is refused', async () => {
    const pairs = await Promise.all(
      Array.from({ length: 15 }, async (_, index) => {
        const { project } = await newProject(services);
        const [first, second] = [await newMember(services, project.id, 'ADMIN'), await newMember(services, project.id, 'ADMIN')];
        return { project, first, second, removes: index % 2 === 0 };
      }),
    );
    const change = (projectId: string, target: string, removes: boolean, token: string) =>
      removes
        ? server.query('mutation ($p: ID!, $u: String!) { removeMember(projectId: $p, username: $u) }', { p: projectId, u: target }, token)
        : server.query('mutation ($p: ID!, $u: String!) { setMemberRole(projectId: $p, username: $u, role: VIEWER) { role } }', { p: projectId, u: target }, token);

    const answers = await Promise.all(
      pairs.flatMap(({ project, first, second, removes }) => [
        change(project.id, second.user.username, removes, first.token),
        change(project.id, first.user.username, removes, second.token),
      ]),
    );
    const admins = await Promise.all(pairs.map(async ({ project }) => (await services.access.members(cli, project.id)).filter((member) => member.role === 'ADMIN').length));

    expect(admins).toEqual(pairs.map(() => 1));
    for (let index = 0; index < pairs.length; index += 1) {
      const codes = [answers[2 * index], answers[2 * index + 1]].map((answer) => answer?.body.errors?.[0]?.extensions?.code ?? 'OK');
      expect(codes.filter((code) => code === 'OK')).toHaveLength(1);
      expect(codes.filter((code) => code !== 'OK')).toEqual([expect.stringMatching(/^(CONFLICT|FORBIDDEN)$/)]);
    }
  });
});
