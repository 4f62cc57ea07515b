import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { createTempPostgres, type TempDatabase } from '../test/temp-database.ts';
import { startServerProcess, type ServerProcess } from '../test/server-process.ts';

// The Redis on this machine and CI's (see the README); each test database has its own channel.
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const WORKFLOW = 'name: fan-out\nsteps:\n  - name: a\n    command: "true"\n  - name: b\n    command: "true"\n    depends: [a]\n';

interface Streamed {
  runEvents: { seq: string; kind: string; to: string; run: { id: string } };
}

describe('two server processes on one PostgreSQL database, events through Redis', () => {
  let database: TempDatabase;
  const dataDirs: string[] = [];
  let writer: ServerProcess;
  let reader: ServerProcess;
  let token: string;
  const clients: Client[] = [];

  async function graphql<T>(server: ServerProcess, query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: unknown[] };
    if (!body.data) throw new Error(`GraphQL failed: ${JSON.stringify(body.errors)}`);
    return body.data;
  }

  function start(engine: 'on' | 'off'): Promise<ServerProcess> {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-fanout-'));
    dataDirs.push(dataDir);
    return startServerProcess({ DATA_DIR: dataDir, DATABASE_URL: database.config.url, REDIS_URL, ENGINE: engine, SCHEDULER: 'off', LOAD_EXAMPLES: 'false', LOG_LEVEL: 'info' });
  }

  /** Everything the reader process streams after `afterSeq`, until the run ends. */
  function streamUntilRunEnds(afterSeq: string): Promise<Streamed['runEvents'][]> {
    const client = createClient({ url: `${reader.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: `Bearer ${token}` } });
    clients.push(client);
    const events: Streamed['runEvents'][] = [];
    return new Promise((resolve, reject) => {
      const stop = client.subscribe<Streamed>(
        { query: 'subscription ($afterSeq: String) { runEvents(afterSeq: $afterSeq) { seq kind to run { id } } }', variables: { afterSeq } },
        {
          next: (value) => {
            const event = value.data?.runEvents;
            if (!event) return reject(new Error(JSON.stringify(value.errors)));
            events.push(event);
            if (event.kind === 'RUN' && event.to === 'SUCCEEDED') {
              stop();
              resolve(events);
            }
          },
          error: reject,
          complete: () => resolve(events),
        },
      );
    });
  }

  async function runEventSeqs(runId: string): Promise<string[]> {
    const { run } = await graphql<{ run: { events: { seq: string }[] } }>(reader, 'query ($id: ID!) { run(id: $id) { events { seq } } }', { id: runId });
    return run.events.map((event) => event.seq);
  }

  beforeAll(async () => {
    database = await createTempPostgres('fanout');
    writer = await start('on');
    token = readFileSync(path.join(dataDirs[0] ?? '', 'admin-token'), 'utf8').trim();
    reader = await start('off');
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    for (const server of [writer, reader]) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    await database.drop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  async function triggerOnWriter(): Promise<string> {
    const { projects } = await graphql<{ projects: { id: string }[] }>(writer, '{ projects { id } }');
    const { saveWorkflow } = await graphql<{ saveWorkflow: { id: string } }>(writer, 'mutation ($p: ID!, $y: String!) { saveWorkflow(projectId: $p, yaml: $y) { id } }', {
      p: projects[0]?.id,
      y: WORKFLOW,
    });
    const { triggerRun } = await graphql<{ triggerRun: { id: string } }>(writer, 'mutation ($w: ID!) { triggerRun(workflowId: $w) { id } }', { w: saveWorkflow.id });
    return triggerRun.id;
  }

  it('streams a run triggered through one process to a subscriber of the other, in order and complete', async () => {
    const { headSnapshot } = await graphql<{ headSnapshot: string }>(reader, '{ headSnapshot }');
    const streamed = streamUntilRunEnds(headSnapshot);

    const runId = await triggerOnWriter();
    const events = await streamed;

    expect(events.every((event) => event.run.id === runId)).toBe(true);
    expect(events.map((event) => event.seq)).toEqual(await runEventSeqs(runId));
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => (BigInt(headSnapshot) + 1n + BigInt(index)).toString()));
  });

  it('still delivers every event when Redis drops the subscriber connections meanwhile', async () => {
    const { headSnapshot } = await graphql<{ headSnapshot: string }>(reader, '{ headSnapshot }');
    const streamed = streamUntilRunEnds(headSnapshot);
    const admin = new Redis(REDIS_URL);

    // Both before and right after the trigger: events are published while the reader's subscriber is away.
    await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
    const runId = await triggerOnWriter();
    await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
    const events = await streamed;
    admin.disconnect();

    expect(events.map((event) => event.seq)).toEqual(await runEventSeqs(runId));
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => (BigInt(headSnapshot) + 1n + BigInt(index)).toString()));
  });
});
