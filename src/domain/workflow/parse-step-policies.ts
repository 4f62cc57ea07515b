import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { readBoolean, readChoice, readNumber, readNumberNode, readText, VARIABLE_RULE } from './read-values.ts';
import { exitZeroCondition, STOP_SIGNALS, VARIABLE_NAME_PATTERN, type RepeatPolicy, type StepSpec, type StopSignal } from './workflow-spec.ts';
import { describe, field, isEmpty, item, scalarText, spelledAs, type Entry, type Where, type YamlReader } from './yaml-reader.ts';

/** How a step runs again, is retried or is let go: Dagu's `retry_policy`, `repeat_policy`, `continue_on`, `output`, `signal_on_stop`. */

export const NO_RETRY: StepSpec['retryPolicy'] = { limit: 0, intervalSec: 0, backoff: 1, maxIntervalSec: null, exitCodes: [] };
export const NO_CONTINUE: StepSpec['continueOn'] = { failure: false, skipped: false, exitCodes: [], output: [], markSuccess: false };
/** Dagu's `backoff: true`. */
const DEFAULT_BACKOFF = 2;

/** `output: NAME`, or Dagu's object form `{name, key, omit}`. */
export function readOutput(r: YamlReader, entry: Entry | undefined, where: Where): { name: string | null; options: StepSpec['outputOptions']; nameNode: Node | null } {
  const none = { name: null, options: { key: null, omit: false }, nameNode: null };
  if (!entry || isEmpty(entry.value)) return none;
  let nameEntry: Entry | undefined = entry;
  let nameWhere = where;
  const options: StepSpec['outputOptions'] = { key: null, omit: false };
  if (entry.value && isMap(entry.value)) {
    const keys = r.checkKeys(r.entries(entry.value, where), where, {
      supported: ['name', 'key', 'omit'],
      dagu: { schema: 'check the JSON in the next step, for example with jq -e' },
    });
    const spelled = spelledAs(where, keys);
    nameEntry = keys.get('name');
    nameWhere = field(spelled, 'name');
    if (!nameEntry) r.report(where, entry.value, 'needs a "name": the variable the output is kept in');
    options.key = readText(r, keys.get('key'), field(spelled, 'key'));
    options.omit = readBoolean(r, keys.get('omit'), field(spelled, 'omit')) ?? false;
  }
  const name = readText(r, nameEntry, nameWhere, 'a variable name, or a map like {name: RESULT, key: result}');
  if (name === null) return none;
  if (!VARIABLE_NAME_PATTERN.test(name)) {
    r.report(nameWhere, nameEntry?.at, `must be a variable name (${VARIABLE_RULE}), got "${name}"`);
    return none;
  }
  return { name, options, nameNode: nameEntry?.at ?? null };
}

function readExitCodes(r: YamlReader, entry: Entry | undefined, where: Where): number[] {
  const codes: number[] = [];
  if (!entry || isEmpty(entry.value)) return codes;
  const nodes = isSeq(entry.value) ? entry.value.items.map((node) => r.resolve(node as Node, where)) : [entry.value];
  for (const node of nodes) {
    const text = node && isScalar(node) && typeof node.value === 'string' && /^[0-9]{1,3}$/.test(node.value.trim()) ? Number(node.value.trim()) : null;
    const code = text !== null && text <= 255 ? text : readNumberNode(r, node, node ?? entry.at, where, { min: 0, max: 255, integer: true, expected: 'an exit code from 0 to 255, or a list of them' });
    if (code !== null && !codes.includes(code)) codes.push(code);
  }
  return codes;
}

function readBackoff(r: YamlReader, entry: Entry | undefined, where: Where): number {
  if (!entry || isEmpty(entry.value)) return 1;
  const value = entry.value && isScalar(entry.value) ? entry.value.value : null;
  if (value === true) return DEFAULT_BACKOFF;
  if (value === false) return 1;
  return readNumber(r, entry, where, { min: 1, max: 10, exclusive: true, expected: 'true (doubling), false, or a multiplier above 1 and at most 10' }) ?? 1;
}

/** A number of seconds Dagu also reads from a string (`interval_sec: "10"`). */
function readSeconds(r: YamlReader, entry: Entry | undefined, where: Where, positive: boolean): number | null {
  if (!entry || isEmpty(entry.value)) return null;
  const value = entry.value && isScalar(entry.value) ? entry.value.value : null;
  if (typeof value === 'string' && /^[0-9]+(\.[0-9]+)?$/.test(value.trim()) && (!positive || Number(value) > 0)) return Number(value);
  return readNumber(r, entry, where, { min: 0, exclusive: positive, expected: positive ? 'a positive number of seconds' : 'a number of seconds, 0 or more' });
}

