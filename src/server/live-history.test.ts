import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import { generateTokenSecret, hashTokenSecret } from '../auth/token-secret.ts';
import type { Services } from '../composition.ts';
import { newId } from '../domain/ids.ts';
import { seederFor } from '../test/seeder.ts';
import { TEST_HISTORY } from '../test/compose.ts';
import { PROVIDERS } from '../test/database-suite.ts';
import { createProjectWithWorkflow, createRunByHand } from '../test/factories.ts';
import { ADMIN_PRINCIPAL } from '../test/principals.ts';
import { processClient } from '../test/process-client.ts';
import { residentMemory } from '../test/process-memory.ts';
import { openRawSubscription } from '../test/raw-subscriber.ts';
import { startServerProcess, type ServerProcess } from '../test/server-process.ts';
import { startTestServer, type TestServer } from '../test/test-server.ts';

interface Streamed {
  seq: string;
  to: string;
  run: { id: string };
}

type Result = { data?: { runEvents: Streamed } | null; errors?: readonly { message: string; extensions?: Record<string, unknown> }[] };

/** Subscribes and resolves with results until `done` says so, or the stream ends. */
function stream(client: Client, variables: Record<string, unknown>, done: (results: Result[]) => boolean) {
  const results: Result[] = [];
  let stop = () => {};
  const ended = new Promise<Result[]>((resolve, reject) => {
    stop = client.subscribe(
      { query: 'subscription ($filter: RunFilter, $afterSeq: String) { runEvents(filter: $filter, afterSeq: $afterSeq) { seq to run { id } } }', variables },
      {
        next: (value) => {
          results.push(value as Result);
          if (done(results)) resolve(results);
        },
        error: (error) => (Array.isArray(error) ? resolve([...results, { errors: error }]) : reject(error)),
        complete: () => resolve(results),
      },
    );
  });
  return { ended: ended.finally(() => stop()) };
}

/** A run through QUEUED, RUNNING and an end: three RUN events. */
async function recordRun(services: Services, target: { projectId: string; workflowId: string }, trigger: 'MANUAL' | 'RETRY' = 'MANUAL', end: 'SUCCEEDED' | 'FAILED' = 'SUCCEEDED') {
  const run = await createRunByHand(services, { ...target, trigger, steps: [] });
  await services.recorder.recordTransition({ runId: run.id, to: 'RUNNING' });
  await services.recorder.recordTransition({ runId: run.id, to: end });
  return run;
}

