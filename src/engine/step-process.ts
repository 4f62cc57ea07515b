import { spawn } from 'node:child_process';
import type { CappedLogWriter } from './step-log.ts';

export interface StepProcessOptions {
  shell: string;
  /** A command line for `shell -c`, or a script file for `shell <file>`. */
  command: { kind: 'inline'; text: string } | { kind: 'file'; path: string };
  cwd: string;
  env: NodeJS.ProcessEnv;
  log: CappedLogWriter;
  /** Keep stdout in memory too (for `output`), up to this many bytes. */
  captureBytes: number;
  timeoutMs: number | null;
  killGraceMs: number;
}

export interface StepProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  /** Set when the process could not be started at all. */
  spawnError: string | null;
}

export interface StepProcess {
  pid: number | undefined;
  result: Promise<StepProcessResult>;
  /** SIGTERM to the whole process group, SIGKILL after the grace period. */
  terminate(): void;
}

/** For recovery: what a dead server's step left running is killed outright. */
export function killProcessGroup(pid: number): void {
  signalGroup(pid, 'SIGKILL');
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Runs one step as a child process in its own process group (so a kill reaches its children). */
export function startStepProcess(options: StepProcessOptions): StepProcess {
  const args = options.command.kind === 'inline' ? ['-c', options.command.text] : [options.command.path];
  const child = spawn(options.shell, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let timedOut = false;
  let killTimer: NodeJS.Timeout | undefined;

  const terminate = () => {
    if (killTimer) return;
    signalGroup(child.pid, 'SIGTERM');
    killTimer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), options.killGraceMs);
  };
  const timeout =
    options.timeoutMs === null
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          terminate();
        }, options.timeoutMs);

  child.stdout.on('data', (chunk: Buffer) => {
    options.log.write(chunk);
    if (stdout.length < options.captureBytes) stdout += chunk.toString('utf8').slice(0, options.captureBytes - stdout.length);
  });
  child.stderr.on('data', (chunk: Buffer) => options.log.write(chunk));

  const result = new Promise<StepProcessResult>((resolve) => {
    let spawnError: string | null = null;
    child.once('error', (error) => {
      spawnError = error.message;
    });
    child.once('close', (exitCode, signal) => {
      clearTimeout(timeout);
      clearTimeout(killTimer);
      // The group may still hold grandchildren that ignored SIGTERM or outlived the shell.
      if (timedOut || killTimer) signalGroup(child.pid, 'SIGKILL');
      resolve({ exitCode, signal, timedOut, stdout, spawnError });
    });
  });
  return { pid: child.pid, result, terminate };
}
