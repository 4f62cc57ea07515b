import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { didYouMean } from './did-you-mean.ts';
import { exitZeroCondition, VARIABLE_NAME_PATTERN, type KeyValue, type StepSpec } from './workflow-spec.ts';
import { describe, field, isEmpty, item, scalarText, spelledAs, type Entry, type Where, type YamlReader } from './yaml-reader.ts';

/** The readers of single values every part of a workflow file uses: each reports what is wrong with the line of the node. */

export const VARIABLE_RULE = 'use letters, digits and "_", not starting with a digit';

export function readText(r: YamlReader, entry: Entry | undefined, where: Where, expected = 'a string'): string | null {
  if (!entry || isEmpty(entry.value)) return null;
  if (entry.value && isScalar(entry.value)) return scalarText(entry.value);
  r.report(where, entry.at, `must be ${expected}, got ${describe(entry.value)}`);
  return null;
}

export function readChoice(r: YamlReader, entry: Entry | undefined, where: Where, choices: readonly string[]): string | null {
  if (!entry || isEmpty(entry.value)) return null;
  const value = entry.value && isScalar(entry.value) ? scalarText(entry.value) : null;
  if (value !== null && choices.includes(value)) return value;
  const options = choices.map((choice) => `"${choice}"`);
  const list = options.length === 1 ? (options[0] ?? '') : `${options.slice(0, -1).join(', ')} or ${options[options.length - 1]}`;
  r.report(where, entry.at, `must be ${list}, got ${describe(entry.value)}${value === null ? '' : didYouMean(value, choices)}`);
  return null;
}

export interface NumberRule {
  min: number;
  max?: number;
  exclusive?: boolean;
  integer?: boolean;
  /** What a right value is, for the message: "a positive number of seconds". */
  expected: string;
}

export function readNumber(r: YamlReader, entry: Entry | undefined, where: Where, rule: NumberRule): number | null {
  if (!entry || isEmpty(entry.value)) return null;
  return readNumberNode(r, entry.value, entry.at, where, rule);
}

export function readNumberNode(r: YamlReader, node: Node | null, at: Node, where: Where, rule: NumberRule): number | null {
  const value = node && isScalar(node) ? node.value : null;
  if (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (rule.exclusive ? value > rule.min : value >= rule.min) &&
    (rule.max === undefined || value <= rule.max) &&
    (!rule.integer || Number.isInteger(value))
  ) {
    return value;
  }
  const quoted = typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? ' (a quoted string; write it without quotes)' : '';
  r.report(where, node ?? at, `must be ${rule.expected}, got ${describe(node)}${quoted}`);
  return null;
}

export function readBoolean(r: YamlReader, entry: Entry | undefined, where: Where): boolean | null {
  if (!entry || isEmpty(entry.value)) return null;
  const value = entry.value && isScalar(entry.value) ? entry.value.value : null;
  if (typeof value === 'boolean') return value;
  const quoted = value === 'true' || value === 'false' ? ' (a quoted string; write it without quotes)' : '';
  r.report(where, entry.at, `must be true or false, got ${describe(entry.value)}${quoted}`);
  return null;
}

/** `{condition, expected}` maps; a bare command, or a condition without expected, must exit 0 (see exitZeroCondition). */
export function readPreconditions(r: YamlReader, entry: Entry | undefined, where: Where): StepSpec['preconditions'] {
  if (!entry || isEmpty(entry.value)) return [];
  const list = isSeq(entry.value);
  const nodes = isSeq(entry.value) ? entry.value.items.map((node, index) => r.resolve(node as Node, item(where, index))) : [entry.value];
  const preconditions: StepSpec['preconditions'] = [];
  nodes.forEach((node, index) => {
    const itemWhere = list ? item(where, index) : where;
    const precondition = readPrecondition(r, node, itemWhere, node ?? entry.at);
    if (precondition) preconditions.push(precondition);
  });
  return preconditions;
}

