import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

export interface ServerProcess {
  child: ChildProcessWithoutNullStreams;
  url: string;
  /** Every JSON log line the process wrote so far. */
  logs: Record<string, unknown>[];
  stdout(): string;
  /** What the process wrote to stderr so far (a crash's stack). */
  stderr(): string;
  exited: Promise<number | null>;
  /** Resolves once /readyz answers 200 (start-up recovery has ended). */
  ready(timeoutMs?: number): Promise<void>;
}

async function waitUntilReady(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${url}/readyz`);
    if (response.status === 200) return;
    if (Date.now() > deadline) throw new Error(`${url} was not ready after ${timeoutMs} ms: ${await response.text()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Starts `node dist/main.js` (the real entry point) and resolves once it listens. */
export function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, [path.join(root, 'dist', 'main.js')], {
    cwd: root,
    env: { NODE_ENV: 'production', PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', UI: 'false', LOG_FORMAT: 'json', ...env },
  });
  const logs: Record<string, unknown>[] = [];
  let output = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let partial = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // A line may arrive in two chunks: only whole lines are parsed.
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (entry.msg === 'server.listening' && typeof entry.url === 'string') {
          const url = entry.url;
          resolve({ child, url, logs, stdout: () => output, stderr: () => stderr, exited, ready: (timeoutMs) => waitUntilReady(url, timeoutMs) });
        }
      }
    });
    void exited.then((code) => reject(new Error(`The server exited (${code}) before listening:\n${output}\n${stderr}`)));
  });
}

/**
 * One process of a cluster on a shared database (`runtrail api` or `runtrail worker`), with a
 * data directory of its own (added to `dataDirs` for the test to remove), once it is ready.
 */
export async function startClusterProcess(options: {
  databaseUrl: string;
  role: 'api' | 'worker';
  leaseSeconds: number;
  dataDirs: string[];
  name?: string;
  env?: Record<string, string>;
}): Promise<ServerProcess> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `runtrail-${options.role}-`));
  options.dataDirs.push(dataDir);
  const server = await startServerProcess({
    DATA_DIR: dataDir,
    DATABASE_URL: options.databaseUrl,
    ROLE: options.role,
    SCHEDULER: 'off',
    LOAD_EXAMPLES: 'false',
    LEASE_SECONDS: String(options.leaseSeconds),
    KILL_GRACE_MS: '200',
    ...(options.name ? { EXECUTOR_NAME: options.name } : {}),
    ...options.env,
  });
  await server.ready();
  return server;
}

/** `runtrail seed` (the built CLI, as users run it) into the database `env` names; throws with its stderr when it fails. */
export function seedWithCli(options: { dataDir: string; runs: number; projects: number; workflows: number; days: number; env?: Record<string, string>; timeoutMs: number }): void {
  const { dataDir, runs, projects, workflows, days, env = {}, timeoutMs } = options;
  const seeded = spawnSync(process.execPath, [path.join(root, 'bin', 'runtrail'), 'seed', '--runs', String(runs), '--projects', String(projects), '--workflows', String(workflows), '--days', String(days)], {
    cwd: root,
    encoding: 'utf8',
    env: { NODE_ENV: 'production', PATH: process.env.PATH ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'warn', LOAD_EXAMPLES: 'false', ...env },
    timeout: timeoutMs,
  });
  if (seeded.status !== 0) throw new Error(`seed failed: ${seeded.stderr}`);
}

/** SIGKILLs the servers still running and waits for each to exit. */
export async function killServers(servers: readonly ServerProcess[]): Promise<void> {
  for (const server of servers) {
    if (server.child.exitCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
  }
}