export function readRetryPolicy(r: YamlReader, entry: Entry | undefined, where: Where): StepSpec['retryPolicy'] {
  if (!entry || isEmpty(entry.value)) return NO_RETRY;
  if (!isMap(entry.value)) {
    r.report(where, entry.at, `must be a map like {limit: 3, interval_sec: 10}, got ${describe(entry.value)}`);
    return NO_RETRY;
  }
  const keys = r.checkKeys(r.entries(entry.value, where), where, { supported: ['limit', 'intervalSec', 'backoff', 'maxIntervalSec', 'exitCode'] });
  const spelled = spelledAs(where, keys);
  if (!keys.has('limit')) r.report(where, entry.value, 'missing "limit" (how many times to retry)');
  const limitEntry = keys.get('limit');
  const limitText = limitEntry?.value && isScalar(limitEntry.value) && typeof limitEntry.value.value === 'string' ? limitEntry.value.value.trim() : null;
  return {
    limit:
      limitText !== null && /^[0-9]{1,4}$/.test(limitText)
        ? Number(limitText)
        : (readNumber(r, limitEntry, field(spelled, 'limit'), { min: 0, max: 10_000, integer: true, expected: 'a whole number of retries from 0 to 10000' }) ?? 0),
    intervalSec: readSeconds(r, keys.get('intervalSec'), field(spelled, 'intervalSec'), false) ?? 0,
    backoff: readBackoff(r, keys.get('backoff'), field(spelled, 'backoff')),
    maxIntervalSec: readSeconds(r, keys.get('maxIntervalSec'), field(spelled, 'maxIntervalSec'), true),
    exitCodes: readExitCodes(r, keys.get('exitCode'), field(spelled, 'exitCode')),
  };
}

export function readRepeatPolicy(r: YamlReader, entry: Entry | undefined, where: Where): RepeatPolicy | null {
  if (!entry || isEmpty(entry.value)) return null;
  if (!isMap(entry.value)) {
    r.report(where, entry.at, `must be a map like {repeat: while, condition: "...", interval_sec: 10, limit: 5}, got ${describe(entry.value)}`);
    return null;
  }
  const keys = r.checkKeys(r.entries(entry.value, where), where, { supported: ['repeat', 'condition', 'expected', 'exitCode', 'intervalSec', 'limit', 'backoff', 'maxIntervalSec'] });
  const spelled = spelledAs(where, keys);
  const repeatEntry = keys.get('repeat');
  const repeatValue = repeatEntry?.value && isScalar(repeatEntry.value) ? repeatEntry.value.value : null;
  const conditionText = readText(r, keys.get('condition'), field(spelled, 'condition'));
  const expected = readText(r, keys.get('expected'), field(spelled, 'expected'));
  const exitCodes = readExitCodes(r, keys.get('exitCode'), field(spelled, 'exitCode'));
  let mode: RepeatPolicy['mode'] | null = null;
  if (repeatValue === 'while' || repeatValue === 'until') mode = repeatValue;
  // Dagu's older form: `repeat: true` runs again while the condition holds (or every time without one).
  else if (repeatValue === true) mode = 'while';
  else if (repeatValue === false) return null;
  else if (repeatEntry) r.report(field(spelled, 'repeat'), repeatEntry.at, `must be "while", "until" or true, got ${describe(repeatEntry.value)}`);
  // Dagu infers the mode when `repeat` is left out: a condition with `expected` (or exit codes) repeats until it is met.
  else mode = conditionText !== null && expected === null ? 'while' : 'until';
  let condition: RepeatPolicy['condition'] = null;
  if (conditionText !== null && conditionText.trim() !== '') {
    condition = expected === null ? exitZeroCondition(conditionText) : { condition: conditionText, expected };
    if (expected?.startsWith('re:')) checkPattern(r, expected.slice(3), field(spelled, 'expected'), keys.get('expected')?.at);
  }
  if (mode === 'until' && condition === null && exitCodes.length === 0) {
    r.report(where, repeatEntry?.at ?? entry.value, 'repeat: until needs a "condition" (with "expected") or an "exit_code" to stop at');
  }
  const limitEntry = keys.get('limit');
  return mode === null
    ? null
    : {
        mode,
        condition,
        exitCodes,
        intervalSec: readSeconds(r, keys.get('intervalSec'), field(spelled, 'intervalSec'), false) ?? 0,
        limit: readNumber(r, limitEntry, field(spelled, 'limit'), { min: 1, max: 100_000, integer: true, expected: 'a whole number of runs from 1 to 100000' }),
        backoff: readBackoff(r, keys.get('backoff'), field(spelled, 'backoff')),
        maxIntervalSec: readSeconds(r, keys.get('maxIntervalSec'), field(spelled, 'maxIntervalSec'), true),
      };
}

