import { execFile } from 'node:child_process';

const CONDITION_TIMEOUT_MS = 30_000;

/**
 * Evaluates a precondition the way Dagu does: the condition is expanded by the shell, so
 * `$VAR`, backticks and `$(...)` work, and its text is compared with `expected` (exactly,
 * or as a regular expression when `expected` starts with "re:").
 */
export function evaluateCondition(shell: string, condition: string, env: NodeJS.ProcessEnv, cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      shell,
      ['-c', 'eval "printf \'%s\' \\"$RUNTRAIL_CONDITION\\""'],
      { env: { ...env, RUNTRAIL_CONDITION: condition }, cwd, timeout: CONDITION_TIMEOUT_MS },
      (error, stdout) => (error && error.killed ? reject(new Error(`condition timed out after ${CONDITION_TIMEOUT_MS / 1000}s`)) : resolve(stdout.trim())),
    );
  });
}

export function conditionMet(actual: string, expected: string): boolean {
  return expected.startsWith('re:') ? new RegExp(expected.slice(3)).test(actual) : actual === expected.trim();
}
