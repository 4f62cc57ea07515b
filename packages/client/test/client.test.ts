import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../../../src/test/test-server.ts';
import { TEST_ACCESS, TEST_HISTORY } from '../../../src/test/compose.ts';
import {
  BadUserInputError,
  ClientOptionsError,
  createClient,
  NotFoundError,
  RateLimitedError,
  SnapshotExpiredError,
  UnauthenticatedError,
  type ResyncError,
  type RuntrailClient,
} from '../src/index.ts';
import { nonZero, present, savedWorkflow, takeUntil, triggered } from './fixtures.ts';

function clientOf(server: TestServer, token = server.adminToken): RuntrailClient {
  return createClient({ url: server.url, token, webSocketImpl: WebSocket });
}

describe('@runtrail/client against a real server', () => {
  let server: TestServer;
  let client: RuntrailClient;
  let writer: RuntrailClient;
  let startSeq: string;

  beforeAll(async () => {
    // A replay of at most 5 events: a feed resumed from further back gets RESYNC.
    server = await startTestServer('sqlite', { config: { executes: false, history: { ...TEST_HISTORY, replayMaxEvents: 5 } } });
    client = clientOf(server);
    writer = clientOf(server);
    startSeq = await client.headSnapshot();
  });
  afterAll(async () => {
    await client.dispose();
    await writer.dispose();
    await server.stop();
  });

  it('pages through every queued run exactly once, at the first page’s snapshot, while another writer cancels and triggers runs', async () => {
    const { workflowId } = await savedWorkflow(writer, 'paged');
    const queued = await triggered(writer, workflowId, 23);
    const pages = client.runs({ workflowIds: [workflowId], statuses: ['QUEUED'] }, { pageSize: 5 });

    const seen: string[] = [];
    for await (const run of pages) {
      if (seen.length === 0) {
        // The ten oldest are on later pages: cancelled now, they still show as queued at the snapshot.
        for (const id of queued.slice(0, 10)) await writer.cancelRun({ id });
        await triggered(writer, workflowId, 3);
      }
      expect(run.status).toBe('QUEUED');
      seen.push(run.id);
    }

    expect(seen).toEqual([...queued].reverse());
    expect(await pages.summary()).toEqual(expect.objectContaining({ totalCount: 23, statusCounts: [{ status: 'QUEUED', count: 23 }] }));
    const now = client.runs({ workflowIds: [workflowId], statuses: ['QUEUED'] }, { pageSize: 500 });
    expect((await now.summary()).totalCount).toBe(16);
    expect(await takeUntil(now, () => false)).toHaveLength(16);
  });

  it('follows run events from a seq too far back by calling the RESYNC handler and going on from the seq it answers', async () => {
    const { workflowId } = await savedWorkflow(writer, 'followed');
    const resyncs: ResyncError[] = [];
    let resynced: () => void = () => undefined;
    const handled = new Promise<void>((resolve) => (resynced = resolve));
    const events = client.runEvents({
      filter: { workflowIds: [workflowId] },
      afterSeq: startSeq,
      onResync: async (error) => {
        resyncs.push(error);
        // A caller refetches what it shows here, then follows on from that answer's snapshot.
        const { snapshot } = await client.runs({ workflowIds: [workflowId] }).summary();
        resynced();
        return snapshot;
      },
    });
    const iterator = events[Symbol.asyncIterator]();
    const first = iterator.next();
    await handled;
    const [later] = await triggered(writer, workflowId, 1);
    const event = (await first).value;
    await iterator.return?.();

    expect(resyncs.map((error) => error.code)).toEqual(['RESYNC']);
    expect(event).toEqual(expect.objectContaining({ kind: 'RUN', to: 'QUEUED', run: expect.objectContaining({ id: later }) }));
  });

  it('pushes status counts at once and again when a run of the filter changes', async () => {
    const { workflowId } = await savedWorkflow(writer, 'counted');
    const [runId] = await triggered(writer, workflowId, 2);
    const counts = client.statusCounts({ filter: { workflowIds: [workflowId] } })[Symbol.asyncIterator]();

    const initial = present((await counts.next()).value, 'the first counts');
    await writer.cancelRun({ id: present(runId, 'a run') });
    const changed = present((await counts.next()).value, 'the counts after the change');
    await counts.return?.();

    expect(nonZero(initial.byStatus)).toEqual({ QUEUED: 2 });
    expect(nonZero(changed.byStatus)).toEqual({ QUEUED: 1, ABORTED: 1 });
    expect(BigInt(changed.snapshot)).toBeGreaterThan(BigInt(initial.snapshot));
  });

  it('runs the workflow and run mutations as typed methods', async () => {
    const { workflowId } = await savedWorkflow(writer, 'mutated');
    const disabled = await client.setWorkflowEnabled({ id: workflowId, enabled: false });
    const enabled = await client.setWorkflowEnabled({ id: workflowId, enabled: true });
    const run = await client.triggerRun({ workflowId, params: { REGION: 'eu' } });
    const cancelled = await client.cancelRun({ id: run.id });
    const retried = await client.retryRun({ id: run.id });

    expect([disabled.enabled, enabled.enabled]).toEqual([false, true]);
    expect(run).toEqual(expect.objectContaining({ status: 'QUEUED', params: { REGION: 'eu' }, workflow: { id: workflowId, name: 'mutated' } }));
    expect(cancelled.status).toBe('ABORTED');
    expect(retried.retryOf?.id).toBe(run.id);
    expect(await client.deleteWorkflow({ id: workflowId })).toBe(true);
  });

  it('hands DateTime values over as Dates with dates: "date", in answers and in live events, and as ISO strings by default', async () => {
    const { workflowId } = await savedWorkflow(writer, 'dated');
    const dating = createClient({ url: server.url, token: server.adminToken, webSocketImpl: WebSocket, dates: 'date' });
    const events = dating.runEvents({ filter: { workflowIds: [workflowId] }, afterSeq: await dating.headSnapshot() })[Symbol.asyncIterator]();
    const next = events.next();
    const triggeredRun = await dating.triggerRun({ workflowId });
    const event = present((await next).value, 'an event');
    await events.return?.();
    const [paged] = await takeUntil(dating.runs({ workflowIds: [workflowId] }), () => true);
    const plain = present(await client.run(triggeredRun.id), 'the run');
    await dating.dispose();

    const createdAt: Date = triggeredRun.createdAt;
    const at: Date = event.at;
    expect(createdAt).toBeInstanceOf(Date);
    expect(at).toBeInstanceOf(Date);
    expect(present(paged, 'a run').createdAt).toEqual(createdAt);
    expect(plain.createdAt).toBe(createdAt.toISOString());
  });

  it('throws NotFoundError for a run that does not exist', async () => {
    await expect(client.cancelRun({ id: 'run_missing' })).rejects.toThrow(NotFoundError);
  });

  it('throws BadUserInputError when a feed asks for events after a seq ahead of the newest, instead of reconnecting', async () => {
    const ahead = (BigInt(await client.headSnapshot()) + 1000n).toString();
    await expect(takeUntil(client.runEvents({ afterSeq: ahead }), () => true)).rejects.toThrow(BadUserInputError);
  });

  it('explains a wrong token on HTTP and on the WebSocket, and does not reconnect with it', async () => {
    const stranger = clientOf(server, 'rt_not-a-token');
    const http = stranger.viewer();
    const live = takeUntil(stranger.runEvents(), () => true);

    await expect(http).rejects.toThrow(UnauthenticatedError);
    await expect(http).rejects.toThrow(/refused the token for ClientViewer: The token or session is unknown, revoked or expired/);
    await expect(live).rejects.toThrow(/closed the WebSocket for ClientRunEvents: the token is missing, unknown, revoked or expired/);
    await stranger.dispose();
  });

  it('authenticates with a session cookie on HTTP and on the WebSocket', async () => {
    const password = 'a-long-enough-password';
    await writer.request('mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }', { input: { username: 'cookie-user', password, isAdmin: true } });
    const login = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation ($p: String!) { login(username: "cookie-user", password: $p) { expiresAt } }', variables: { p: password } }),
    });
    const session = present(/runtrail_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1], 'a session cookie');
    const signedIn = createClient({ url: server.url, cookie: session, webSocketImpl: WebSocket });

    const viewer = await signedIn.viewer();
    const [counts] = await takeUntil(signedIn.statusCounts(), () => true);
    await signedIn.dispose();

    expect(viewer.username).toBe('cookie-user');
    expect(counts?.snapshot).toMatch(/^[0-9]+$/);
  });

  it('refuses to create a client without a usable token, saying what to pass', () => {
    expect(() => createClient({ url: server.url, token: '' })).toThrow(ClientOptionsError);
    expect(() => createClient({ url: server.url, token: '' })).toThrow(/no token. Pass \{ token \} with an API token/);
    expect(() => createClient({ url: server.url, token: `Bearer ${server.adminToken}` })).toThrow(/without the "Bearer " prefix/);
    expect(() => createClient({ url: 'localhost:4000', token: server.adminToken })).toThrow(/must start with http:\/\/ or https:\/\//);
  });
});

