import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { processClient, runEnded } from '../test/process-client.ts';
import { startServerProcess, type ServerProcess } from '../test/server-process.ts';
import { createTempPostgres, POSTGRES_ADMIN_URL, type TempDatabase } from '../test/temp-database.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ROUNDS = 20;
const ANSWER_WITHIN_MS = 15_000;
const FINISHED = new Set(['SUCCEEDED', 'PARTIALLY_SUCCEEDED', 'FAILED', 'ABORTED', 'REJECTED']);
const WORKFLOW = [
  'name: steady',
  'steps:',
  '  - name: first',
  '    command: sleep 0.2',
  '  - name: second',
  '    command: sleep 0.2',
  '  - name: third',
  '    command: "true"',
  '',
].join('\n');

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a server process whose PostgreSQL and Redis connections are killed under it', () => {
  let database: TempDatabase;
  let dataDir: string;
  let server: ServerProcess;
  let token = '';
  let admin: pg.Client;
  let redis: Redis;
  const { streamFrom } = processClient(() => token);
  const hung: string[] = [];
  /** A request that gets no answer within this hangs: a failure as much as a dead process. */
  async function graphql<T>(target: ServerProcess, query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await fetch(`${target.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
    }).catch((error: unknown) => {
      if (error instanceof Error && error.name === 'TimeoutError') hung.push(query);
      throw error;
    });
    const body = (await response.json()) as { data?: T; errors?: unknown[] };
    if (!body.data) throw new Error(`GraphQL failed: ${JSON.stringify(body.errors)}`);
    return body.data;
  }

  beforeAll(async () => {
    database = await createTempPostgres('faults');
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-faults-'));
    server = await startServerProcess({ DATA_DIR: dataDir, DATABASE_URL: database.config.url, REDIS_URL, SCHEDULER: 'off', LOAD_EXAMPLES: 'false', LOG_LEVEL: 'info' });
    token = readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
    admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    if (server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    await admin.end();
    redis.disconnect();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Every backend of the server's database (the test's own admin connection is on another database). */
  async function terminatePostgres(): Promise<number> {
    const name = new URL(database.config.url).pathname.slice(1);
    const result = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
    return result.rowCount ?? 0;
  }

  /** The server's Redis connections, found by the client name each carries (it names the process). */
  async function killRedis(): Promise<number> {
    const list = String(await redis.call('CLIENT', 'LIST'));
    const ids = list
      .split('\n')
      .filter((line) => line.includes(`name=runtrail:${server.child.pid}:`))
      .map((line) => /\bid=(\d+)/.exec(line)?.[1])
      .filter((id): id is string => id !== undefined);
    for (const id of ids) await redis.call('CLIENT', 'KILL', 'ID', id);
    return ids.length;
  }

  /** A request during a kill may fail; the server must answer it (not hang, not die). */
  async function attempt<T>(work: () => Promise<T>): Promise<T | null> {
    try {
      return await work();
    } catch {
      return null;
    }
  }

  it('lives through 20 rounds of killed connections, finishes every run, and answers the next queries', async () => {
    const { projects } = await graphql<{ projects: { id: string }[] }>(server, '{ projects { id } }');
    const { saveWorkflow } = await graphql<{ saveWorkflow: { id: string } }>(server, 'mutation ($p: ID!, $y: String!) { saveWorkflow(projectId: $p, yaml: $y) { id } }', {
      p: projects[0]?.id,
      y: WORKFLOW,
    });
    const runIds: string[] = [];
    let killedBackends = 0;
    let killedRedis = 0;

    for (let round = 0; round < ROUNDS; round += 1) {
      const triggered = await attempt(() => graphql<{ triggerRun: { id: string } }>(server, 'mutation ($w: ID!) { triggerRun(workflowId: $w) { id } }', { w: saveWorkflow.id }));
      if (triggered) runIds.push(triggered.triggerRun.id);
      const queries = Promise.all([
        attempt(() => graphql(server, '{ runs(first: 20) { totalCount edges { node { id status } } } }')),
        attempt(() => graphql(server, '{ headSnapshot }')),
      ]);
      killedBackends += await terminatePostgres();
      killedRedis += await killRedis();
      await queries;
      await pause(150);
    }

    // Nothing on stderr but the first-start banner: no error, no warning of Node's.
    const beyondBanner = server.stderr().replace(/\n {2}Runtrail is ready\.[\s\S]*?The admin API token is in \S+\n\n/, '');
    expect({ exitCode: server.child.exitCode, stderr: beyondBanner }).toEqual({ exitCode: null, stderr: '' });
    expect(killedBackends).toBeGreaterThan(ROUNDS);
    expect(killedRedis).toBeGreaterThan(ROUNDS);
    expect(runIds.length).toBeGreaterThan(ROUNDS / 2);
    const statuses = async () => {
      const answers = await Promise.all(runIds.map((id) => graphql<{ run: { status: string } }>(server, 'query ($id: ID!) { run(id: $id) { status } }', { id })));
      return answers.map((answer) => answer.run.status);
    };
    const deadline = Date.now() + 60_000;
    let last = await statuses();
    while (last.some((status) => !FINISHED.has(status)) && Date.now() < deadline) {
      await pause(250);
      last = await statuses();
    }

    expect(server.child.exitCode).toBeNull();
    expect(last.filter((status) => !FINISHED.has(status))).toEqual([]);
    expect(hung).toEqual([]);
    const { headSnapshot } = await graphql<{ headSnapshot: string }>(server, '{ headSnapshot }');
    expect(BigInt(headSnapshot)).toBeGreaterThan(0n);
    const { runs } = await graphql<{ runs: { totalCount: number } }>(server, '{ runs(first: 5) { totalCount } }');
    expect(runs.totalCount).toBe(runIds.length);
    // Live events travel through Redis even in one process: the subscriber connection is subscribed again.
    const streamed = streamFrom(server, headSnapshot, runEnded());
    await graphql(server, 'mutation ($w: ID!) { triggerRun(workflowId: $w) { id } }', { w: saveWorkflow.id });
    expect((await streamed).some((event) => event.kind === 'RUN' && event.to === 'SUCCEEDED')).toBe(true);
  }, 180_000);
});
