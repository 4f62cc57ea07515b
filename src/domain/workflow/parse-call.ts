import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { DEFAULT_MAX_CONCURRENT, MAX_CONCURRENT_LIMIT, MAX_PARALLEL_ITEMS, type ParallelSpec, type SubWorkflowCall } from './sub-workflow-spec.ts';
import { VARIABLE_NAME_PATTERN, WORKFLOW_NAME_PATTERN, type KeyValue } from './workflow-spec.ts';
import { describe, field, isEmpty, item, scalarText, type Entry, type Where, type YamlReader } from './yaml-reader.ts';

/** The step keys a call step reads here, beside the keys of every step. */
export const CALL_STEP_KEYS = ['call', 'run', 'params', 'parallel'] as const;

/**
 * A step's `call` (Dagu since 2026) or `run` (before): the workflow to run as a child, its
 * `params` (a string "A=1 B='x y'", a map or a list) and `parallel` (items, a `${VAR}` holding
 * them, or {items, maxConcurrent}). Null for a step that calls nothing; `params` and `parallel`
 * without a call are reported.
 */
export function readCall(r: YamlReader, keys: ReadonlyMap<string, Entry>, where: Where): SubWorkflowCall | null {
  const callEntry = keys.get('call');
  const runEntry = keys.get('run');
  if (callEntry && runEntry) r.report(field(where, 'run'), runEntry.keyNode, '"call" is given too ("run" is its older name); keep one of them');
  const entry = callEntry ?? runEntry;
  const paramsEntry = keys.get('params');
  const parallelEntry = keys.get('parallel');
  if (!entry) {
    for (const extra of [paramsEntry, parallelEntry]) {
      if (extra) r.report(where, extra.keyNode, `"${extra.key}" belongs to a step that runs another workflow; add call: <workflow>`);
    }
    return null;
  }
  const callWhere = field(where, entry.key);
  for (const key of ['command', 'script', 'type', 'executor', 'with']) {
    const other = keys.get(key);
    if (other) r.report(where, other.keyNode, `a step with "${entry.key}" runs another workflow and nothing else; remove "${key}"`);
  }
  const written = entry.value && isScalar(entry.value) && !isEmpty(entry.value) ? scalarText(entry.value).trim() : null;
  // Dagu names a workflow by its file (`workflows/etl.yaml`): here, by the file's base name.
  const workflow = written === null ? '' : (written.split('/').at(-1) ?? '').replace(/\.ya?ml$/i, '');
  if (written === null) r.report(callWhere, entry.at, `must be the name of the workflow to run, got ${describe(entry.value)}`);
  else if (!WORKFLOW_NAME_PATTERN.test(workflow)) r.report(callWhere, entry.at, `"${written}" is not a workflow name; use the name of a workflow of the same project, or of one defined in this file after "---"`);
  return {
    workflow,
    params: readCallParams(r, paramsEntry, field(where, 'params')),
    parallel: parallelEntry ? readParallel(r, parallelEntry, field(where, 'parallel')) : null,
  };
}

/** Dagu's params string: `A=1 B="two words" C='x'`, each NAME=value separated by spaces. */
export function splitParamString(text: string): { pairs: KeyValue[]; bad: string | null } {
  const pairs: KeyValue[] = [];
  const pattern = /\s*([^\s=]+)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/y;
  let rest = text.trim();
  while (rest !== '') {
    pattern.lastIndex = 0;
    const match = pattern.exec(rest);
    if (!match) return { pairs, bad: rest.split(/\s+/)[0] ?? rest };
    const [whole, name = '', raw = ''] = match;
    const value = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw.startsWith("'") ? raw.slice(1, -1) : raw;
    pairs.push({ name, value });
    rest = rest.slice(whole.length).trim();
  }
  return { pairs, bad: null };
}

