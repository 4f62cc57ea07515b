// The real server (`node dist/main.js`) with its UI, on the bench dataset. bench:history's
// server runs API-only; this one serves the Next.js production build from .next/.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BenchFailure } from '../history/bench-failure';
import { REPOSITORY_ROOT, type Dataset } from '../history/dataset';
import { freePort, isReady, tail } from '../shared/local-server';

const READY_TIMEOUT_MS = 10 * 60 * 1000;
const STOP_TIMEOUT_MS = 60 * 1000;
const POLL_MS = 250;

export interface UiServer {
  url: string;
  logFile: string;
  stop(): Promise<void>;
}

/** The server (dist/) and the UI (.next/), each rebuilt only when its sources changed. */
export function buildServerAndUi(): void {
  const result = spawnSync(path.join(REPOSITORY_ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/build-if-stale.ts'], { cwd: REPOSITORY_ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new BenchFailure(`building the server and the UI failed (exit ${result.status ?? result.signal}); see the output above`);
}

const running = new Set<ChildProcess>();

// A bench stopped by an error or Ctrl-C leaves no server behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGTERM');
});

export async function startUiServer(dataset: Dataset): Promise<UiServer> {
  const port = await freePort();
  const workflowsDir = path.join(dataset.dataDir, 'workflows');
  mkdirSync(workflowsDir, { recursive: true });
  const logFile = path.join(dataset.dataDir, 'server-ui.log');
  const output = openSync(logFile, 'w');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataset.dataDir,
    DATABASE_URL: dataset.databaseUrl,
    WORKFLOWS_DIR: workflowsDir,
    // The history as seeded, unchanged while it is measured: both sides must show the same rows.
    ENGINE: 'off',
    SCHEDULER: 'off',
    UI: 'true',
    LOAD_EXAMPLES: 'false',
    // One browser session makes every request: the per-token limit would measure itself.
    RATE_LIMIT_PER_TOKEN: '0',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
  };
  delete env.ANSWER_CACHE_MB;
  const child = spawn(process.execPath, [path.join(REPOSITORY_ROOT, 'dist', 'main.js')], { cwd: REPOSITORY_ROOT, env, stdio: ['ignore', output, output] });
  closeSync(output);
  running.add(child);
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  void exited.then(() => running.delete(child));
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(url, exited, logFile);
  return {
    url,
    logFile,
    stop: async () => {
      if (!running.has(child)) return;
      child.kill('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), sleep(STOP_TIMEOUT_MS).then(() => false)]);
      if (!stopped) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

async function waitUntilReady(url: string, exited: Promise<number | string | null>, logFile: string): Promise<void> {
  const started = performance.now();
  let exitCode: number | string | null | undefined;
  void exited.then((code) => (exitCode = code));
  for (;;) {
    if (exitCode !== undefined) throw new BenchFailure(`the server exited (${exitCode}) before it was ready; the end of ${logFile}:\n${tail(logFile)}`);
    if (await isReady(url)) return;
    if (performance.now() - started > READY_TIMEOUT_MS) throw new BenchFailure(`the server was not ready after ${READY_TIMEOUT_MS / 60_000} minutes; see ${logFile}`);
    await sleep(POLL_MS);
  }
}