describe.each(PROVIDERS)('live history over graphql-ws (%s)', (provider) => {
  let server: TestServer;
  let services: Services;
  let target: { projectId: string; workflowId: string };

  beforeAll(async () => {
    // The runs here are written by hand; an engine would claim (and settle) the ones left QUEUED.
    server = await startTestServer(provider, { config: { executes: false } });
    services = server.app.services;
    const { project, workflow } = await createProjectWithWorkflow(services, []);
    target = { projectId: project.id, workflowId: workflow.id };
  });
  afterAll(() => server.stop());

  const head = async () => services.history.headSnapshot();

  it('resumes from afterSeq: the events after it from the log, then live ones, none twice and none missing', async () => {
    const before = await head();
    await recordRun(services, target);
    await recordRun(services, target);
    const missed = await head();
    const client = server.wsClient();

    const subscription = stream(client, { afterSeq: before.toString() }, (results) => results.length === 9);
    await recordRun(services, target);
    const results = await subscription.ended;

    expect(results.map((result) => result.data?.runEvents.seq)).toEqual(Array.from({ length: 9 }, (_, index) => (before + 1n + BigInt(index)).toString()));
    expect(BigInt(results[5]?.data?.runEvents.seq ?? '0')).toBe(missed);
  });

  it('streams every event of concurrent writers once, in strictly increasing seq', async () => {
    const start = await head();
    const client = server.wsClient();
    const writers = 4;
    const runsEach = 5;

    const subscription = stream(client, { afterSeq: start.toString() }, (results) => results.length === writers * runsEach * 3);
    await Promise.all(
      Array.from({ length: writers }, async () => {
        for (let index = 0; index < runsEach; index += 1) await recordRun(services, target);
      }),
    );
    const results = await subscription.ended;

    const seqs = results.map((result) => result.data?.runEvents.seq ?? '');
    const stored = await server.database.db.runEvent.findMany({ where: { seq: { gt: start } }, orderBy: { seq: 'asc' }, select: { seq: true } });
    expect(seqs).toEqual(stored.map((event) => event.seq.toString()));
    expect(seqs.every((seq, index) => index === 0 || BigInt(seq) === BigInt(seqs[index - 1] ?? '0') + 1n)).toBe(true);
  });

  it("reads each event's run anew, so a later event of a run shows its later status", async () => {
    const client = server.wsClient();
    const seen: [string, string][] = [];
    let arrived = () => {};
    client.subscribe<{ runEvents: { to: string; run: { status: string } } }>(
      { query: 'subscription ($afterSeq: String) { runEvents(afterSeq: $afterSeq) { to run { status } } }', variables: { afterSeq: (await head()).toString() } },
      {
        next: (value) => {
          if (value.data) seen.push([value.data.runEvents.to, value.data.runEvents.run.status]);
          arrived();
        },
        error: () => {},
        complete: () => {},
      },
    );
    const received = (count: number) =>
      new Promise<void>((resolve) => {
        arrived = () => {
          if (seen.length >= count) resolve();
        };
        arrived();
      });

    const run = await createRunByHand(services, { ...target, trigger: 'MANUAL', steps: [] });
    await received(1);
    await services.recorder.recordTransition({ runId: run.id, to: 'RUNNING' });
    await received(2);
    await services.recorder.recordTransition({ runId: run.id, to: 'SUCCEEDED' });
    await received(3);

    expect(seen).toEqual([
      ['QUEUED', 'QUEUED'],
      ['RUNNING', 'RUNNING'],
      ['SUCCEEDED', 'SUCCEEDED'],
    ]);
  });

  it('keeps only the events the filter selects: statuses, triggers and a run-id search', async () => {
    const start = await head();
    const client = server.wsClient();

    const failedRetries = stream(client, { afterSeq: start.toString(), filter: { statuses: ['FAILED'], triggers: ['RETRY'] } }, (results) => results.length === 1);
    await recordRun(services, target, 'MANUAL', 'FAILED');
    const retry = await recordRun(services, target, 'RETRY', 'FAILED');
    const bySearch = stream(client, { afterSeq: start.toString(), filter: { search: retry.id.toUpperCase() } }, (results) => results.length === 3);

    expect((await failedRetries.ended).map((result) => [result.data?.runEvents.to, result.data?.runEvents.run.id])).toEqual([['FAILED', retry.id]]);
    expect((await bySearch.ended).map((result) => result.data?.runEvents.run.id)).toEqual([retry.id, retry.id, retry.id]);
  });

  it("never sends a VIEWER another project's events", async () => {
    const other = await createProjectWithWorkflow(services, []);
    const user = await services.repositories.users.create({ id: newId('usr'), username: `viewer-${newId('usr').slice(-8)}`, displayName: 'Viewer' });
    await services.repositories.users.addMembership({ userId: user.id, projectId: target.projectId, role: 'VIEWER' });
    const token = generateTokenSecret();
    await services.repositories.tokens.create({ id: newId('tok'), userId: user.id, name: 'test', tokenHash: hashTokenSecret(token) });
    const start = await head();
    const client = server.wsClient(token);

    const subscription = stream(client, { afterSeq: start.toString() }, (results) => results.length === 6);
    await recordRun(services, { projectId: other.project.id, workflowId: other.workflow.id });
    const own = await recordRun(services, target);
    await recordRun(services, { projectId: other.project.id, workflowId: other.workflow.id });
    const mine = await recordRun(services, target);
    const results = await subscription.ended;

    expect(results.map((result) => result.data?.runEvents.run.id)).toEqual([own.id, own.id, own.id, mine.id, mine.id, mine.id]);
  });

  it('pushes statusCounts at once, then after changes of the filtered runs, each with its snapshot', async () => {
    const { project, workflow } = await createProjectWithWorkflow(services, []);
    const client = server.wsClient();
    type Counts = { statusCounts: { total: number; byStatus: { status: string; count: number }[]; snapshot: string } };
    const pushes: Counts['statusCounts'][] = [];
    const succeeded = (counts: Counts['statusCounts']) => counts.byStatus.find((entry) => entry.status === 'SUCCEEDED')?.count;
    const ended = new Promise<void>((resolve, reject) => {
      const stop = client.subscribe<Counts>(
        { query: 'subscription ($filter: RunFilter) { statusCounts(filter: $filter) { total byStatus { status count } snapshot } }', variables: { filter: { projectIds: [project.id] } } },
        {
          next: (value) => {
            if (value.data) pushes.push(value.data.statusCounts);
            if (pushes.length === 1) void recordRun(services, { projectId: project.id, workflowId: workflow.id });
            if (value.data && succeeded(value.data.statusCounts) === 1) {
              stop();
              resolve();
            }
          },
          error: reject,
          complete: () => resolve(),
        },
      );
    });
    await ended;

    expect(pushes[0]).toMatchObject({ total: 0 });
    expect(pushes.at(-1)).toMatchObject({ total: 1, snapshot: (await head()).toString() });
    expect(pushes.map((push) => BigInt(push.snapshot))).toEqual([...pushes.map((push) => BigInt(push.snapshot))].sort((a, b) => (a < b ? -1 : 1)));
  });

  it.each([
    ['revoked', { revokedAt: new Date() }],
    ['expired', { expiresAt: new Date(Date.now() - 1_000) }],
  ])('closes an open subscription with 4403 once its token is %s', async (_case, change) => {
    const user = await services.repositories.users.create({ id: newId('usr'), username: `closing-${newId('usr').slice(-8)}`, displayName: 'Closing' });
    await services.repositories.users.addMembership({ userId: user.id, projectId: target.projectId, role: 'VIEWER' });
    const token = generateTokenSecret();
    const tokenId = newId('tok');
    await services.repositories.tokens.create({ id: tokenId, userId: user.id, name: 'test', tokenHash: hashTokenSecret(token) });
    let onClosed: (code: number) => void = () => {};
    const closed = new Promise<number>((resolve) => {
      onClosed = resolve;
    });
    const client = server.wsClient(token, { on: { closed: (event) => onClosed((event as { code: number }).code) } });
    const start = (await head()).toString();
    const listening = stream(client, { afterSeq: start }, () => false).ended.then(
      () => 'completed',
      () => 'cut off',
    );
    // A second subscription on the same connection shows it is up and streaming.
    const opened = stream(client, { afterSeq: start }, (results) => results.length === 3);
    await recordRun(services, target);
    await opened.ended;

    await server.database.db.apiToken.update({ where: { id: tokenId }, data: change });

    expect(await closed).toBe(4403);
    expect(await listening).toBe('cut off');
  });

  it('refuses an afterSeq ahead of the newest event, naming it', async () => {
    const client = server.wsClient();

    const results = await stream(client, { afterSeq: ((await head()) + 10n).toString() }, () => true).ended;

    expect(results.at(-1)?.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'afterSeq' } });
  });
});

