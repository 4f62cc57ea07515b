import { types } from 'node:util';
import { createWriteStream, openSync, type WriteStream } from 'node:fs';
import { endStepProcesses, markPids, signalStepProcesses, STEP_COOKIE_VARIABLE, type StepProcessMatch } from './process-sweep.ts';
import type { StepLogWriter } from '../services/step-log-writer.ts';
import type { StepLauncher } from './step-launcher.ts';
import type { StepIdentity } from './step-user.ts';

export interface StepProcessOptions {
  shell: string;
  /** Before `-c` or the script file: Dagu's `shell: bash -o errexit`. */
  shellArgs: readonly string[];
  /** A command line for `shell -c`, or a script file for `shell <file>`. */
  command: { kind: 'inline'; text: string } | { kind: 'file'; path: string };
  /** The positional params: `$1`, `$2`… of the command or script. */
  args: readonly string[];
  /** Files that get a copy of stdout and stderr (Dagu's `stdout`/`stderr`), created or emptied; null: none. */
  stdoutFile: string | null;
  stderrFile: string | null;
  /** Keep stderr in memory too, up to captureBytes (for `continue_on.output`). */
  captureStderr: boolean;
  /** What terminate() sends first (Dagu's `signal_on_stop`); SIGKILL follows after the grace period. */
  stopSignal: NodeJS.Signals;
  cwd: string;
  /** Must hold STEP_COOKIE_VARIABLE: what the process and its descendants are found by. */
  env: Readonly<Record<string, string>>;
  /** The user the step runs as; null: the server's own. */
  identity: StepIdentity | null;
  log: StepLogWriter;
  /** Keep stdout in memory too (for `output`), up to this many bytes. */
  captureBytes: number;
  timeoutMs: number | null;
  killGraceMs: number;
  /** Starts the process, outside the server's own (see StepLauncher). */
  launcher: StepLauncher;
}

export interface StepProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** Set when the process could not be started at all: why, for the user to read. */
  spawnError: string | null;
  /** Why an executor's work failed (an HTTP status, an SSH error), for the user to read; a shell step's exit code says it instead. */
  failure: string | null;
}

export interface StepProcess {
  /** Resolves once the step's shell has ended and every process it started is gone. */
  result: Promise<StepProcessResult>;
  /** SIGTERM to everything the step started, SIGKILL after the grace period. */
  terminate(): void;
}

/**
 * Runs one step as a process in its own process group, marked with its cookie. When
 * the shell ends (by itself, by cancel or by timeout) whatever it left running is ended too,
 * in its group or out of it, before the result is given.
 */
export function startStepProcess(options: StepProcessOptions): StepProcess {
  const cookie = options.env[STEP_COOKIE_VARIABLE];
  if (cookie === undefined) throw new Error(`A step process needs ${STEP_COOKIE_VARIABLE} in its environment`);
  // `sh -c TEXT NAME ARGS...` makes ARGS the command's $1, $2…; NAME becomes its $0.
  const args = options.command.kind === 'inline' ? [...options.shellArgs, '-c', options.command.text, options.shell, ...options.args] : [...options.shellArgs, options.command.path, ...options.args];
  let files: { stdout: WriteStream | null; stderr: WriteStream | null };
  try {
    files = { stdout: openCopy(options.stdoutFile), stderr: options.stderrFile === options.stdoutFile ? null : openCopy(options.stderrFile) };
  } catch (error) {
    return { result: Promise.resolve(notStartedResult(`could not open the output file: ${types.isNativeError(error) ? error.message : String(error)}`)), terminate: () => {} };
  }
  const stderrCopy = options.stderrFile === options.stdoutFile ? files.stdout : files.stderr;
  const since = markPids();
  // The step's process group, once the launcher told its pid.
  const groups = new Set<number>();
  const match: StepProcessMatch = { cookies: new Set([cookie]), groups, since };
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  let terminatedAt: number | null = null;
  let killTimer: NodeJS.Timeout | undefined;
  // A failed look into /proc while signalling is reported with the result, not thrown into the event loop.
  let sweepError: unknown = null;
  const signalAll = (name: NodeJS.Signals) => void signalStepProcesses(match, name).catch((error: unknown) => (sweepError ??= error));

  const terminate = () => {
    if (terminatedAt !== null) return;
    terminatedAt = Date.now();
    signalAll(options.stopSignal);
    killTimer = setTimeout(() => signalAll('SIGKILL'), options.killGraceMs);
  };
  const timeout =
    options.timeoutMs === null
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          terminate();
        }, options.timeoutMs);

  const output = (stream: 'stdout' | 'stderr', chunk: Buffer) => {
    options.log.write(chunk);
    if (stream === 'stdout') {
      files.stdout?.write(chunk);
      if (stdout.length < options.captureBytes) stdout += chunk.toString('utf8').slice(0, options.captureBytes - stdout.length);
      return;
    }
    stderrCopy?.write(chunk);
    if (options.captureStderr && stderr.length < options.captureBytes) stderr += chunk.toString('utf8').slice(0, options.captureBytes - stderr.length);
  };

  const result = new Promise<StepProcessResult>((resolve, reject) => {
    let spawnError: string | null = null;
    let failure: string | null = null;
    let settled = false;
    const settle = async (exitCode: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timeout);
      try {
        // Leftovers of a killed step (cancel, timeout) got their SIGTERM then: only the rest of the grace period is left.
        const grace = terminatedAt === null ? options.killGraceMs : Math.max(terminatedAt + options.killGraceMs - Date.now(), 0);
        await endStepProcesses(match, grace);
        await closeCopies(files);
        if (sweepError !== null) throw sweepError;
        resolve({ exitCode: spawnError === null ? exitCode : null, signal, timedOut, stdout, stderr, spawnError, failure });
      } catch (error) {
        reject(types.isNativeError(error) ? error : new Error(String(error)));
      } finally {
        clearTimeout(killTimer);
      }
    };
    options.launcher.launch(
      { file: options.shell, args, cwd: options.cwd, env: options.env, identity: options.identity },
      {
        started: (pid) => {
          groups.add(pid);
          // Stopped before its pid was known: the process group is signalled now too.
          if (terminatedAt !== null) signalAll(options.stopSignal);
        },
        output,
        error: (message, code, started) => {
          if (started) {
            failure = message;
            return;
          }
          spawnError = startFailure(options.shell, message, code);
          // A process that never started has no close to wait for.
          void settle(null, null);
        },
        closed: (exitCode, signal) => void settle(exitCode, signal),
      },
    );
  });
  return { result, terminate };
}

function notStartedResult(reason: string): StepProcessResult {
  return { exitCode: null, signal: null, timedOut: false, stdout: '', stderr: '', spawnError: reason, failure: null };
}

function openCopy(file: string | null): WriteStream | null {
  if (file === null) return null;
  // Opened here, synchronously, so a missing directory fails the step with its reason before anything runs.
  const stream = createWriteStream(file, { fd: openSync(file, 'w', 0o644) });
  // An error while writing the copy (a full disk) must not crash the server; the step's log has everything.
  stream.on('error', () => {});
  return stream;
}

async function closeCopies(files: { stdout: WriteStream | null; stderr: WriteStream | null }): Promise<void> {
  await Promise.all([files.stdout, files.stderr].map((stream) => (stream ? new Promise<void>((resolve) => stream.end(() => resolve())) : Promise.resolve())));
}

function startFailure(shell: string, message: string, code: string | null): string {
  const hint = code === 'E2BIG' ? ' (the environment, with its params, env and outputs, or the command is larger than the system allows)' : '';
  return `could not start "${shell}": ${message}${hint}`;
}
