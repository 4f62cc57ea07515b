import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pollUntil } from '../test/poll-until.ts';
import { processClient } from '../test/process-client.ts';
import { startServerProcess, type ServerProcess } from '../test/server-process.ts';
import { createTempPostgres, type TempDatabase } from '../test/temp-database.ts';

/** Processes on one throwaway PostgreSQL database, each with its own DATA_DIR; the first one's admin token. */
function cluster(label: string) {
  let database: TempDatabase;
  let sql: pg.Client;
  const dataDirs: string[] = [];
  const processes: ServerProcess[] = [];
  let token = '';
  const client = processClient(() => token);

  beforeAll(async () => {
    database = await createTempPostgres(label);
    sql = new pg.Client({ connectionString: database.config.url });
    await sql.connect();
  });
  afterAll(async () => {
    for (const server of processes) server.child.kill('SIGKILL');
    await Promise.all(processes.map((server) => server.exited));
    await sql.end();
    await database.drop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  return {
    ...client,
    sql: () => sql,
    async start(env: Record<string, string>): Promise<ServerProcess> {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), `runtrail-${label}-`));
      dataDirs.push(dataDir);
      const server = await startServerProcess({ DATA_DIR: dataDir, DATABASE_URL: database.config.url, LOAD_EXAMPLES: 'false', LEASE_SECONDS: '2', ...env });
      processes.push(server);
      await server.ready();
      if (!token) token = readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
      return server;
    },
    async save(server: ServerProcess, yaml: string): Promise<string> {
      const { projects } = await client.graphql<{ projects: { id: string }[] }>(server, '{ projects { id } }');
      const saved = await client.graphql<{ saveWorkflow: { id: string } }>(server, 'mutation ($p: ID!, $y: String!) { saveWorkflow(projectId: $p, yaml: $y) { id } }', { p: projects[0]?.id, y: yaml });
      return saved.saveWorkflow.id;
    },
  };
}