describe('a subscriber that falls behind', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('sqlite', { config: { history: { snapshotHorizonMs: 3_600_000, answerCacheBytes: 0, subscriptionBuffer: 4, replayMaxEvents: 100_000, countsIntervalMs: 50 } } });
  });
  afterAll(() => server.stop());

  it('is cut off with RESYNC once its buffer is full, and the others go on', async () => {
    const { services } = server.app;
    const { project, workflow } = await createProjectWithWorkflow(services, []);
    const behind = await services.runEvents.subscribe(ADMIN_PRINCIPAL, {}, null);
    const client = server.wsClient();
    const start = await services.history.headSnapshot();
    const keepingUp = stream(client, { afterSeq: start.toString() }, (results) => results.length === 9);

    for (let index = 0; index < 3; index += 1) await recordRun(services, { projectId: project.id, workflowId: workflow.id });
    const keptUp = await keepingUp.ended;
    const items: unknown[] = [];
    for await (const item of behind) items.push(item);

    expect(keptUp.length).toBe(9);
    expect(items).toEqual([{ resync: expect.stringContaining('fell more than 4 events behind') }]);
  });

  it('gets RESYNC when afterSeq is older than the event log keeps', async () => {
    const { services } = server.app;
    const { project, workflow } = await createProjectWithWorkflow(services, []);
    const run = await recordRun(services, { projectId: project.id, workflowId: workflow.id });
    // What retention will do to old events: the log then starts later.
    await server.database.db.runEvent.deleteMany({ where: { seq: { lt: run.lastSeq } } });
    const client = server.wsClient();

    const results = await stream(client, { afterSeq: '0' }, () => true).ended;

    expect(results.at(-1)?.errors?.[0]).toMatchObject({ extensions: { code: 'RESYNC' }, message: expect.stringContaining('older than the event log') });
  });
});

