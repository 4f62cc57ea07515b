// The processes the bench measures: one `runtrail api` and the workers beside it, on one
// PostgreSQL database, each with a data directory of its own; and the bench's own connection
// to that database, where it reads the runs' times afterwards.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { BenchFailure } from '../shared/bench-failure.ts';
import { startBenchServer, type BenchServer } from '../shared/server-process.ts';

const READY_TIMEOUT_MS = 2 * 60 * 1000;
const STOP_GRACE_MS = 15 * 1000;
// A killed step's processes get this long after SIGTERM: steps here are `true` and `sleep 1`.
const KILL_GRACE_MS = 500;

export interface WorkerSettings {
  name: string;
  concurrency: number;
  leaseSeconds: number;
}

export class Cluster {
  private constructor(
    readonly api: BenchServer,
    readonly sql: pg.Client,
    private readonly token: string,
    private readonly projectId: string,
    private readonly options: { dataDir: string; databaseUrl: string; maxActiveRuns: number },
  ) {}

  /** The API process first: it migrates the new database and writes the admin token. */
  static async start(options: { dataDir: string; databaseUrl: string; maxActiveRuns: number }): Promise<Cluster> {
    const dataDir = path.join(options.dataDir, 'api');
    const api = await startBenchServer({
      dataDir,
      databaseUrl: options.databaseUrl,
      logName: 'api.log',
      env: { ROLE: 'api', MAX_ACTIVE_RUNS: String(options.maxActiveRuns) },
      readyTimeoutMs: READY_TIMEOUT_MS,
      stopGraceMs: STOP_GRACE_MS,
    });
    const tokenFile = path.join(dataDir, 'admin-token');
    if (!existsSync(tokenFile)) throw new BenchFailure(`the API process started without writing ${tokenFile}: is ${options.databaseUrl} really new?`);
    const token = readFileSync(tokenFile, 'utf8').trim();
    const sql = new pg.Client({ connectionString: options.databaseUrl });
    await sql.connect();
    const { projects } = await graphql<{ projects: { id: string }[] }>(api.url, token, '{ projects { id } }');
    const [project] = projects;
    if (!project) throw new BenchFailure('the new database has no project');
    return new Cluster(api, sql, token, project.id, options);
  }

  async saveWorkflow(yaml: string): Promise<string> {
    const saved = await graphql<{ saveWorkflow: { id: string } }>(this.api.url, this.token, 'mutation ($p: ID!, $y: String!) { saveWorkflow(projectId: $p, yaml: $y) { id } }', {
      p: this.projectId,
      y: yaml,
    });
    return saved.saveWorkflow.id;
  }

  async trigger(workflowId: string): Promise<string> {
    const { triggerRun } = await graphql<{ triggerRun: { id: string } }>(this.api.url, this.token, 'mutation ($id: ID!) { triggerRun(workflowId: $id) { id } }', { id: workflowId });
    return triggerRun.id;
  }

  /** `runtrail worker` under this name, ready once /readyz answers. */
  startWorker(settings: WorkerSettings): Promise<BenchServer> {
    return startBenchServer({
      dataDir: this.workerDataDir(settings.name),
      databaseUrl: this.options.databaseUrl,
      logName: 'worker.log',
      env: {
        ROLE: 'worker',
        ENGINE: 'on',
        EXECUTOR_NAME: settings.name,
        EXECUTOR_CONCURRENCY: String(settings.concurrency),
        MAX_ACTIVE_RUNS: String(this.options.maxActiveRuns),
        LEASE_SECONDS: String(settings.leaseSeconds),
        KILL_GRACE_MS: String(KILL_GRACE_MS),
      },
      readyTimeoutMs: READY_TIMEOUT_MS,
      stopGraceMs: STOP_GRACE_MS,
    });
  }

  /**
   * Which of the runs the worker of this name executed: each step's log file is kept in
   * DATA_DIR/logs/<runId>/ of the machine that ran it, and every worker here has a data directory of its own.
   */
  runsExecutedBy(name: string, runIds: ReadonlySet<string>): number {
    const logs = path.join(this.workerDataDir(name), 'logs');
    return existsSync(logs) ? readdirSync(logs).filter((entry) => runIds.has(entry)).length : 0;
  }

  private workerDataDir(name: string): string {
    return path.join(this.options.dataDir, name);
  }

  async stop(): Promise<void> {
    await this.sql.end();
    await this.api.stop();
  }
}

async function graphql<T>(url: string, token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (!body.data) throw new BenchFailure(`GraphQL failed (HTTP ${response.status}): ${JSON.stringify(body.errors)}`);
  return body.data;
}
