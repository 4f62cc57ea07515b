import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { splitWords } from './parse-step-policies.ts';
import { readBoolean, readChoice, readNumber, readText, VARIABLE_RULE } from './read-values.ts';
import { VARIABLE_NAME_PATTERN, type KeyValue, type ParamRule } from './workflow-spec.ts';
import { describe, field, isEmpty, item, scalarText, spelledAs, type Entry, type Where, type YamlReader } from './yaml-reader.ts';

/** Positional params are named by their place: "1" is the shell's `$1`. */
export const POSITIONAL_PARAM = /^[1-9][0-9]{0,2}$/;
const MAX_PARAMS = 200;

/**
 * Dagu's `params` in all its forms: a line (`"A=1 B='x y' positional"`), a map, a list of
 * `NAME=value` and `{NAME: value}`, and the typed form (`- name: A` with `default`, `type`,
 * `enum`, `minimum`…, whose default is checked here). Words without "=" are positional params.
 */
export function readParams(r: YamlReader, entry: Entry | undefined, where: Where): { params: KeyValue[]; rules: ParamRule[] } {
  if (!entry || isEmpty(entry.value)) return { params: [], rules: [] };
  const found: { pair: KeyValue; where: Where }[] = [];
  const rules: ParamRule[] = [];
  let positional = 0;
  const add = (name: string | null, value: string, node: Node, at: Where) => {
    const paramName = name ?? String((positional += 1));
    if (name !== null && !VARIABLE_NAME_PATTERN.test(name)) {
      r.report(at, node, `"${name}" is not a valid name; ${VARIABLE_RULE}`);
      return;
    }
    const first = found.find((existing) => existing.pair.name === paramName);
    if (first) {
      r.report(at, node, `"${paramName}" is set twice (first in ${first.where.label}); keep one`);
      return;
    }
    if (found.length >= MAX_PARAMS) {
      r.report(at, node, `a workflow may declare at most ${MAX_PARAMS} params`);
      return;
    }
    found.push({ pair: { name: paramName, value }, where: at });
  };
  const addWord = (word: string, node: Node, at: Where) => {
    const separator = word.indexOf('=');
    // `1X=2` is a mistyped name, not a positional param holding "=".
    if (separator > 0 && /^\w+$/.test(word.slice(0, separator))) add(word.slice(0, separator), word.slice(separator + 1), node, at);
    else add(null, word, node, at);
  };
  const addMap = (map: Node, at: Where) => {
    for (const pair of r.entries(map, at)) {
      if (pair.value && !isEmpty(pair.value) && !isScalar(pair.value)) r.report(field(at, pair.key), pair.value, `must be a string, number or boolean, got ${describe(pair.value)}`);
      else add(pair.key, pair.value && isScalar(pair.value) && pair.value.value !== null ? scalarText(pair.value) : '', pair.keyNode, at);
    }
  };
  const value = entry.value;
  if (value && isScalar(value)) {
    const words = splitWords(scalarText(value));
    if (words === null) r.report(where, value, 'a quote is not closed; write params like A=1 B="two words" or a list');
    for (const word of words ?? []) addWord(word, value, where);
  } else if (value && isMap(value)) {
    addMap(value, where);
  } else if (value && isSeq(value)) {
    value.items.forEach((itemNode, index) => {
      const at = item(where, index);
      const node = r.resolve(itemNode as Node, at);
      if (node && isMap(node) && node.items.some((pair) => isScalar(pair.key) && pair.key.value === 'name') && node.items.length > 1) {
        const typed = readTypedParam(r, node, at);
        if (typed) {
          add(typed.name, typed.value, node, at);
          if (typed.rule) rules.push(typed.rule);
        }
      } else if (node && isMap(node)) {
        addMap(node, at);
      } else if (node && isScalar(node) && node.value !== null) {
        addWord(scalarText(node), node, at);
      } else {
        r.report(at, node ?? entry.at, `must be NAME=value, {NAME: value} or {name: NAME, default: value}, got ${describe(node)}`);
      }
    });
  } else {
    r.report(where, entry.at, `must be a line like "A=1 B=2", a map like {NAME: value} or a list, got ${describe(value)}`);
  }
  return { params: found.map((param) => param.pair), rules };
}