describe.each(PROVIDERS)('replaying the event log to a subscriber (%s)', (provider) => {
  const replayMaxEvents = 20;
  let server: TestServer;
  let target: { projectId: string; workflowId: string };
  beforeAll(async () => {
    server = await startTestServer(provider, { config: { executes: false, history: { ...TEST_HISTORY, replayMaxEvents } } });
    const { project, workflow } = await createProjectWithWorkflow(server.app.services, []);
    target = { projectId: project.id, workflowId: workflow.id };
  });
  afterAll(() => server.stop());

  it('answers RESYNC when afterSeq lies further back than REPLAY_MAX_EVENTS', async () => {
    const { services } = server.app;
    const start = await services.history.headSnapshot();
    for (let index = 0; index < 7; index += 1) await recordRun(services, target);

    const results = await stream(server.wsClient(), { afterSeq: start.toString() }, () => true).ended;

    expect(results).toEqual([{ data: null, errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'RESYNC' }), message: expect.stringContaining(`at most ${replayMaxEvents} events`) })] }]);
  });

  it('replays every event within the bound in order, and of a status filter only the events into those statuses', async () => {
    const { services } = server.app;
    const start = await services.history.headSnapshot();
    const runs = [];
    for (let index = 0; index < 6; index += 1) runs.push(await recordRun(services, target, 'MANUAL', index % 2 === 0 ? 'FAILED' : 'SUCCEEDED'));
    const head = await services.history.headSnapshot();

    const everything = await stream(server.wsClient(), { afterSeq: start.toString() }, (results) => results.length === 18).ended;
    const failed = await stream(server.wsClient(), { afterSeq: start.toString(), filter: { statuses: ['FAILED'] } }, (results) => results.length === 3).ended;

    expect(head - start).toBe(18n);
    expect(everything.map((result) => result.data?.runEvents.seq)).toEqual(Array.from({ length: 18 }, (_, index) => (start + 1n + BigInt(index)).toString()));
    expect(failed.map((result) => [result.data?.runEvents.to, result.data?.runEvents.run.id])).toEqual(runs.filter((_, index) => index % 2 === 0).map((run) => ['FAILED', run.id]));
  });
});

describe.each(PROVIDERS)('a filtered replay over a large event log (%s)', (provider) => {
  const seededRuns = 40_000;
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(provider, { config: { executes: false, history: { ...TEST_HISTORY, replayMaxEvents: 10_000_000 } } });
    await seederFor(server.database).seed({ runs: seededRuns, projects: 2, workflowsPerProject: 3, seed: 5 });
  }, 240_000);
  afterAll(() => server.stop());

  it('keeps /healthz answering while it replays, and delivers every event of the filter in order', async () => {
    const rejected = await server.database.db.runEvent.findMany({ where: { kind: 'RUN', to: 'REJECTED' }, select: { seq: true }, orderBy: { seq: 'asc' } });
    let replayed = false;
    const replay = stream(server.wsClient(), { afterSeq: '0', filter: { statuses: ['REJECTED'] } }, (results) => results.length === rejected.length).ended.finally(() => (replayed = true));
    // A probe every few milliseconds: each gap between two answers is how long /healthz could not answer.
    const gaps: number[] = [];
    let answered = performance.now();
    do {
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      gaps.push(performance.now() - answered);
      answered = performance.now();
    } while (!replayed);
    const results = await replay;

    expect(rejected.length).toBeGreaterThan(0);
    expect(results.map((result) => result.data?.runEvents.seq)).toEqual(rejected.map((event) => event.seq.toString()));
    // Generous for a shared machine: before replays yielded, /healthz waited for the whole replay.
    expect(Math.max(...gaps)).toBeLessThan(1_000);
  }, 120_000);
});

