import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pollUntil } from '../test/poll-until.ts';
import { processClient } from '../test/process-client.ts';
import { startServerProcess, type ServerProcess } from '../test/server-process.ts';
import { createTempPostgres, createTempSqlite, type TempDatabase } from '../test/temp-database.ts';

const EU_ONLY = 'name: eu-only\nmaxActiveRuns: 10\nworkerSelector:\n  region: eu\nsteps:\n  - name: nap\n    command: sleep 1\n';
const AP_ONLY = 'name: ap-only\nworkerSelector: {region: ap}\nsteps:\n  - name: quick\n    command: "true"\n';
const ANYWHERE = 'name: anywhere\nsteps:\n  - name: quick\n    command: "true"\n';
const ONE_AT_A_TIME = 'name: one-at-a-time\nsteps:\n  - name: nap\n    command: sleep 3\n';

interface RunView {
  id: string;
  status: string;
  queuedReason: string | null;
}

/** The server processes of a test: each killed, and its data directory removed, at the end. */
class Servers {
  private readonly dataDirs: string[] = [];
  private readonly processes: ServerProcess[] = [];

  async start(env: Record<string, string>): Promise<{ server: ServerProcess; dataDir: string }> {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-selector-'));
    this.dataDirs.push(dataDir);
    const server = await startServerProcess({ DATA_DIR: dataDir, SCHEDULER: 'off', LOAD_EXAMPLES: 'false', ...env });
    this.processes.push(server);
    await server.ready();
    return { server, dataDir };
  }

  async stopAll(): Promise<void> {
    for (const server of this.processes) server.child.kill('SIGKILL');
    await Promise.all(this.processes.map((server) => server.exited));
    for (const dir of this.dataDirs) rmSync(dir, { recursive: true, force: true });
  }
}

function clientFor(tokenOf: () => string) {
  const { graphql } = processClient(tokenOf);
  return {
    async save(server: ServerProcess, yaml: string): Promise<string> {
      const { projects } = await graphql<{ projects: { id: string }[] }>(server, '{ projects { id } }');
      const saved = await graphql<{ saveWorkflow: { id: string } }>(server, 'mutation ($p: ID!, $y: String!) { saveWorkflow(projectId: $p, yaml: $y) { id } }', {
        p: projects[0]?.id,
        y: yaml,
      });
      return saved.saveWorkflow.id;
    },
    async trigger(server: ServerProcess, workflowId: string, count = 1): Promise<string[]> {
      const ids: string[] = [];
      for (let index = 0; index < count; index += 1) {
        ids.push((await graphql<{ triggerRun: { id: string } }>(server, 'mutation ($id: ID!) { triggerRun(workflowId: $id) { id } }', { id: workflowId })).triggerRun.id);
      }
      return ids;
    },
    async run(server: ServerProcess, id: string): Promise<RunView> {
      const { run } = await graphql<{ run: RunView | null }>(server, 'query ($id: ID!) { run(id: $id) { id status queuedReason } }', { id });
      if (!run) throw new Error(`Run ${id} was not found`);
      return run;
    },
    async queued(server: ServerProcess): Promise<RunView[]> {
      const { runs } = await graphql<{ runs: { edges: { node: RunView }[] } }>(server, '{ runs(filter: { statuses: [QUEUED] }, first: 50) { edges { node { id status queuedReason } } } }');
      return runs.edges.map((edge) => edge.node);
    },
  };
}

