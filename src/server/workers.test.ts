import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pollUntil } from '../test/poll-until.ts';
import { processClient } from '../test/process-client.ts';
import { startClusterProcess, startServerProcess, type ServerProcess } from '../test/server-process.ts';
import { createTempPostgres, createTempSqlite, type TempDatabase } from '../test/temp-database.ts';

const LEASE_SECONDS = 2;
// The lease, a sweep (a third of it) and room for a loaded 2-core CI machine: 5 s of room once
// proved too little there while the suite's other processes ran.
const SETTLE_MS = (LEASE_SECONDS + 15) * 1000;
// Long enough that no run can end by itself between the moment all six are seen running and the
// kill, however slowly a loaded machine starts them; the settling waits for "not RUNNING", so a
// run that ended some other way fails the test with its status rather than a timeout.
const SLEEPY = 'name: sleepy\nmaxActiveRuns: 20\nsteps:\n  - name: nap\n    command: sleep 8\n';

interface RunRow {
  id: string;
  status: string;
  error: string | null;
  leaseOwner: string | null;
}

describe('one API process and two workers on one PostgreSQL database', () => {
  let database: TempDatabase;
  let sql: pg.Client;
  const dataDirs: string[] = [];
  const processes: ServerProcess[] = [];
  let api: ServerProcess;
  let token = '';
  let workflowId = '';
  const { graphql } = processClient(() => token);

  async function start(role: 'api' | 'worker', name?: string): Promise<ServerProcess> {
    const server = await startClusterProcess({
      databaseUrl: database.config.url,
      role,
      name,
      leaseSeconds: LEASE_SECONDS,
      dataDirs,
      env: { EXECUTOR_CONCURRENCY: '3', MAX_ACTIVE_RUNS: '20' },
    });
    processes.push(server);
    return server;
  }

  async function trigger(count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let index = 0; index < count; index += 1) {
      ids.push((await graphql<{ triggerRun: { id: string } }>(api, 'mutation ($id: ID!) { triggerRun(workflowId: $id) { id } }', { id: workflowId })).triggerRun.id);
    }
    return ids;
  }

  async function runs(ids: readonly string[]): Promise<RunRow[]> {
    const { rows } = await sql.query<RunRow>(`SELECT id, status, error, "leaseOwner" FROM "Run" WHERE id = ANY($1::text[]) ORDER BY id`, [ids]);
    return rows;
  }

  beforeAll(async () => {
    database = await createTempPostgres('workers');
    api = await start('api');
    token = readFileSync(path.join(dataDirs[0] ?? '', 'admin-token'), 'utf8').trim();
    const { projects } = await graphql<{ projects: { id: string }[] }>(api, '{ projects { id } }');
    const saved = await graphql<{ saveWorkflow: { id: string } }>(api, 'mutation ($p: ID!, $y: String!) { saveWorkflow(projectId: $p, yaml: $y) { id } }', {
      p: projects[0]?.id,
      y: SLEEPY,
    });
    workflowId = saved.saveWorkflow.id;
    sql = new pg.Client({ connectionString: database.config.url });
    await sql.connect();
  });
  afterAll(async () => {
    for (const server of processes) server.child.kill('SIGKILL');
    await Promise.all(processes.map((server) => server.exited));
    await sql?.end();
    await database.drop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('spreads runs over both workers, settles a killed worker\'s runs as "worker lost" within the lease, and lets the other finish its own', async () => {
    const first = await start('worker', 'worker-a');
    await start('worker', 'worker-b');
    const ids = await trigger(6);
    const running = await pollUntil('six runs running on two workers', 20_000, async () => {
      const rows = await runs(ids);
      return rows.every((row) => row.status === 'RUNNING') ? rows : null;
    });
    expect(new Set(running.map((row) => row.leaseOwner))).toEqual(new Set(['worker-a', 'worker-b']));

    first.child.kill('SIGKILL');
    const killedAt = Date.now();
    const ofA = running.filter((row) => row.leaseOwner === 'worker-a').map((row) => row.id);
    const ofB = running.filter((row) => row.leaseOwner === 'worker-b').map((row) => row.id);
    const lost = await pollUntil('the killed worker\'s runs to be settled', SETTLE_MS, async () => {
      const rows = await runs(ofA);
      return rows.every((row) => row.status !== 'RUNNING') ? rows : null;
    });
    const settledWithin = Date.now() - killedAt;
    const finished = await pollUntil('the other worker\'s runs to finish', 30_000, async () => {
      const rows = await runs(ofB);
      return rows.every((row) => row.status !== 'RUNNING') ? rows : null;
    });

    expect(lost.map((row) => [row.status, row.error])).toEqual(ofA.map(() => ['FAILED', 'worker lost']));
    expect(settledWithin).toBeLessThan(SETTLE_MS);
    expect(finished.map((row) => row.status)).toEqual(ofB.map(() => 'SUCCEEDED'));
    const { rows: steps } = await sql.query<{ status: string }>(`SELECT status FROM "StepRun" WHERE "runId" = ANY($1::text[])`, [ofA]);
    expect(new Set(steps.map((step) => step.status))).toEqual(new Set(['ABORTED']));
  });

  it('starts a third worker without disturbing the runs the others execute', async () => {
    const ids = await trigger(3);
    await pollUntil('three runs running', 20_000, async () => ((await runs(ids)).every((row) => row.status === 'RUNNING') ? true : null));

    await start('worker', 'worker-c');
    const ended = await pollUntil('the runs to end', 30_000, async () => {
      const rows = await runs(ids);
      return rows.every((row) => row.status !== 'RUNNING') ? rows : null;
    });

    expect(ended.map((row) => [row.status, row.error])).toEqual(ids.map(() => ['SUCCEEDED', null]));
  });

  it('cancels, from the API process, a run a worker executes: the worker lets go and the run ends ABORTED', async () => {
    const [id] = await trigger(1);
    await pollUntil('the run to run', 20_000, async () => ((await runs([id ?? ''])).every((row) => row.status === 'RUNNING') ? true : null));

    await graphql(api, 'mutation ($id: ID!) { cancelRun(id: $id) { id } }', { id });
    const [row] = await runs([id ?? '']);

    expect(row?.status).toBe('ABORTED');
    expect(row?.error).toMatch(/Cancelled by/);
  });
});

describe('a second executing process on one SQLite database', () => {
  it('is refused at once, with PostgreSQL named as the way to scale', async () => {
    const database = createTempSqlite('second-executor');
    const dataDirs = [mkdtempSync(path.join(os.tmpdir(), 'runtrail-one-')), mkdtempSync(path.join(os.tmpdir(), 'runtrail-two-'))];
    const env = (dataDir: string) => ({ DATA_DIR: dataDir, DATABASE_URL: database.config.url, SCHEDULER: 'off', LOAD_EXAMPLES: 'false' });
    const first = await startServerProcess(env(dataDirs[0] ?? ''));
    try {
      await first.ready();
      // It may exit before or after it listened; either way it ends with the reason.
      const second = await startServerProcess(env(dataDirs[1] ?? '')).then(
        async (server) => ({ code: await server.exited, output: server.stdout() + server.stderr() }),
        (error: unknown) => ({ code: 1, output: error instanceof Error ? error.message : String(error) }),
      );
      const output = second.output;

      expect(second.code).toBe(1);
      expect(output).toMatch(/SQLite allows one/);
      expect(output).toMatch(/PostgreSQL/);
      expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
    } finally {
      first.child.kill('SIGTERM');
      await first.exited;
      await database.drop();
      for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
    }
  });
});