export function readContinueOn(r: YamlReader, entry: Entry | undefined, where: Where): StepSpec['continueOn'] {
  if (!entry || isEmpty(entry.value)) return NO_CONTINUE;
  if (entry.value && isScalar(entry.value)) {
    // Dagu's shorthand: `continue_on: failed` or `continue_on: skipped`.
    const shorthand = readChoice(r, entry, where, ['failed', 'failure', 'skipped']);
    return { ...NO_CONTINUE, failure: shorthand === 'failed' || shorthand === 'failure', skipped: shorthand === 'skipped' };
  }
  if (!isMap(entry.value)) {
    r.report(where, entry.at, `must be "failed", "skipped" or a map like {failure: true}, got ${describe(entry.value)}`);
    return NO_CONTINUE;
  }
  const keys = r.checkKeys(r.entries(entry.value, where), where, { supported: ['failure', 'skipped', 'exitCode', 'output', 'markSuccess'] });
  const spelled = spelledAs(where, keys);
  const output: string[] = [];
  const outputEntry = keys.get('output');
  if (outputEntry && !isEmpty(outputEntry.value)) {
    const outputWhere = field(spelled, 'output');
    const list = isSeq(outputEntry.value);
    const nodes: (Node | null)[] = isSeq(outputEntry.value) ? outputEntry.value.items.map((node, index) => r.resolve(node as Node, item(outputWhere, index))) : [outputEntry.value];
    nodes.forEach((node, index) => {
      const at = list ? item(outputWhere, index) : outputWhere;
      const text = node && isScalar(node) && node.value !== null ? scalarText(node) : null;
      if (text === null || text === '') {
        r.report(at, node ?? outputEntry.at, `must be a text the output holds, or "re:" and a regular expression, got ${describe(node)}`);
        return;
      }
      if (!text.startsWith('re:') || checkPattern(r, text.slice(3), at, node ?? undefined)) output.push(text);
    });
  }
  return {
    failure: readBoolean(r, keys.get('failure'), field(spelled, 'failure')) ?? false,
    skipped: readBoolean(r, keys.get('skipped'), field(spelled, 'skipped')) ?? false,
    exitCodes: readExitCodes(r, keys.get('exitCode'), field(spelled, 'exitCode')),
    output,
    markSuccess: readBoolean(r, keys.get('markSuccess'), field(spelled, 'markSuccess')) ?? false,
  };
}

function checkPattern(r: YamlReader, pattern: string, where: Where, at: Node | undefined): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch (error) {
    r.report(where, at, `invalid regular expression after "re:": ${(error as Error).message}`);
    return false;
  }
}

/** `SIGINT`, or Dagu's shorter `INT`. */
export function readStopSignal(r: YamlReader, entry: Entry | undefined, where: Where): StopSignal | null {
  if (!entry || isEmpty(entry.value)) return null;
  const text = entry.value && isScalar(entry.value) ? scalarText(entry.value).trim().toUpperCase() : '';
  const name = text.startsWith('SIG') ? text : `SIG${text}`;
  const known = STOP_SIGNALS.find((signal) => signal === name);
  if (known) return known;
  r.report(where, entry.at, `must be one of ${STOP_SIGNALS.join(', ')}, got ${describe(entry.value)}`);
  return null;
}

/**
 * Dagu's `shell: bash -o errexit -o pipefail` (or the list form): the program and its
 * arguments, split like a shell splits words in single or double quotes, without expanding anything.
 */
export function readShell(r: YamlReader, entry: Entry | undefined, where: Where): { shell: string; args: string[] } | null {
  if (!entry || isEmpty(entry.value)) return null;
  let words: string[] | null = null;
  if (entry.value && isSeq(entry.value)) {
    const nodes = entry.value.items.map((node) => r.resolve(node as Node, where));
    words = nodes.every((node) => node && isScalar(node) && node.value !== null) ? nodes.map((node) => (node ? scalarText(node) : '')) : null;
  } else if (entry.value && isScalar(entry.value)) {
    words = splitWords(scalarText(entry.value));
  }
  const [shell, ...args] = words ?? [];
  if (words === null || shell === undefined || shell.trim() === '') {
    r.report(where, entry.at, `must be a shell, with its arguments if any (such as "bash -o errexit -o pipefail" or [bash, -e]), got ${describe(entry.value)}`);
    return null;
  }
  return { shell, args };
}

/** Splits a line into words as a shell would, for quotes only: `a "b c" 'd'` → a, b c, d (backticks kept); null when a quote is not closed. */
export function splitWords(line: string): string[] | null {
  const words: string[] = [];
  // A backtick command (Dagu's `BAR=\`echo 2\``) is one word with its backticks, spaces and all.
  const pattern = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|(`[^`]*`)|([^\s"'`]+))/gy;
  let current: string | null = null;
  let last = 0;
  for (let match = pattern.exec(line); match !== null; match = pattern.exec(line)) {
    const separated = /^\s/.test(match[0]) || last === 0;
    if (separated && current !== null) {
      words.push(current);
      current = null;
    }
    const part = match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : (match[2] ?? match[3] ?? match[4] ?? '');
    current = (current ?? '') + part;
    last = pattern.lastIndex;
  }
  if (line.slice(last).trim() !== '') return null;
  if (current !== null) words.push(current);
  return words;
}