async function runStatus(sql: pg.Client, id: string): Promise<{ status: string; error: string | null } | null> {
  const { rows } = await sql.query<{ status: string; error: string | null }>(`SELECT status, error FROM "Run" WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

describe('a worker stopped with SIGTERM', () => {
  const nodes = cluster('drain');

  it('stops claiming, lets its running steps finish within the grace, then exits 0', async () => {
    const api = await nodes.start({ ROLE: 'api', SCHEDULER: 'off' });
    const worker = await nodes.start({ ROLE: 'worker', SCHEDULER: 'off', SHUTDOWN_GRACE_MS: '12000' });
    const workflowId = await nodes.save(api, 'name: nap\nmaxActiveRuns: 5\nsteps:\n  - name: nap\n    command: sleep 2\n');
    const { triggerRun } = await nodes.graphql<{ triggerRun: { id: string } }>(api, 'mutation ($id: ID!) { triggerRun(workflowId: $id) { id } }', { id: workflowId });
    await pollUntil('the run to run', 20_000, async () => ((await runStatus(nodes.sql(), triggerRun.id))?.status === 'RUNNING' ? true : null));

    worker.child.kill('SIGTERM');
    const queuedAfter = await nodes.graphql<{ triggerRun: { id: string } }>(api, 'mutation ($id: ID!) { triggerRun(workflowId: $id) { id } }', { id: workflowId });
    const code = await worker.exited;

    expect(code).toBe(0);
    expect(await runStatus(nodes.sql(), triggerRun.id)).toEqual({ status: 'SUCCEEDED', error: null });
    expect((await runStatus(nodes.sql(), queuedAfter.triggerRun.id))?.status).toBe('QUEUED');
  });
});

describe('a worker whose runs outlast the grace after SIGTERM', () => {
  const nodes = cluster('handback');

  it('hands them back by their retry policy: requeued for another worker when it allows, FAILED "worker stopped" otherwise', async () => {
    const api = await nodes.start({ ROLE: 'api', SCHEDULER: 'off' });
    const ledger = path.join(mkdtempSync(path.join(os.tmpdir(), 'runtrail-handback-')), 'ledger');
    // Written by the steps: none yet before the first one starts.
    const ledgerText = () => (existsSync(ledger) ? readFileSync(ledger, 'utf8') : '');
    const retried = await nodes.save(api, `name: retried\nsteps:\n  - name: long\n    command: echo "long $DAG_RUN_ID" >> ${ledger}; sleep 60\n    retryPolicy: { limit: 1 }\n`);
    const plain = await nodes.save(api, 'name: plain\nsteps:\n  - name: long\n    command: sleep 60\n');
    const stopping = await nodes.start({ ROLE: 'worker', SCHEDULER: 'off', SHUTDOWN_GRACE_MS: '8000', EXECUTOR_NAME: 'stopping' });
    const trigger = async (workflowId: string) =>
      (await nodes.graphql<{ triggerRun: { id: string } }>(api, 'mutation ($id: ID!) { triggerRun(workflowId: $id) { id } }', { id: workflowId })).triggerRun.id;
    const [requeued, failed] = [await trigger(retried), await trigger(plain)];
    for (const id of [requeued, failed]) await pollUntil('the run to run', 20_000, async () => ((await runStatus(nodes.sql(), id))?.status === 'RUNNING' ? true : null));
    await pollUntil('the retried step to start', 20_000, async () => (ledgerText().includes(requeued) ? true : null));

    stopping.child.kill('SIGTERM');
    const code = await stopping.exited;
    const steps = async (id: string) =>
      (await nodes.sql().query<{ status: string; attempt: number }>(`SELECT status, attempt FROM "StepRun" WHERE "runId" = $1`, [id])).rows;
    const { rows: claims } = await nodes.sql().query<{ leaseOwner: string | null }>(`SELECT "leaseOwner" FROM "Run" WHERE id = $1`, [requeued]);

    expect(code).toBe(0);
    expect(await runStatus(nodes.sql(), requeued)).toEqual({ status: 'QUEUED', error: null });
    expect(await steps(requeued)).toEqual([{ status: 'FAILED', attempt: 1 }]);
    expect(claims).toEqual([{ leaseOwner: null }]);
    expect(await runStatus(nodes.sql(), failed)).toEqual({ status: 'FAILED', error: 'worker stopped before the run finished' });
    expect(await steps(failed)).toEqual([{ status: 'ABORTED', attempt: 1 }]);

    await nodes.start({ ROLE: 'worker', SCHEDULER: 'off', EXECUTOR_NAME: 'taking-over' });
    await pollUntil('the requeued run to run its step again', 20_000, async () => (ledgerText().split(requeued).length === 3 ? true : null));
    expect(await steps(requeued)).toEqual([{ status: 'RUNNING', attempt: 2 }]);
  });
});

describe('the scheduler under a leader lease', () => {
  const nodes = cluster('leader');

  it('fires each cron tick once while two processes run, and goes on from the other one when the leader is killed', async () => {
    const first = await nodes.start({ SCHEDULER: 'on', EXECUTOR_NAME: 'node-1' });
    const second = await nodes.start({ SCHEDULER: 'on', EXECUTOR_NAME: 'node-2' });
    const workflowId = await nodes.save(first, 'name: every-minute\nschedule: "* * * * *"\nmaxActiveRuns: 5\nsteps:\n  - name: a\n    command: "true"\n');
    const scheduled = async () =>
      (await nodes.sql().query<{ createdAt: Date }>(`SELECT "createdAt" FROM "Run" WHERE "workflowId" = $1 AND trigger = 'SCHEDULER' ORDER BY "createdAt"`, [workflowId])).rows;
    await pollUntil('a first scheduled run', 75_000, async () => ((await scheduled()).length >= 1 ? true : null));
    const { rows } = await nodes.sql().query<{ holder: string }>(`SELECT holder FROM "ProcessLease" WHERE name = 'leader'`);
    const leader = rows[0]?.holder === 'node-1' ? first : second;
    const follower = leader === first ? 'node-2' : 'node-1';

    leader.child.kill('SIGKILL');
    const killedAt = Date.now();
    // The next minute's tick, once the follower has taken the lease (2 s) and its duties started: room for a loaded machine.
    const runs = await pollUntil('a scheduled run after the kill', 130_000, async () => {
      const all = await scheduled();
      return all.some((run) => run.createdAt.getTime() > killedAt) ? all : null;
    });
    const minutes = runs.map((run) => Math.floor(run.createdAt.getTime() / 60_000));
    const { rows: after } = await nodes.sql().query<{ holder: string }>(`SELECT holder FROM "ProcessLease" WHERE name = 'leader'`);

    expect(new Set(minutes).size).toBe(minutes.length);
    expect(after[0]?.holder).toBe(follower);
    // Cron ticks by the minute: up to a minute to the first tick, and a minute more to the next.
  }, 240_000);
});
