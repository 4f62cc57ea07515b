import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { startServerProcess, type ServerProcess } from '../../../src/test/server-process.ts';
import { createClient, type RunEvent, type RuntrailClient } from '../src/index.ts';
import { present, savedWorkflow } from './fixtures.ts';

/** Keeps every event of a feed in the background; `until` waits for a condition on them. */
function collect(feed: AsyncIterable<RunEvent>) {
  const events: RunEvent[] = [];
  const waiters: { enough: () => boolean; resolve: () => void }[] = [];
  let failure: unknown = null;
  const done = (async () => {
    try {
      for await (const event of feed) {
        events.push(event);
        for (const waiter of waiters.filter((candidate) => candidate.enough())) waiter.resolve();
      }
    } catch (error) {
      failure = error;
    }
  })();
  return {
    events,
    done,
    until: (enough: (events: RunEvent[]) => boolean) =>
      new Promise<void>((resolve, reject) => {
        if (failure !== null) reject(failure);
        else if (enough(events)) resolve();
        else waiters.push({ enough: () => enough(events), resolve });
        void done.then(() => reject(failure ?? new Error(`The feed ended after ${events.length} events`)));
      }),
  };
}

const finished = (runId: string) => (events: RunEvent[]) => events.some((event) => event.kind === 'RUN' && event.run.id === runId && event.to === 'SUCCEEDED');

describe('client.runEvents across a server restart', () => {
  let dataDir: string;
  const servers: ServerProcess[] = [];

  async function stop(server: ServerProcess): Promise<void> {
    server.child.kill('SIGTERM');
    await server.exited;
  }

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-client-resume-'));
  });
  afterAll(async () => {
    for (const server of servers) if (server.child.exitCode === null) await stop(server);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reconnects by itself and passes on every event after the last one it yielded, none twice', async () => {
    const env = { DATA_DIR: dataDir, SCHEDULER: 'off', LOAD_EXAMPLES: 'false' };
    const first = await startServerProcess(env);
    servers.push(first);
    const token = readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
    const client: RuntrailClient = createClient({ url: first.url, token, webSocketImpl: WebSocket });
    const reconnections: string[] = [];
    const { workflowId } = await savedWorkflow(client, 'across-restart');
    const start = await client.headSnapshot();
    const feed = collect(client.runEvents({ afterSeq: start, reconnect: { initialMs: 100, maxMs: 500 }, onReconnect: (error) => reconnections.push(error.code) }));

    const firstRun = await client.triggerRun({ workflowId });
    await feed.until(finished(firstRun.id));
    await stop(first);
    // The same address, so the client's own reconnection finds the new process.
    const second = await startServerProcess({ ...env, PORT: new URL(first.url).port });
    servers.push(second);
    const secondRun = await client.triggerRun({ workflowId });
    await feed.until(finished(secondRun.id));
    await client.dispose();

    const recorded = [firstRun.id, secondRun.id].map(async (id) => present(await client.run(id), `run ${id}`));
    expect(reconnections.length).toBeGreaterThan(0);
    const expected: string[] = [];
    for (const run of await Promise.all(recorded)) expected.push(...(await runEventSeqs(client, run.id)));
    expect(feed.events.map((event) => event.seq)).toEqual(expected.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)));
  });
});

async function runEventSeqs(client: RuntrailClient, runId: string): Promise<string[]> {
  const { run } = await client.request<{ run: { events: { seq: string }[] } | null }, { id: string }>('query RunEventSeqs($id: ID!) { run(id: $id) { events { seq } } }', { id: runId });
  return present(run, `run ${runId}`).events.map((event) => event.seq);
}