describe('workerSelector on PostgreSQL: an API process and workers labelled region=eu and region=us', () => {
  let database: TempDatabase;
  let sql: pg.Client;
  const servers = new Servers();
  let api: ServerProcess;
  let token = '';
  const client = clientFor(() => token);

  const worker = (name: string, labels: string) =>
    servers.start({ DATABASE_URL: database.config.url, ROLE: 'worker', EXECUTOR_NAME: name, EXECUTOR_LABELS: labels, EXECUTOR_CONCURRENCY: '3', MAX_ACTIVE_RUNS: '20' });

  beforeAll(async () => {
    database = await createTempPostgres('selector');
    const started = await servers.start({ DATABASE_URL: database.config.url, ROLE: 'api' });
    api = started.server;
    token = readFileSync(path.join(started.dataDir, 'admin-token'), 'utf8').trim();
    await worker('worker-eu', 'region=eu,tier=2');
    await worker('worker-us', 'region=us');
    sql = new pg.Client({ connectionString: database.config.url });
    await sql.connect();
  });
  afterAll(async () => {
    await servers.stopAll();
    await sql?.end();
    await database?.drop();
  });

  it('runs every run of a workflow selecting region=eu on the eu worker', async () => {
    const ids = await client.trigger(api, await client.save(api, EU_ONLY), 6);
    const owners = new Set<string | null>();

    const finished = await pollUntil('the eu runs to finish', 30_000, async () => {
      const { rows } = await sql.query<{ status: string; leaseOwner: string | null }>(`SELECT status, "leaseOwner" FROM "Run" WHERE id = ANY($1::text[])`, [ids]);
      for (const row of rows) if (row.status === 'RUNNING') owners.add(row.leaseOwner);
      return rows.every((row) => row.status === 'SUCCEEDED') ? rows : null;
    });

    expect(finished).toHaveLength(6);
    expect([...owners]).toEqual(['worker-eu']);
  });

  it('keeps a run selecting region=ap QUEUED, saying which labels no live worker has, until a worker with them starts', async () => {
    const [id = ''] = await client.trigger(api, await client.save(api, AP_ONLY));
    // Two poll intervals of the workers (1 s each): both have looked at the run and left it.
    await new Promise((resolve) => setTimeout(resolve, 2_500));

    const waiting = await client.run(api, id);
    const listed = (await client.queued(api)).find((run) => run.id === id);

    expect(waiting).toEqual({ id, status: 'QUEUED', queuedReason: 'no live worker has the labels region=ap' });
    expect(listed?.queuedReason).toBe('no live worker has the labels region=ap');

    await worker('worker-ap', 'region=ap');
    const done = await pollUntil('the ap run to finish on the new worker', 20_000, async () => {
      const run = await client.run(api, id);
      return run.status === 'SUCCEEDED' ? run : null;
    });

    expect(done.queuedReason).toBeNull();
  });
});

describe('workerSelector on the embedded SQLite path (one process executes, without labels)', () => {
  let database: TempDatabase;
  const servers = new Servers();
  let server: ServerProcess;
  let token = '';
  const client = clientFor(() => token);

  beforeAll(async () => {
    database = createTempSqlite('selector');
    const started = await servers.start({ DATABASE_URL: database.config.url });
    server = started.server;
    token = readFileSync(path.join(started.dataDir, 'admin-token'), 'utf8').trim();
  });
  afterAll(async () => {
    await servers.stopAll();
    await database?.drop();
  });

  it('runs a workflow without a selector, and keeps one selecting labels the process lacks QUEUED with the reason', async () => {
    const [selected = ''] = await client.trigger(server, await client.save(server, EU_ONLY));
    const [plain = ''] = await client.trigger(server, await client.save(server, ANYWHERE));

    const ran = await pollUntil('the run without a selector to finish', 20_000, async () => {
      const run = await client.run(server, plain);
      return run.status === 'SUCCEEDED' ? run : null;
    });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const waiting = await client.run(server, selected);

    expect(ran.queuedReason).toBeNull();
    expect(waiting).toEqual({ id: selected, status: 'QUEUED', queuedReason: 'no live worker has the labels region=eu' });
  });

  it('says a queued run waits for its workflow\'s maxActiveRuns while an earlier run holds the only place', async () => {
    const [first = '', second = ''] = await client.trigger(server, await client.save(server, ONE_AT_A_TIME), 2);
    await pollUntil('the first run to run', 20_000, async () => ((await client.run(server, first)).status === 'RUNNING' ? true : null));

    const waiting = await client.run(server, second);

    expect(waiting).toEqual({ id: second, status: 'QUEUED', queuedReason: 'its workflow is at its maxActiveRuns limit (1 of 1 active)' });
  });
});
