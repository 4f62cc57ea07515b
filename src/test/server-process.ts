import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
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
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      for (const line of chunk.toString().split('\n')) {
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (entry.msg === 'server.listening' && typeof entry.url === 'string') {
          resolve({ child, url: entry.url, logs, stdout: () => output, stderr: () => stderr, exited });
        }
      }
    });
    void exited.then((code) => reject(new Error(`The server exited (${code}) before listening:\n${output}\n${stderr}`)));
  });
}
