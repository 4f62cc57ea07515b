// The real server (`node dist/main.js`), API only, streaming what the bench's writer publishes
// on the shared Redis bus.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BenchFailure } from '../history/bench-failure';
import { REPOSITORY_ROOT } from '../history/dataset';
import { freePort, isReady, tail } from '../shared/local-server';
import { stopChild, track } from './children';

const READY_TIMEOUT_MS = 2 * 60 * 1000;
const STOP_GRACE_MS = 30 * 1000;
const POLL_MS = 100;

export interface LiveServer {
  url: string;
  pid: number;
  logFile: string;
  adminToken: string;
  stop(): Promise<void>;
}

export interface LiveServerSettings {
  dataDir: string;
  databaseUrl: string;
  redisUrl: string;
  /** Events a subscriber may fall behind before RESYNC: large, so the bench measures delivery, not cut-offs. */
  subscriptionBuffer: number;
}

export async function startLiveServer(settings: LiveServerSettings): Promise<LiveServer> {
  const port = await freePort();
  const workflowsDir = path.join(settings.dataDir, 'workflows');
  mkdirSync(workflowsDir, { recursive: true });
  const logFile = path.join(settings.dataDir, 'server.log');
  const output = openSync(logFile, 'w');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: settings.dataDir,
    DATABASE_URL: settings.databaseUrl,
    REDIS_URL: settings.redisUrl,
    // An empty directory: the server loads WORKFLOWS_DIR (default ./workflows) into the default project.
    WORKFLOWS_DIR: workflowsDir,
    ENGINE: 'off',
    SCHEDULER: 'off',
    UI: 'false',
    LOAD_EXAMPLES: 'false',
    // One token makes every request of the benchmark: the per-token limit would measure itself.
    RATE_LIMIT_PER_TOKEN: '0',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    SUBSCRIPTION_BUFFER: String(settings.subscriptionBuffer),
  };
  const child = track(spawn(process.execPath, [path.join(REPOSITORY_ROOT, 'dist', 'main.js')], { cwd: REPOSITORY_ROOT, env, stdio: ['ignore', output, output] }));
  closeSync(output);
  let exitCode: number | string | null | undefined;
  child.once('exit', (code, signal) => (exitCode = code ?? signal));
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  while (!(await isReady(url))) {
    if (exitCode !== undefined) throw new BenchFailure(`the server exited (${exitCode}) before it was ready; the end of ${logFile}:\n${tail(logFile)}`);
    if (performance.now() - started > READY_TIMEOUT_MS) throw new BenchFailure(`the server was not ready after ${READY_TIMEOUT_MS / 1000} s; see ${logFile}`);
    await sleep(POLL_MS);
  }
  const tokenFile = path.join(settings.dataDir, 'admin-token');
  if (!existsSync(tokenFile)) throw new BenchFailure(`the server started without writing ${tokenFile}: is ${settings.databaseUrl} really new?`);
  return {
    url,
    pid: child.pid ?? 0,
    logFile,
    adminToken: readFileSync(tokenFile, 'utf8').trim(),
    stop: () => stopChild(child, STOP_GRACE_MS),
  };
}

/** `{ headSnapshot }` over HTTP: the seq a subscriber passes as afterSeq to miss nothing from now on. */
export async function headSnapshot(server: LiveServer): Promise<string> {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.adminToken}` },
    body: JSON.stringify({ query: '{ headSnapshot }' }),
  });
  const body = (await response.json()) as { data?: { headSnapshot?: string }; errors?: unknown[] };
  const head = body.data?.headSnapshot;
  if (head === undefined) throw new BenchFailure(`{ headSnapshot } failed: ${JSON.stringify(body.errors)}`);
  return head;
}