/** Dagu's typed param: `{name, default, type, enum, minimum, maximum, min_length, max_length, pattern, required, description}`; the default must fit. */
function readTypedParam(r: YamlReader, node: Node, where: Where): { name: string; value: string; rule: ParamRule | null } | null {
  const keys = r.checkKeys(r.entries(node, where), where, {
    supported: ['name', 'default', 'description', 'type', 'required', 'enum', 'minimum', 'maximum', 'minLength', 'maxLength', 'pattern'],
    dagu: { eval: 'write the command in backticks in "default" (default: "`date +%F`"), which runs when a run starts' },
  });
  const at = spelledAs(where, keys);
  const name = readText(r, keys.get('name'), field(at, 'name'));
  const defaultEntry = keys.get('default');
  const value = readText(r, defaultEntry, field(at, 'default')) ?? '';
  readText(r, keys.get('description'), field(at, 'description'));
  const required = readBoolean(r, keys.get('required'), field(at, 'required')) ?? false;
  const type = readChoice(r, keys.get('type'), field(at, 'type'), ['string', 'integer', 'number', 'boolean']);
  const minimum = readNumber(r, keys.get('minimum'), field(at, 'minimum'), { min: -Number.MAX_VALUE, expected: 'a number' });
  const maximum = readNumber(r, keys.get('maximum'), field(at, 'maximum'), { min: -Number.MAX_VALUE, expected: 'a number' });
  const minLength = readNumber(r, keys.get('minLength'), field(at, 'minLength'), { min: 0, integer: true, expected: 'a whole number, 0 or more' });
  const maxLength = readNumber(r, keys.get('maxLength'), field(at, 'maxLength'), { min: 0, integer: true, expected: 'a whole number, 0 or more' });
  const pattern = readText(r, keys.get('pattern'), field(at, 'pattern'));
  const enumEntry = keys.get('enum');
  const choices = enumEntry?.value && isSeq(enumEntry.value) ? enumEntry.value.items.map((choice) => (isScalar(choice) ? scalarText(choice) : null)) : null;
  if (enumEntry && (choices === null || choices.length === 0 || choices.includes(null))) r.report(field(at, 'enum'), enumEntry.at, `must be a non-empty list of values, got ${describe(enumEntry.value)}`);
  if (name === null) return null;
  const rule: ParamRule = { name, type: isParamType(type) ? type : null, minimum, maximum, minLength, maxLength, pattern, choices: choices && !choices.includes(null) ? choices.filter((choice) => choice !== null) : null, required };
  // A default that contradicts its own rules would only fail later, at every run that keeps it.
  const problem = defaultEntry && !isEmpty(defaultEntry.value) && !value.includes('`') ? paramRuleProblem(value, rule) : null;
  if (problem) r.report(field(at, 'default'), defaultEntry?.at, problem);
  const constrained = rule.type !== null || rule.required || [minimum, maximum, minLength, maxLength, pattern, rule.choices].some((bound) => bound !== null);
  return { name, value, rule: constrained ? rule : null };
}

const PARAM_TYPES = ['string', 'integer', 'number', 'boolean'] as const;

function isParamType(type: string | null): type is NonNullable<ParamRule['type']> {
  return PARAM_TYPES.some((known) => known === type);
}

/** What is wrong with a param's value by its typed declaration; null when it fits. Also checked for a run's given values (see RunExecution). */
export function paramRuleProblem(value: string, rules: ParamRule): string | null {
  if (rules.required && value === '') return 'no value was given, and the param is required';
  const number = Number(value);
  if (rules.type === 'integer' && !/^-?[0-9]+$/.test(value)) return `"${value}" is not an integer, as "type" requires`;
  if (rules.type === 'number' && (value.trim() === '' || !Number.isFinite(number))) return `"${value}" is not a number, as "type" requires`;
  if (rules.type === 'boolean' && value !== 'true' && value !== 'false') return `"${value}" is not true or false, as "type" requires`;
  if (rules.minimum !== null && number < rules.minimum) return `${value} is below the minimum ${rules.minimum}`;
  if (rules.maximum !== null && number > rules.maximum) return `${value} is above the maximum ${rules.maximum}`;
  if (rules.minLength !== null && value.length < rules.minLength) return `"${value}" is shorter than ${rules.minLength} characters`;
  if (rules.maxLength !== null && value.length > rules.maxLength) return `"${value}" is longer than ${rules.maxLength} characters`;
  if (rules.choices && rules.choices.length > 0 && !rules.choices.includes(value)) return `"${value}" is not one of ${rules.choices.join(', ')}`;
  if (rules.pattern !== null) {
    try {
      if (!new RegExp(rules.pattern).test(value)) return `"${value}" does not match the pattern ${rules.pattern}`;
    } catch (error) {
      return `the pattern is not a valid regular expression: ${(error as Error).message}`;
    }
  }
  return null;
}
