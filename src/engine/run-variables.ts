import { types } from 'node:util';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'dotenv';
import { VARIABLE_NAME_PATTERN } from '../domain/workflow/workflow-spec.ts';
import { evaluateCondition } from './condition.ts';
import type { StepIdentity } from './step-user.ts';

/** A `.env` file larger than this is refused: it is configuration, not data. */
export const DOTENV_MAX_BYTES = 256 * 1024;

/**
 * Dagu's `dotenv`: the files in order, later ones overriding earlier ones, each parsed by the
 * `dotenv` package; relative paths are taken from `baseDir` (the workflow file's directory).
 * A file that is missing, too large or holds an invalid name rejects with what to fix.
 */
export async function loadDotenv(files: readonly string[], baseDir: string): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  for (const file of files) {
    const absolute = path.resolve(baseDir, file);
    let text: string;
    try {
      const handle = await open(absolute, 'r');
      try {
        const { size } = await handle.stat();
        if (size > DOTENV_MAX_BYTES) throw new Error(`is ${size} bytes; a .env file may have at most ${DOTENV_MAX_BYTES}`);
        text = await handle.readFile('utf8');
      } finally {
        await handle.close();
      }
    } catch (error) {
      throw new Error(`dotenv file "${absolute}" cannot be read: ${types.isNativeError(error) ? error.message : String(error)}`);
    }
    for (const [name, value] of Object.entries(parse(text))) {
      if (!VARIABLE_NAME_PATTERN.test(name)) throw new Error(`dotenv file "${absolute}": "${name}" is not a valid variable name`);
      values.set(name, value);
    }
  }
  return values;
}

/**
 * Dagu runs `` `command` `` in env and param values when a run starts: such a value is expanded
 * by the shell as the inside of a double-quoted string, with the variables set so far (the
 * same evaluation as a precondition's, bounded in time the same way). Values without a
 * backtick are returned as they are.
 */
export async function substituteCommands(value: string, env: ReadonlyMap<string, string>, cwd: string, identity: StepIdentity | null): Promise<string> {
  if (!value.includes('`')) return value;
  return evaluateCondition('sh', value, Object.fromEntries(env), cwd, identity);
}

/** The wait before repetition or retry `n` (1-based): `interval * backoff^(n-1)`, at most `max`. */
export function backoffDelaySec(intervalSec: number, backoff: number, maxIntervalSec: number | null, n: number): number {
  const delay = intervalSec * backoff ** Math.max(n - 1, 0);
  return maxIntervalSec === null ? delay : Math.min(delay, maxIntervalSec);
}

/** Dagu's `continue_on.output`: a text the output holds, or `re:` and a regular expression one of its lines (or the whole) matches. */
export function outputMatches(output: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => (pattern.startsWith('re:') ? new RegExp(pattern.slice(3), 'm').test(output) : output.includes(pattern)));
}
