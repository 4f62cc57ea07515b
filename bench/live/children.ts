// Every child process the bench starts, so that an error or Ctrl-C leaves none behind.
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const running = new Set<ChildProcess>();

process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** A TypeScript module of bench/live/ as a child process with an IPC channel (structured clone, so typed arrays pass). */
export function forkScript(file: string): ChildProcess {
  return track(fork(path.join(__dirname, file), [], { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
}

/**
 * A TypeScript module of bench/live/ compiled to `outDir` and run by plain node, for a process
 * whose memory is measured: tsx's loader alone holds about 50 MB. Only type imports may point
 * outside node_modules.
 */
export function forkCompiled(file: string, outDir: string): ChildProcess {
  const source = readFileSync(path.join(__dirname, file), 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } });
  const compiled = path.join(outDir, file.replace(/\.ts$/, '.cjs'));
  writeFileSync(compiled, outputText);
  const env = { ...process.env, NODE_PATH: path.join(__dirname, '..', '..', 'node_modules') };
  // No execArgv: fork would otherwise pass on this process's, tsx's loader among them.
  return track(fork(compiled, [], { env, execArgv: [], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
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

