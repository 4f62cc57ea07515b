// The real server (`node dist/main.js`) on the bench dataset, and what /proc says about its memory.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { freePort, isReady, tail } from '../shared/local-server';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BenchFailure } from './bench-failure';
import { REPOSITORY_ROOT, type Dataset } from './dataset';

// Recovery after a fresh seed settles every run the seed left RUNNING, one transaction each.
const READY_TIMEOUT_MS = 30 * 60 * 1000;
const STOP_TIMEOUT_MS = 60 * 1000;
const POLL_MS = 250;
const STILL_WAITING_EVERY_MS = 30 * 1000;

export interface ServerProcess {
  url: string;
  pid: number;
  logFile: string;
  stop(): Promise<void>;
}

/** `runtrail seed` and the server run the compiled code in dist/. */
export function buildServer(): void {
  const result = spawnSync(path.join(REPOSITORY_ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/build-if-stale.ts', '--server'], {
    cwd: REPOSITORY_ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new BenchFailure(`building the server failed (exit ${result.status ?? result.signal}); see the output above`);
}

const running = new Set<ChildProcess>();

// A bench stopped by an error or Ctrl-C leaves no server behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGTERM');
});

export async function startServer(
  dataset: Dataset,
  settings: { label: string; answerCache: boolean },
  log: (line: string) => void,
): Promise<ServerProcess> {
  const port = await freePort();
  const workflowsDir = path.join(dataset.dataDir, 'workflows');
  mkdirSync(workflowsDir, { recursive: true });
  const logFile = path.join(dataset.dataDir, `server-${settings.label}.log`);
  const output = openSync(logFile, 'w');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataset.dataDir,
    DATABASE_URL: dataset.databaseUrl,
    // An empty directory: the server loads WORKFLOWS_DIR (default ./workflows) into the default project.
    WORKFLOWS_DIR: workflowsDir,
    // API only: the seed's QUEUED and WAITING runs stay as seeded, so the database is quiet
    // and the server measured is the one that answers history.
    ENGINE: 'off',
    UI: 'false',
    LOAD_EXAMPLES: 'false',
    // One token makes every request of the benchmark: the per-token limit would measure itself.
    RATE_LIMIT_PER_TOKEN: '0',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
  };
  delete env.ANSWER_CACHE_MB;
  if (!settings.answerCache) env.ANSWER_CACHE_MB = '0';
  const child = spawn(process.execPath, [path.join(REPOSITORY_ROOT, 'dist', 'main.js')], { cwd: REPOSITORY_ROOT, env, stdio: ['ignore', output, output] });
  closeSync(output);
  running.add(child);
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  void exited.then(() => running.delete(child));
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(url, exited, logFile, log);
  return {
    url,
    pid: child.pid ?? 0,
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

async function waitUntilReady(url: string, exited: Promise<number | string | null>, logFile: string, log: (line: string) => void): Promise<void> {
  const started = performance.now();
  let lastNote = started;
  let exitCode: number | string | null | undefined;
  void exited.then((code) => (exitCode = code));
  for (;;) {
    if (exitCode !== undefined) throw new BenchFailure(`the server exited (${exitCode}) before it was ready; the end of ${logFile}:\n${tail(logFile)}`);
    if (await isReady(url)) return;
    const now = performance.now();
    if (now - started > READY_TIMEOUT_MS) throw new BenchFailure(`the server was not ready after ${READY_TIMEOUT_MS / 60_000} minutes; see ${logFile}`);
    if (now - lastNote > STILL_WAITING_EVERY_MS) {
      lastNote = now;
      log(`  still starting after ${Math.round((now - started) / 1000)}s (recovery settles the runs the seed left RUNNING)`);
    }
    await sleep(POLL_MS);
  }
}

/** VmHWM of /proc/<pid>/status in bytes: the most the process ever held resident. Null off Linux. */
export function peakRss(pid: number): number | null {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Resets VmHWM to the current RSS (Linux 4.0+), so a later reading covers only what came after. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
