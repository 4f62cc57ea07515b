import { types } from 'node:util';
import type { StepLogWriter } from '../../services/step-log-writer.ts';
import type { StepIdentity } from '../step-user.ts';

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
  /** STEP_USER, whose files alone a step may use; null: the server's user. */
  identity: StepIdentity | null;
  /** DATA_DIR: no file in it is ever read for a step. */
  dataDir: string;
}

/** What an in-process executor's work ends with: exit code 0 for success, 1 (or the remote's) otherwise. */
export interface ExecutorOutcome {
  exitCode: number;
  /** The step's output (what a shell step prints on stdout). */
  stdout: string;
  /** Why it failed, when it did. */
  failure: string | null;
}

export function errorText(error: unknown): string {
  if (types.isNativeError(error)) {
    const cause = 'cause' in error && types.isNativeError(error.cause) ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
