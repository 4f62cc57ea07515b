import { types } from 'node:util';
import type { ExecutorSpec } from '../../domain/workflow/executor-spec.ts';
import type { StepLogWriter } from '../../services/step-log-writer.ts';
import { startStepProcess, type StepProcess, type StepProcessOptions, type StepProcessResult } from '../step-process.ts';
import { startHttpRequest } from './http-executor.ts';
import { startJqFilter } from './jq-executor.ts';
import { startMailSending } from './mail-executor.ts';
import { startSshCommand } from './ssh-executor.ts';

/**
 * What every executor gets: the step's variables (already what its shell would see), where it
 * runs, where its log goes, and its bounds. Text of the executor's settings is expanded by the
 * executor itself from `variables`, as a shell would expand it from its environment.
 */
export interface ExecutorContext {
  variables: ReadonlyMap<string, string>;
  cwd: string;
  log: StepLogWriter;
  /** The most of the result kept as the step's output. */
  captureBytes: number;
  timeoutMs: number | null;
  /** The step's command or script, for the executors that run one (ssh). */
  command: string | null;
  script: string | null;
}

/**
 * Starts a step's work with its executor. Each gives a StepProcess: the engine waits for its
 * result and terminates it on cancel, whatever runs it. Only a shell step has a process id.
 */
export function startStepExecutor(executor: ExecutorSpec, shell: StepProcessOptions, context: ExecutorContext): StepProcess {
  switch (executor.kind) {
    case 'shell':
      return startStepProcess(shell);
    case 'http':
      return inProcess(context, (signal) => startHttpRequest(executor, context, signal));
    case 'jq':
      return inProcess(context, (signal) => startJqFilter(executor, context, signal));
    case 'mail':
      return inProcess(context, (signal) => startMailSending(executor, context, signal));
    case 'ssh':
      return inProcess(context, (signal) => startSshCommand(executor, context, signal));
  }
}

/** What an in-process executor's work ends with: exit code 0 for success, 1 (or the remote's) otherwise. */
export interface ExecutorOutcome {
  exitCode: number;
  /** The step's output (what a shell step prints on stdout). */
  stdout: string;
  /** Why it failed, when it did. */
  failure: string | null;
}

/**
 * Runs an executor's work in this process, bounded by the step's timeout and ended by
 * `terminate` (cancel): both abort the signal, and the work must stop its I/O on it.
 */
function inProcess(context: ExecutorContext, work: (signal: AbortSignal) => Promise<ExecutorOutcome>): StepProcess {
  const controller = new AbortController();
  let timedOut = false;
  const timer = context.timeoutMs === null ? undefined : setTimeout(() => ((timedOut = true), controller.abort()), context.timeoutMs);
  const result: Promise<StepProcessResult> = work(controller.signal)
    .then(
      (outcome) => outcome,
      (error: unknown): ExecutorOutcome => ({ exitCode: 1, stdout: '', failure: errorText(error) }),
    )
    .then((outcome): StepProcessResult => {
      clearTimeout(timer);
      if (controller.signal.aborted) return { exitCode: null, signal: timedOut ? null : 'SIGTERM', timedOut, stdout: '', spawnError: null, failure: null };
      if (outcome.failure !== null) context.log.write(Buffer.from(`${outcome.failure}\n`));
      return { exitCode: outcome.exitCode, signal: null, timedOut: false, stdout: outcome.stdout.slice(0, context.captureBytes), spawnError: null, failure: outcome.failure };
    });
  return { pid: undefined, result, terminate: () => controller.abort() };
}

export function errorText(error: unknown): string {
  if (types.isNativeError(error)) {
    const cause = 'cause' in error && types.isNativeError(error.cause) ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
