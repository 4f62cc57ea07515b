import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createProjectWithWorkflow } from '../test/factories.ts';
import { startTestServer, type TestServer } from '../test/test-server.ts';

interface EventPayload {
  runEvents: { seq: string; kind: string; from: string | null; to: string; run: { id: string; status: string } };
}

/** Subscribes and resolves with the first `count` results (or the error / close that ends it). */
function collect<T>(client: Client, query: string, count: number, variables?: Record<string, unknown>) {
  const results: { data?: T; errors?: readonly { message: string; extensions?: Record<string, unknown> }[] }[] = [];
  let stop = () => {};
  const done = new Promise<typeof results>((resolve, reject) => {
    stop = client.subscribe<T>(
      { query, variables },
      {
        next: (value) => {
          results.push(value as (typeof results)[number]);
          if (results.length === count) resolve(results);
        },
        error: (error) => (Array.isArray(error) ? resolve([{ errors: error }]) : reject(error)),
        complete: () => resolve(results),
      },
    );
  });
  return { done, stop: () => stop() };
}

function waitForSubscribed(client: Client): Promise<void> {
  return new Promise((resolve) => client.on('connected', () => setTimeout(resolve, 50)));
}

describe('GraphQL over WebSocket', () => {
  let server: TestServer;

  beforeAll(async () => {
    // The runs here are written by hand; an engine would claim (and settle) the ones left QUEUED.
    server = await startTestServer('sqlite', { config: { executes: false } });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('streams the events recorded by recordTransition, in seq order, with their run', async () => {
    const { services } = server.app;
    const { project, workflow } = await createProjectWithWorkflow(services, ['a']);
    const client = server.wsClient();
    const subscription = collect<EventPayload>(client, 'subscription { runEvents { seq kind from to run { id status } } }', 3);
    await waitForSubscribed(client);

    const run = await services.recorder.createRun({ projectId: project.id, workflowId: workflow.id, trigger: 'MANUAL', steps: ['a'] });
    await services.recorder.recordTransition({ runId: run.id, to: 'RUNNING' });
    await services.recorder.recordTransition({ runId: run.id, to: 'SUCCEEDED' });
    const results = await subscription.done;
    subscription.stop();

    const events = results.map((result) => result.data?.runEvents);
    expect(events.map((event) => [event?.from, event?.to, event?.run.id])).toEqual([
      [null, 'QUEUED', run.id],
      ['QUEUED', 'RUNNING', run.id],
      ['RUNNING', 'SUCCEEDED', run.id],
    ]);
    const seqs = events.map((event) => BigInt(event?.seq ?? '0'));
    expect(seqs[1]).toBe((seqs[0] ?? 0n) + 1n);
    expect(seqs[2]).toBe((seqs[1] ?? 0n) + 1n);
  });

  it('keeps only the events of the filtered statuses', async () => {
    const { services } = server.app;
    const { project, workflow } = await createProjectWithWorkflow(services, ['a']);
    const client = server.wsClient();
    const subscription = collect<EventPayload>(client, 'subscription ($filter: RunFilter) { runEvents(filter: $filter) { to run { id } } }', 1, {
      filter: { statuses: ['FAILED'], projectIds: [project.id] },
    });
    await waitForSubscribed(client);

    const run = await services.recorder.createRun({ projectId: project.id, workflowId: workflow.id, trigger: 'MANUAL', steps: ['a'] });
    await services.recorder.recordTransition({ runId: run.id, to: 'RUNNING' });
    await services.recorder.recordTransition({ runId: run.id, to: 'FAILED' });
    const results = await subscription.done;
    subscription.stop();

    expect(results.map((result) => result.data)).toEqual([{ runEvents: { to: 'FAILED', run: { id: run.id } } }]);
  });

  it('sends each next message as a text frame holding the JSON of the protocol, non-ASCII text included', async () => {
    const { services } = server.app;
    const { project, workflow } = await createProjectWithWorkflow(services, ['a']);
    const socket = new WebSocket(server.wsUrl, 'graphql-transport-ws');
    const frames: { text: string; binary: boolean }[] = [];
    const acknowledged = new Promise<void>((resolve) => {
      socket.on('message', (data, isBinary) => {
        const text = String(data);
        if (text.includes('"connection_ack"')) resolve();
        else frames.push({ text, binary: isBinary });
      });
    });
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${server.adminToken}` } }));
    await acknowledged;
    const run = await services.recorder.createRun({ projectId: project.id, workflowId: workflow.id, trigger: 'MANUAL', steps: ['a'] });
    // From just before the run's first event: it comes from the log, the next one live or from the log, whichever is first.
    const afterSeq = String(BigInt(run.lastSeq) - 1n);
    socket.send(JSON.stringify({ id: 'sub-é', type: 'subscribe', payload: { query: 'subscription ($afterSeq: String) { runEvents(afterSeq: $afterSeq) { to message } }', variables: { afterSeq } } }));
    await services.recorder.recordTransition({ runId: run.id, to: 'RUNNING', message: 'naïve ✓ 日本 🚀' });
    while (frames.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    socket.close();

    expect(frames).toEqual([
      { text: '{"id":"sub-é","type":"next","payload":{"data":{"runEvents":{"to":"QUEUED","message":"Run created"}}}}', binary: false },
      { text: '{"id":"sub-é","type":"next","payload":{"data":{"runEvents":{"to":"RUNNING","message":"naïve ✓ 日本 🚀"}}}}', binary: false },
    ]);
  });

  it.each([
    ['no connectionParams', null],
    ['a wrong token', 'rt_wrong'],
  ])('closes a connection with %s using code 4401', async (_case, token) => {
    const closed = new Promise<number>((resolve) => {
      const client = server.wsClient(token, { on: { closed: (event) => resolve((event as { code: number }).code) } });
      collect(client, 'subscription { runEvents { seq } }', 1).done.catch(() => undefined);
    });

    expect(await closed).toBe(4401);
  });
});
