import type { ExecutorSpec } from '../../domain/workflow/executor-spec.ts';
import { startStepProcess, type StepProcess, type StepProcessOptions, type StepProcessResult } from '../step-process.ts';
import { startHttpRequest } from './http-executor.ts';
import { startJqFilter } from './jq-executor.ts';
import { startMailSending } from './mail-executor.ts';
import { startSshCommand } from './ssh-executor.ts';
import { errorText, type ExecutorContext, type ExecutorOutcome } from './executor-context.ts';

/**
 * Starts a step's work with its executor. Each gives a StepProcess: the engine waits for its
 * result and terminates it on cancel, whatever runs it.
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
      if (controller.signal.aborted) return { exitCode: null, signal: timedOut ? null : 'SIGTERM', timedOut, stdout: '', stderr: '', spawnError: null, failure: null };
      if (outcome.failure !== null) context.log.write(Buffer.from(`${outcome.failure}\n`));
      return { exitCode: outcome.exitCode, signal: null, timedOut: false, stdout: outcome.stdout.slice(0, context.captureBytes), stderr: '', spawnError: null, failure: outcome.failure };
    });
  return { result, terminate: () => controller.abort() };
}
