// Every child process a bench starts, so that an error or Ctrl-C leaves none behind.
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { BenchFailure } from './bench-failure.ts';

const NODE_MODULES = path.join(__dirname, '..', '..', 'node_modules');

const running = new Set<ChildProcess>();

process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** A TypeScript module as a child process with an IPC channel (structured clone, so typed arrays pass). */
export function forkScript(file: string): ChildProcess {
  return track(fork(file, [], { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
}

/**
 * A TypeScript module compiled to `outDir` and run by plain node, for a process whose memory is
 * measured: tsx's loader alone holds about 50 MB. Only type imports may point outside node_modules.
 */
export function forkCompiled(file: string, outDir: string): ChildProcess {
  const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  const compiled = path.join(outDir, path.basename(file).replace(/\.ts$/, '.cjs'));
  writeFileSync(compiled, outputText);
  // No execArgv: fork would otherwise pass on this process's, tsx's loader among them.
  return track(fork(compiled, [], { env: { ...process.env, NODE_PATH: NODE_MODULES }, execArgv: [], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
}

/** What a server script forked by `forkListening` sends once it listens. */
export interface Listening {
  type: 'listening';
  port: number;
}

/**
 * A server script of the bench's own (a floor), compiled and forked as by `forkCompiled`, handed
 * `setup` as its first message when there is one; resolves once it reports its port.
 */
export async function forkListening(file: string, outDir: string, setup?: object): Promise<{ child: ChildProcess; port: number }> {
  const child = forkCompiled(file, outDir);
  const port = new Promise<number>((resolve, reject) => {
    child.once('message', (message: Listening) => resolve(message.port));
    child.once('exit', (code, signal) => reject(new BenchFailure(`${path.basename(file)} exited (${code ?? signal}) before it listened`)));
  });
  if (setup) child.send(setup);
  return { child, port: await port };
}

/** SIGTERM, then SIGKILL when the child has not exited after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (!running.has(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
