import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startServerProcess, type ServerProcess } from '../test/server-process.ts';

const WORKFLOW = 'name: resumable\nsteps:\n  - name: a\n    command: "true"\n  - name: b\n    command: "true"\n    depends: [a]\n';

interface Streamed {
  runEvents: { seq: string; kind: string; to: string; run: { id: string } };
}

describe('a subscriber resuming across a server restart', () => {
  let dataDir: string;
  let token: string;
  const servers: ServerProcess[] = [];

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

  /** Streams from `afterSeq` until `enough` holds, then unsubscribes. */
  function streamFrom(server: ServerProcess, afterSeq: string, enough: (events: Streamed['runEvents'][]) => boolean): Promise<Streamed['runEvents'][]> {
    const client = createClient({ url: `${server.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: `Bearer ${token}` } });
    const events: Streamed['runEvents'][] = [];
    return new Promise<Streamed['runEvents'][]>((resolve, reject) => {
      const stop = client.subscribe<Streamed>(
        { query: 'subscription ($afterSeq: String) { runEvents(afterSeq: $afterSeq) { seq kind to run { id } } }', variables: { afterSeq } },
        {
          next: (value) => {
            const event = value.data?.runEvents;
            if (!event) return reject(new Error(JSON.stringify(value.errors)));
            events.push(event);
            if (enough(events)) {
              stop();
              resolve(events);
            }
          },
          error: reject,
          complete: () => resolve(events),
        },
      );
    }).finally(() => client.dispose());
  }

  async function triggerAndFinish(server: ServerProcess): Promise<string> {
    const { projects } = await graphql<{ projects: { id: string }[] }>(server, '{ projects { id } }');
    const { saveWorkflow } = await graphql<{ saveWorkflow: { id: string } }>(server, 'mutation ($p: ID!, $y: String!) { saveWorkflow(projectId: $p, yaml: $y) { id } }', {
      p: projects[0]?.id,
      y: WORKFLOW,
    });
    const { triggerRun } = await graphql<{ triggerRun: { id: string } }>(server, 'mutation ($w: ID!) { triggerRun(workflowId: $w) { id } }', { w: saveWorkflow.id });
    return triggerRun.id;
  }

  async function eventSeqs(server: ServerProcess, runIds: string[]): Promise<string[]> {
    const seqs: string[] = [];
    for (const id of runIds) {
      const { run } = await graphql<{ run: { events: { seq: string }[] } }>(server, 'query ($id: ID!) { run(id: $id) { events { seq } } }', { id });
      seqs.push(...run.events.map((event) => event.seq));
    }
    return seqs.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
  }

  async function stop(server: ServerProcess): Promise<void> {
    server.child.kill('SIGTERM');
    await server.exited;
  }

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-resume-'));
  });
  afterAll(async () => {
    for (const server of servers) if (server.child.exitCode === null) await stop(server);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('gets every event after the last one it saw, from the restarted server, none twice', async () => {
    const env = { DATA_DIR: dataDir, SCHEDULER: 'off', LOAD_EXAMPLES: 'false', LOG_LEVEL: 'info' };
    const first = await startServerProcess(env);
    servers.push(first);
    token = readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
    const { headSnapshot: start } = await graphql<{ headSnapshot: string }>(first, '{ headSnapshot }');
    const firstRun = await triggerAndFinish(first);
    const seen = await streamFrom(first, start, (events) => events.length === 2);
    const lastSeen = seen.at(-1)?.seq ?? start;
    await streamFrom(first, start, (events) => events.some((event) => event.kind === 'RUN' && event.to === 'SUCCEEDED'));
    await stop(first);

    const second = await startServerProcess(env);
    servers.push(second);
    const secondRun = await triggerAndFinish(second);
    const resumed = await streamFrom(second, lastSeen, (events) => events.some((event) => event.run.id === secondRun && event.kind === 'RUN' && event.to === 'SUCCEEDED'));

    const expected = (await eventSeqs(second, [firstRun, secondRun])).filter((seq) => BigInt(seq) > BigInt(lastSeen));
    expect(resumed.map((event) => event.seq)).toEqual(expected);
  });
});
