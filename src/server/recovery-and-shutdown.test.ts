import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pino from 'pino';
import { openDatabase } from '../db/client.ts';
import { processClient } from '../test/process-client.ts';
import { busyPastStretch, seederFor } from '../test/seeder.ts';
import { startServerProcess, type ServerProcess } from '../test/server-process.ts';

const GRACE_MS = 5_000;

interface RunRow {
  id: string;
  status: string;
  error: string | null;
}

describe('a server process over a large history with unfinished runs', () => {
  let dataDir: string;
  let workflowsDir: string;
  let server: ServerProcess | null = null;
  const env = () => ({ DATA_DIR: dataDir, WORKFLOWS_DIR: workflowsDir, SCHEDULER: 'off', LOAD_EXAMPLES: 'false', SHUTDOWN_GRACE_MS: String(GRACE_MS) });

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-recovery-'));
    workflowsDir = path.join(dataDir, 'workflows');
    mkdirSync(workflowsDir);
    writeFileSync(path.join(workflowsDir, 'long.yaml'), 'steps:\n  - name: work\n    command: sleep 60\n');
    server = await startServerProcess(env());
    server.child.kill('SIGTERM');
    await server.exited;
    // 30,000 runs in a busy hour and a half leave hundreds RUNNING (lost) and WAITING for approval, and a few QUEUED.
    const database = await openDatabase({ provider: 'sqlite', url: `file:${path.join(dataDir, 'runtrail.db')}` }, pino({ level: 'silent' }));
    try {
      await seederFor(database).seed({ runs: 30_000, ...busyPastStretch(90) });
    } finally {
      await database.close();
    }
  });
  afterAll(() => {
    server?.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  const { graphql: graphqlTo } = processClient(() => readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim());
  const graphql = <T>(text: string, variables: Record<string, unknown> = {}): Promise<T> => {
    if (!server) throw new Error('no server process is running');
    return graphqlTo<T>(server, text, variables);
  };

  /** Runs recovery put back in the queue: each of its running steps had a retry left. */
  function requeuedRuns(): Set<string> {
    const sqlite = new BetterSqlite3(path.join(dataDir, 'runtrail.db'), { readonly: true });
    try {
      const rows = sqlite.prepare(`SELECT "runId" FROM "RunEvent" WHERE "stepRunId" IS NULL AND "from" = 'RUNNING' AND "to" = 'QUEUED'`).all() as { runId: string }[];
      return new Set(rows.map((row) => row.runId));
    } finally {
      sqlite.close();
    }
  }

  function runsIn(status: string): RunRow[] {
    const sqlite = new BetterSqlite3(path.join(dataDir, 'runtrail.db'), { readonly: true });
    try {
      return sqlite.prepare(`SELECT id, status, error FROM "Run" WHERE status = ? ORDER BY id`).all(status) as RunRow[];
    } finally {
      sqlite.close();
    }
  }

  it('listens before recovery: /healthz and reads answer while /readyz says recovering, then ready', async () => {
    const lost = runsIn('RUNNING');
    server = await startServerProcess(env());
    const readyz = await fetch(`${server.url}/readyz`);
    const recovering = { status: readyz.status, body: (await readyz.json()) as Record<string, unknown> };
    const healthz = await fetch(`${server.url}/healthz`);
    const read = await graphql<{ runs: { totalCount: number } }>('{ runs(first: 1) { totalCount } }');
    await server.ready();
    const settled = runsIn('FAILED').filter((run) => run.error === 'executor lost');
    const requeued = requeuedRuns();

    expect(lost.length).toBeGreaterThan(100);
    expect(recovering).toEqual({ status: 503, body: { status: 'not ready', reason: 'recovering', settled: expect.any(Number), total: expect.any(Number) } });
    expect(recovering.body.settled).toBeLessThan(Number(recovering.body.total));
    expect(healthz.status).toBe(200);
    expect(read.runs.totalCount).toBeGreaterThanOrEqual(30_000);
    expect(settled.map((run) => run.id)).toEqual(expect.arrayContaining(lost.filter((run) => !requeued.has(run.id)).map((run) => run.id)));
  });

  it('on SIGTERM aborts what runs, keeps runs waiting for approval WAITING for the next start, and exits 0 within SHUTDOWN_GRACE_MS', async () => {
    if (!server) throw new Error('the previous test starts the server');
    const { workflows } = (await graphql<{ workflows: { edges: { node: { id: string; name: string } }[] } }>('{ workflows(first: 100) { edges { node { id name } } } }'));
    const long = workflows.edges.find((edge) => edge.node.name === 'long')?.node.id;
    const { triggerRun } = (await graphql<{ triggerRun: { id: string } }>('mutation ($id: ID!) { triggerRun(workflowId: $id) { id } }', { id: long }));
    const deadline = Date.now() + 20_000;
    while (!runsIn('RUNNING').some((run) => run.id === triggerRun.id) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const waiting = runsIn('WAITING');

    const stopped = Date.now();
    server.child.kill('SIGTERM');
    const code = await server.exited;
    const tookMs = Date.now() - stopped;
    const aborted = runsIn('ABORTED').filter((run) => run.id === triggerRun.id);
    const stillWaiting = runsIn('WAITING');

    server = await startServerProcess(env());
    await server.ready();
    const first = waiting[0]?.id ?? '';
    const { run } = (await graphql<{ run: { steps: { name: string; status: string }[] } }>('query ($id: ID!) { run(id: $id) { steps { name status } } }', { id: first }));
    const step = run.steps.find((candidate) => candidate.status === 'WAITING')?.name;
    await graphql('mutation ($id: ID!, $step: String!) { approveStep(runId: $id, step: $step) { id } }', { id: first, step });

    expect(waiting.length).toBeGreaterThan(100);
    expect(code).toBe(0);
    expect(tookMs).toBeLessThan(GRACE_MS);
    expect(aborted).toEqual([{ id: triggerRun.id, status: 'ABORTED', error: 'Server stopped' }]);
    // Queued runs kept starting until the signal; some of them went on to wait too.
    expect(stillWaiting).toEqual(expect.arrayContaining(waiting));
    expect(runsIn('WAITING').some((row) => row.id === first)).toBe(false);
  });
});