export function readPrecondition(r: YamlReader, node: Node | null, where: Where, at: Node): StepSpec['preconditions'][number] | null {
  const shape = 'must be {condition: "...", expected: "..."} or a command that must exit 0';
  if (node && isScalar(node) && node.value !== null) {
    const command = scalarText(node);
    if (command.trim() === '') r.report(where, node, `${shape}, got ""`);
    return exitZeroCondition(command);
  }
  if (!node || !isMap(node)) {
    r.report(where, node ?? at, `${shape}, got ${describe(node)}`);
    return null;
  }
  const keys = r.checkKeys(r.entries(node, where), where, { supported: ['condition', 'expected', 'negate'] });
  const negate = readBoolean(r, keys.get('negate'), field(spelledAs(where, keys), 'negate')) === true;
  const condition = readText(r, keys.get('condition'), field(where, 'condition'));
  if (condition === null || condition.trim() === '') {
    r.report(where, keys.get('condition')?.at ?? node, 'needs a non-empty "condition"');
    return null;
  }
  const expectedEntry = keys.get('expected');
  const expected = readText(r, expectedEntry, field(where, 'expected'));
  if (expected === null) return negate ? { ...exitZeroCondition(condition), negate: true } : exitZeroCondition(condition);
  if (expected.startsWith('re:')) {
    try {
      new RegExp(expected.slice(3));
    } catch (error) {
      r.report(field(where, 'expected'), expectedEntry?.at, `invalid regular expression after "re:": ${(error as Error).message}`);
    }
  }
  return negate ? { condition, expected, negate: true } : { condition, expected };
}

export function readKeyValues(r: YamlReader, entry: Entry | undefined, where: Where): KeyValue[] {
  if (!entry || isEmpty(entry.value)) return [];
  const value = entry.value;
  const found: { pair: KeyValue; where: Where }[] = [];
  const add = (name: string, valueNode: Node | null, nameNode: Node, pairWhere: Where, valueText?: string) => {
    if (!VARIABLE_NAME_PATTERN.test(name)) {
      r.report(pairWhere, nameNode, `"${name}" is not a valid name; ${VARIABLE_RULE}`);
      return;
    }
    const first = found.find((existing) => existing.pair.name === name);
    if (first) {
      r.report(pairWhere, nameNode, `"${name}" is set twice (first in ${first.where.label}); keep one`);
      return;
    }
    let text = valueText ?? '';
    if (valueText === undefined && valueNode && !isEmpty(valueNode)) {
      if (isScalar(valueNode)) text = scalarText(valueNode);
      else r.report(field(pairWhere, name), valueNode, `must be a string, number or boolean, got ${describe(valueNode)}`);
    }
    found.push({ pair: { name, value: text }, where: pairWhere });
  };
  const addMap = (map: Node, mapWhere: Where) => {
    for (const pair of r.entries(map, mapWhere)) add(pair.key, pair.value, pair.keyNode, mapWhere);
  };

  if (isMap(value)) {
    addMap(value, where);
  } else if (isSeq(value)) {
    value.items.forEach((itemNode, index) => {
      const itemWhere = item(where, index);
      const node = r.resolve(itemNode as Node, itemWhere);
      if (node && isMap(node)) {
        addMap(node, itemWhere);
      } else if (node && isScalar(node) && typeof node.value === 'string') {
        const separator = node.value.indexOf('=');
        if (separator === -1) {
          const positional = where.path === 'params' ? ' (positional parameters are not supported)' : '';
          r.report(itemWhere, node, `"${node.value}" has no "="; write NAME=value${positional}`);
        } else {
          add(node.value.slice(0, separator).trim(), null, node, itemWhere, node.value.slice(separator + 1));
        }
      } else {
        r.report(itemWhere, node ?? entry.at, `must be NAME=value or {NAME: value}, got ${describe(node)}`);
      }
    });
  } else {
    r.report(where, entry.at, `must be a map like {NAME: value} or a list of NAME=value, got ${describe(value)}`);
  }
  return found.map((entryFound) => entryFound.pair);
}

