// The one way a benchmark runs the real server (`node dist/main.js`) as a child process: a
// port, the settings benchmarks share, a readiness probe, its log, and a clean stop.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BenchFailure } from './bench-failure.ts';
import { stopChild, track } from './children.ts';

export const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');

const POLL_MS = 100;
const STILL_WAITING_EVERY_MS = 30 * 1000;

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** True once `/readyz` answers 200 (database reachable, migrations applied, recovery over); with `'/healthz'`, once the server listens. */
export async function isReady(url: string, probe: '/readyz' | '/healthz' = '/readyz'): Promise<boolean> {
  try {
    const response = await fetch(`${url}${probe}`);
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** The last lines of a server log, for failure messages. */
export function tail(file: string): string {
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-20).join('\n');
}

/** Builds what the server runs: dist/ only, or also the UI's .next/, each only when its sources changed. */
export function build(what: 'server' | 'server and UI'): void {
  const args = what === 'server' ? ['scripts/build-if-stale.ts', '--server'] : ['scripts/build-if-stale.ts'];
  const result = spawnSync(path.join(REPOSITORY_ROOT, 'node_modules', '.bin', 'tsx'), args, { cwd: REPOSITORY_ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new BenchFailure(`building the ${what} failed (exit ${result.status ?? result.signal}); see the output above`);
}

export interface BenchServerOptions {
  dataDir: string;
  databaseUrl: string;
  /** The log file's name in dataDir. */
  logName: string;
  /** Settings of this benchmark, over the shared ones (undefined removes one). */
  env: Record<string, string | undefined>;
  readyTimeoutMs: number;
  /** `listening`: resolve once `/healthz` answers, not waiting for `/readyz` (the server recovers after it listens). */
  until?: 'ready' | 'listening';
  /** How long `stop` waits after SIGTERM before SIGKILL. */
  stopGraceMs: number;
  /** Node's own options before the script, such as --cpu-prof. */
  nodeOptions?: readonly string[];
  /** Called every 30 s while the server is still starting. */
  stillStarting?(seconds: number): void;
}

export interface BenchServer {
  url: string;
  pid: number;
  logFile: string;
  /** SIGTERM, then SIGKILL after the options' `stopGraceMs`. */
  stop(): Promise<void>;
}

/**
 * The server on a free port of 127.0.0.1 with the settings benchmarks share: production, no
 * engine or scheduler (the history stays as seeded), no examples, no per-token rate limit
 * (one token makes every request of a benchmark: the limit would measure itself), an empty
 * workflows directory, JSON logs in the data directory.
 */
export async function startBenchServer(options: BenchServerOptions): Promise<BenchServer> {
  const port = await freePort();
  const workflowsDir = path.join(options.dataDir, 'workflows');
  mkdirSync(workflowsDir, { recursive: true });
  const logFile = path.join(options.dataDir, options.logName);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: options.dataDir,
    DATABASE_URL: options.databaseUrl,
    WORKFLOWS_DIR: workflowsDir,
    ENGINE: 'off',
    SCHEDULER: 'off',
    UI: 'false',
    LOAD_EXAMPLES: 'false',
    RATE_LIMIT_PER_TOKEN: '0',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    ...options.env,
  };
  for (const [name, value] of Object.entries(options.env)) if (value === undefined) delete env[name];
  const output = openSync(logFile, 'w');
  // Tracked, so a bench stopped by an error or Ctrl-C leaves no server behind.
  const child = track(spawn(process.execPath, [...(options.nodeOptions ?? []), path.join(REPOSITORY_ROOT, 'dist', 'main.js')], { cwd: REPOSITORY_ROOT, env, stdio: ['ignore', output, output] }));
  closeSync(output);
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(url, exited, logFile, options);
  return {
    url,
    pid: child.pid ?? 0,
    logFile,
    stop: () => stopChild(child, options.stopGraceMs),
  };
}

async function waitUntilReady(url: string, exited: Promise<number | string | null>, logFile: string, options: BenchServerOptions): Promise<void> {
  const started = performance.now();
  let lastNote = started;
  let exitCode: number | string | null | undefined;
  void exited.then((code) => (exitCode = code));
  for (;;) {
    if (exitCode !== undefined) throw new BenchFailure(`the server exited (${exitCode}) before it was ready; the end of ${logFile}:\n${tail(logFile)}`);
    if (await isReady(url, options.until === 'listening' ? '/healthz' : '/readyz')) return;
    const now = performance.now();
    if (now - started > options.readyTimeoutMs) throw new BenchFailure(`the server was not ready after ${Math.round(options.readyTimeoutMs / 1000)} s; see ${logFile}`);
    if (options.stillStarting && now - lastNote > STILL_WAITING_EVERY_MS) {
      lastNote = now;
      options.stillStarting(Math.round((now - started) / 1000));
    }
    await sleep(POLL_MS);
  }
}