describe('a subscriber whose socket stops reading, on a server process', () => {
  const buffer = 4;
  // Every event carries the workflow's definition: a few dozen fill the loopback socket's buffers.
  const definitionBytes = 512 * 1024;
  const maxEvents = 120;
  const warmUpEvents = 60;
  const eventsAfterCutOff = 300;
  let dataDir = '';
  let token = '';
  let server: ServerProcess;
  const { graphql, follow } = processClient(() => token);

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-slow-reader-'));
    // No keep-alive pings within the test: a socket that reads nothing would also miss their pongs and be terminated.
    // A definition past the default WORKFLOW_MAX_BYTES makes each event large. A small old
    // generation makes V8 collect before it grows: what the process holds then is what it keeps,
    // not garbage a busy machine left uncollected.
    server = await startServerProcess({ NODE_OPTIONS: '--max-old-space-size=160', DATA_DIR: dataDir, ENGINE: 'off', SCHEDULER: 'off', LOAD_EXAMPLES: 'false', SUBSCRIPTION_BUFFER: String(buffer), WS_KEEP_ALIVE_MS: '600000', WORKFLOW_MAX_BYTES: String(2 * definitionBytes) });
    token = readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
  });
  afterAll(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is cut off with RESYNC, while a graphql-ws subscriber gets every event in order and the server holds no backlog', async () => {
    const { projects } = await graphql<{ projects: { id: string }[] }>(server, '{ projects { id } }');
    const comment = `# ${'padding '.repeat(12)}\n`.repeat(Math.ceil(definitionBytes / 100));
    const { saveWorkflow } = await graphql<{ saveWorkflow: { id: string } }>(server, 'mutation ($p: ID!, $y: String!) { saveWorkflow(projectId: $p, yaml: $y) { id } }', {
      p: projects[0]?.id,
      y: `name: large\nsteps:\n  - name: a\n    command: "true"\n${comment}`,
    });
    const trigger = () => graphql(server, 'mutation ($w: ID!) { triggerRun(workflowId: $w) { id } }', { w: saveWorkflow.id });
    const head = async () => (await graphql<{ headSnapshot: string }>(server, '{ headSnapshot }')).headSnapshot;
    const cutOff = () => server.logs.some((entry) => entry.msg === 'events.subscriber_cut_off');
    const start = await head();
    const slow = await openRawSubscription(`${server.url.replace(/^http/, 'ws')}/graphql`, token, {
      query: 'subscription ($afterSeq: String) { runEvents(afterSeq: $afterSeq) { seq run { workflow { definition } } } }',
      variables: { afterSeq: start },
    });
    const healthy = follow(server, start);
    // The same work with both reading first, so that what the heap grows to for it is in the baseline.
    for (let index = 0; index < warmUpEvents; index += 1) await trigger();
    await slow.received(warmUpEvents);
    await healthy.until((events) => events.length === warmUpEvents);
    const before = residentMemory(server.child);

    slow.pause();
    let events = 0;
    while (!cutOff() && events < maxEvents) {
      await trigger();
      events += 1;
    }
    const cutOffAfter = events;
    for (let index = 0; index < eventsAfterCutOff; index += 1) await trigger();
    const last = await head();
    const received = await healthy.until((streamed) => streamed.at(-1)?.seq === last);
    const after = residentMemory(server.child);
    healthy.stop();

    expect(cutOffAfter).toBeLessThan(maxEvents);
    // Far less than keeping what was written after the cut-off for the stalled socket would take.
    expect(after.now - before.now).toBeLessThan(eventsAfterCutOff * definitionBytes);
    expect(received.map((event) => event.seq)).toEqual(Array.from({ length: Number(BigInt(last) - BigInt(start)) }, (_, index) => (BigInt(start) + 1n + BigInt(index)).toString()));
    slow.resume();
    const end = await slow.ended;
    slow.close();
    const slowSeqs = (slow.nexts as { data: { runEvents: { seq: string } } | null }[]).flatMap((payload) => (payload.data ? [payload.data.runEvents.seq] : []));
    expect(slowSeqs.length).toBeLessThan(warmUpEvents + cutOffAfter);
    expect(slowSeqs).toEqual(received.slice(0, slowSeqs.length).map((event) => event.seq));
    expect(slow.nexts.at(-1)).toMatchObject({ data: null, errors: [{ extensions: { code: 'RESYNC' } }] });
    expect(end).toEqual({ id: '1', type: 'complete' });
  });
});

describe('graphql-ws manners', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('sqlite', { config: { wsInitTimeoutMs: 200, wsKeepAliveMs: 100 } });
  });
  afterAll(() => server.stop());

  function rawSocket(): WebSocket {
    return new WebSocket(server.wsUrl, 'graphql-transport-ws');
  }

  it('closes a connection that sends no connection_init in time with 4408', async () => {
    const socket = rawSocket();

    const code = await new Promise<number>((resolve) => socket.once('close', (closeCode: number) => resolve(closeCode)));

    expect(code).toBe(4408);
  });

  it('pings an open connection (WebSocket ping frames) to keep it alive', async () => {
    const socket = rawSocket();
    const seen: string[] = [];
    const pinged = new Promise<void>((resolve) => {
      socket.on('message', (data: Buffer) => seen.push((JSON.parse(data.toString()) as { type: string }).type));
      socket.on('ping', () => {
        seen.push('ping frame');
        resolve();
      });
    });
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${server.adminToken}` } })));

    await pinged;
    socket.close();

    expect(seen.slice(0, 2)).toEqual(['connection_ack', 'ping frame']);
  });
});
