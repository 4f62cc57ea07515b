import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const GRACE_MS = 3_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The last status `url` answered (0: no answer) once it is 200 or `timeoutMs` have passed. */
async function statusOnce200(url: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(url).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200 || Date.now() > deadline) return status;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The promise's value, or 'still running' once `ms` have passed. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | 'still running'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'still running'>((resolve) => (timer = setTimeout(() => resolve('still running'), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('a server whose stdout is a pipe nobody reads', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-stalled-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps serving while its log fills the pipe, and exits 0 on SIGTERM within SHUTDOWN_GRACE_MS', async () => {
    const workflowsDir = path.join(dataDir, 'workflows');
    mkdirSync(workflowsDir);
    // Each file loaded is a log line with its long path: far more than a pipe holds (64 KiB).
    for (let index = 0; index < 300; index += 1) {
      writeFileSync(path.join(workflowsDir, `${'w'.repeat(150)}-${index}.yaml`), 'steps:\n  - name: a\n    command: "true"\n');
    }
    const port = await freePort();
    // `runtrail start | sleep 900`: the read end of the server's stdout belongs to a process that never reads.
    const sleeper = spawn('sleep', ['900'], { stdio: ['pipe', 'ignore', 'ignore'] });
    const server = spawn(process.execPath, [path.join(root, 'dist', 'main.js')], {
      cwd: root,
      stdio: ['ignore', sleeper.stdin, 'pipe'],
      env: {
        NODE_ENV: 'production',
        PATH: process.env.PATH ?? '',
        PORT: String(port),
        HOST: '127.0.0.1',
        UI: 'false',
        SCHEDULER: 'off',
        LOAD_EXAMPLES: 'false',
        DATA_DIR: dataDir,
        WORKFLOWS_DIR: workflowsDir,
        SHUTDOWN_GRACE_MS: String(GRACE_MS),
        LOG_BUFFER_BYTES: String(16 * 1024),
      },
    });
    // The server holds its own copy of the write end.
    sleeper.stdin.destroy();
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    try {
      const live = await statusOnce200(`http://127.0.0.1:${port}/healthz`, 30_000);
      // Ready once the rest of its start-up (the engine's recovery) is done, which a loaded machine takes a while for.
      const ready = await statusOnce200(`http://127.0.0.1:${port}/readyz`, 30_000);

      server.kill('SIGTERM');
      const code = await within(exited, GRACE_MS + 2_000);

      expect(live).toBe(200);
      expect(ready).toBe(200);
      expect(code).toBe(0);
    } finally {
      server.kill('SIGKILL');
      sleeper.kill('SIGKILL');
    }
  });
});
