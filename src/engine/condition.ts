import { execFile } from 'node:child_process';
import { spawnEnvironment } from './step-launcher.ts';
import type { StepIdentity } from './step-user.ts';

const CONDITION_TIMEOUT_MS = 30_000;

/**
 * Evaluates a precondition the way Dagu does: the condition is expanded by the shell, so
 * `$VAR`, backticks and `$(...)` work, and its text is compared with `expected` (exactly,
 * or as a regular expression when `expected` starts with "re:"). Variables reach the shell
 * in its environment only: their values are substituted, never parsed as shell code.
 * Rejects when the shell cannot be started; a timeout gives a text no `expected` matches.
 */
export function evaluateCondition(
  shell: string,
  condition: string,
  env: Readonly<Record<string, string>>,
  cwd: string,
  identity: StepIdentity | null,
  /** The positional params: a condition may read `$1` (Dagu's `condition: "$1"`). */
  args: readonly string[] = [],
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      shell,
      ['-c', 'eval "printf \'%s\' \\"$RUNTRAIL_CONDITION\\""', shell, ...args],
      { env: spawnEnvironment({ ...env, RUNTRAIL_CONDITION: condition }), cwd, timeout: CONDITION_TIMEOUT_MS, ...(identity ? { uid: identity.uid, gid: identity.gid } : {}) },
      (error, stdout) => {
        // A string code is a failure to start (ENOENT, EACCES...); a number is the shell's exit code.
        if (error && typeof error.code === 'string') reject(error);
        else resolve(error?.killed ? `<condition timed out after ${CONDITION_TIMEOUT_MS / 1000}s>` : stdout.trim());
      },
    );
  });
}

export function conditionMet(actual: string, expected: string): boolean {
  return expected.startsWith('re:') ? new RegExp(expected.slice(3)).test(actual) : actual === expected.trim();
}