function readCallParams(r: YamlReader, entry: Entry | undefined, where: Where): KeyValue[] {
  if (!entry || isEmpty(entry.value)) return [];
  const value = entry.value;
  const pairs: { pair: KeyValue; node: Node }[] = [];
  if (value && isScalar(value)) {
    const { pairs: found, bad } = splitParamString(scalarText(value));
    if (bad !== null) r.report(where, value, `"${bad}" is not NAME=value; write params as "A=1 B='two words'", a map or a list`);
    pairs.push(...found.map((pair) => ({ pair, node: value })));
  } else if (value && isMap(value)) {
    for (const pair of r.entries(value, where)) {
      if (pair.value && !isScalar(pair.value)) r.report(field(where, pair.key), pair.at, `must be a string, number or boolean, got ${describe(pair.value)}`);
      else pairs.push({ pair: { name: pair.key, value: pair.value ? scalarText(pair.value) : '' }, node: pair.keyNode });
    }
  } else if (value && isSeq(value)) {
    value.items.forEach((itemNode, index) => {
      const node = r.resolve(itemNode as Node, item(where, index));
      const text = node && isScalar(node) ? scalarText(node) : null;
      const separator = text?.indexOf('=') ?? -1;
      if (node && isMap(node)) {
        for (const pair of r.entries(node, item(where, index))) pairs.push({ pair: { name: pair.key, value: pair.value && isScalar(pair.value) ? scalarText(pair.value) : '' }, node: pair.keyNode });
      } else if (text !== null && separator > 0) {
        pairs.push({ pair: { name: text.slice(0, separator).trim(), value: text.slice(separator + 1) }, node: node ?? entry.at });
      } else {
        r.report(item(where, index), node ?? entry.at, `must be NAME=value or {NAME: value}, got ${describe(node)}`);
      }
    });
  } else {
    r.report(where, entry.at, `must be "A=1 B=2", a map or a list, got ${describe(value)}`);
  }
  const seen = new Set<string>();
  return pairs.flatMap(({ pair, node }) => {
    if (!VARIABLE_NAME_PATTERN.test(pair.name)) {
      r.report(where, node, `"${pair.name}" is not a valid param name; use letters, digits and "_", not starting with a digit`);
      return [];
    }
    if (seen.has(pair.name)) {
      r.report(where, node, `"${pair.name}" is given twice; keep one`);
      return [];
    }
    seen.add(pair.name);
    return [pair];
  });
}

function readParallel(r: YamlReader, entry: Entry, where: Where): ParallelSpec | null {
  const value = entry.value;
  const shape = 'must be a list of items, a ${VAR} holding a JSON array, or {items, maxConcurrent}';
  if (!value || isEmpty(value)) {
    r.report(where, entry.at, `${shape}, got nothing`);
    return null;
  }
  if (isScalar(value) || isSeq(value)) {
    const items = readItems(r, value, where);
    return items ? { items, maxConcurrent: DEFAULT_MAX_CONCURRENT } : null;
  }
  if (!isMap(value)) {
    r.report(where, entry.at, `${shape}, got ${describe(value)}`);
    return null;
  }
  const keys = r.checkKeys(r.entries(value, where), where, { supported: ['items', 'maxConcurrent'] });
  const itemsEntry = keys.get('items');
  if (!itemsEntry || isEmpty(itemsEntry.value)) {
    r.report(field(where, 'items'), itemsEntry?.at ?? value, 'missing; the items to run the workflow for, one child each');
    return null;
  }
  const items = itemsEntry.value ? readItems(r, itemsEntry.value, field(where, 'items')) : null;
  const limitEntry = keys.get('maxConcurrent');
  const limitValue = limitEntry?.value && isScalar(limitEntry.value) ? limitEntry.value.value : DEFAULT_MAX_CONCURRENT;
  const maxConcurrent = typeof limitValue === 'number' && Number.isInteger(limitValue) && limitValue >= 1 && limitValue <= MAX_CONCURRENT_LIMIT ? limitValue : null;
  if (maxConcurrent === null) r.report(field(where, 'maxConcurrent'), limitEntry?.at, `must be a whole number from 1 to ${MAX_CONCURRENT_LIMIT}, got ${describe(limitEntry?.value ?? null)}`);
  return items && maxConcurrent !== null ? { items, maxConcurrent } : null;
}

function readItems(r: YamlReader, node: Node, where: Where): ParallelSpec['items'] | null {
  if (isScalar(node)) {
    const text = scalarText(node).trim();
    if (/^\$\{[A-Za-z_][A-Za-z0-9_.]*\}$/.test(text)) return { kind: 'reference', text };
    r.report(where, node, `"${text}" is not a list; write the items as a list, or a \${VAR} holding a JSON array`);
    return null;
  }
  if (!isSeq(node) || node.items.length === 0) {
    r.report(where, node, `must be a non-empty list of items, got ${describe(node)}`);
    return null;
  }
  if (node.items.length > MAX_PARALLEL_ITEMS) {
    r.report(where, node, `has ${node.items.length} items; a step may start at most ${MAX_PARALLEL_ITEMS} runs`);
    return null;
  }
  const values = node.items.map((itemNode, index) => {
    const resolved = r.resolve(itemNode as Node, item(where, index));
    if (resolved && isScalar(resolved)) return scalarText(resolved);
    // An object item is given to the child as JSON: ${ITEM.field} reads its fields.
    return JSON.stringify(resolved?.toJSON() ?? null);
  });
  return { kind: 'list', values };
}
