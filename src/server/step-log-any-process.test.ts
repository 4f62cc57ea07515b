import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { processClient } from '../test/process-client.ts';
import { createTempPostgres, type TempDatabase } from '../test/temp-database.ts';
import { startServerProcess, type ServerProcess } from '../test/server-process.ts';

// The Redis on this machine and CI's (see the README); each test database has its own channel.
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Chunk {
  content: string;
  complete: boolean;
}

const FOLLOW = 'subscription ($runId: ID!, $step: String!) { stepLog(runId: $runId, step: $step) { content complete } }';
const PAGE = 'query ($runId: ID!, $offset: Int!) { stepLog(runId: $runId, step: "talk", offset: $offset, limit: 1000) { content nextOffset complete } }';
// More than one 64 KiB piece of a follower, in a three-byte character that pieces end inside of.
const EUROS = 40_000;
const EXPECTED = `first\n${'€'.repeat(EUROS)}\nlast\n`;

describe('a step log read and followed from another process on one PostgreSQL database', () => {
  let database: TempDatabase;
  const dataDirs: string[] = [];
  let worker: ServerProcess;
  let api: ServerProcess;
  let apiWithoutRedis: ServerProcess;
  let token = '';
  const { graphql } = processClient(() => token);

  function start(env: Record<string, string>): Promise<ServerProcess> {
    // Each process has a disk of its own: the API processes never see the worker's files.
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-logs-'));
    dataDirs.push(dataDir);
    return startServerProcess({ DATA_DIR: dataDir, DATABASE_URL: database.config.url, SCHEDULER: 'off', LOAD_EXAMPLES: 'false', LOG_LEVEL: 'info', ...env });
  }

  beforeAll(async () => {
    database = await createTempPostgres('logs');
    worker = await start({ ENGINE: 'on', REDIS_URL });
    token = readFileSync(path.join(dataDirs[0] ?? '', 'admin-token'), 'utf8').trim();
    api = await start({ ENGINE: 'off', REDIS_URL });
    apiWithoutRedis = await start({ ENGINE: 'off' });
  });
  afterAll(async () => {
    for (const server of [worker, api, apiWithoutRedis]) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    await database.drop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  /** A run on the worker whose step waits, after its first line, until the gate file exists. */
  async function triggerGated(gate: string): Promise<string> {
    const { projects } = await graphql<{ projects: { id: string }[] }>(worker, '{ projects { id } }');
    const yaml = `name: talk-${path.basename(path.dirname(gate))}\nparams:\n  GATE: ${gate}\nsteps:\n  - name: talk\n    command: echo first; while [ ! -e "$GATE" ]; do sleep 0.05; done; awk 'BEGIN { for (i = 0; i < ${EUROS}; i++) printf "€"; print "" }'; echo last\n`;
    const { saveWorkflow } = await graphql<{ saveWorkflow: { id: string } }>(worker, 'mutation ($p: ID!, $y: String!) { saveWorkflow(projectId: $p, yaml: $y) { id } }', { p: projects[0]?.id, y: yaml });
    const { triggerRun } = await graphql<{ triggerRun: { id: string } }>(worker, 'mutation ($w: ID!) { triggerRun(workflowId: $w) { id } }', { w: saveWorkflow.id });
    return triggerRun.id;
  }

  /** Follows the step's log over graphql-ws until it completes; `onChunk` sees each piece as it comes. */
  function follow(server: ServerProcess, runId: string, onChunk: (chunk: Chunk) => void): Promise<Chunk[]> {
    const client = createClient({ url: `${server.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: `Bearer ${token}` } });
    const chunks: Chunk[] = [];
    return new Promise<Chunk[]>((resolve, reject) => {
      client.subscribe<{ stepLog: Chunk }>(
        { query: FOLLOW, variables: { runId, step: 'talk' } },
        {
          next: (message) => {
            if (!message.data) return reject(new Error(JSON.stringify(message.errors)));
            chunks.push(message.data.stepLog);
            onChunk(message.data.stepLog);
          },
          error: reject,
          complete: () => resolve(chunks),
        },
      );
    }).finally(() => void client.dispose());
  }

  async function readWhole(server: ServerProcess, runId: string): Promise<string> {
    const pieces: string[] = [];
    for (let offset = 0, complete = false; !complete; ) {
      const { stepLog } = await graphql<{ stepLog: { content: string; nextOffset: number; complete: boolean } }>(server, PAGE, { runId, offset });
      pieces.push(stepLog.content);
      ({ nextOffset: offset, complete } = stepLog);
    }
    return pieces.join('');
  }

  it.each([
    ['woken through Redis', () => api],
    ['without Redis, by its periodic look', () => apiWithoutRedis],
  ])('follows a step running on the worker from an API process %s, to the whole log', async (_how, server) => {
    const gate = path.join(mkdtempSync(path.join(os.tmpdir(), 'runtrail-gate-')), 'open');
    const runId = await triggerGated(gate);

    // The step goes on only once the follower has its first piece: that piece came while the step ran.
    const chunks = await follow(server(), runId, () => writeFileSync(gate, ''));

    expect(chunks[0]).toEqual({ content: 'first\n', complete: false });
    expect(chunks.map((chunk) => chunk.content).join('')).toBe(EXPECTED);
    expect(chunks.at(-1)?.complete).toBe(true);
    expect(await readWhole(server(), runId)).toBe(EXPECTED);
    expect(dataDirs.slice(1).map((dir) => existsSync(path.join(dir, 'logs')))).toEqual([false, false]);
  });
});