describe('@runtrail/client on a server with a short snapshot horizon', () => {
  let server: TestServer;
  let client: RuntrailClient;

  beforeAll(async () => {
    server = await startTestServer('sqlite', { config: { executes: false, history: { ...TEST_HISTORY, snapshotHorizonMs: 1 } } });
    client = clientOf(server);
  });
  afterAll(async () => {
    await client.dispose();
    await server.stop();
  });

  it('throws SnapshotExpiredError when paging goes on after the snapshot was superseded longer ago than the horizon', async () => {
    const { workflowId } = await savedWorkflow(client, 'expiring');
    const [oldest] = await triggered(client, workflowId, 3);
    const pages = client.runs({ workflowIds: [workflowId] }, { pageSize: 1 })[Symbol.asyncIterator]();
    await pages.next();
    await client.cancelRun({ id: present(oldest, 'a run') });
    await new Promise((resolve) => setTimeout(resolve, 20));

    await expect(pages.next()).rejects.toThrow(SnapshotExpiredError);
  });
});

describe('@runtrail/client on a server with a request rate per token', () => {
  let server: TestServer;
  let client: RuntrailClient;

  beforeAll(async () => {
    server = await startTestServer('sqlite', { config: { executes: false, access: { ...TEST_ACCESS, requestsPerTokenPerMinute: 2 } } });
    client = clientOf(server);
  });
  afterAll(async () => {
    await client.dispose();
    await server.stop();
  });

  it('throws RateLimitedError with the seconds to wait once the token’s rate is used up', async () => {
    await client.headSnapshot();
    await client.headSnapshot();
    const refused = client.headSnapshot();

    await expect(refused).rejects.toThrow(RateLimitedError);
    await expect(refused).rejects.toEqual(expect.objectContaining({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) }));
  });
});
