import { isAlias, isMap, isScalar, isSeq, visit, type Alias, type Document, type LineCounter, type Node, type YAMLError } from 'yaml';
import { didYouMean } from './did-you-mean.ts';
import type { SpecProblem } from './workflow-spec.ts';

/**
 * Where a value sits: `label` is for people (`steps[2] (deploy).retry_policy`), with each key
 * spelled as the file wrote it; `path` for machines (`steps[2].retryPolicy`), always camelCase.
 */
export interface Where {
  label: string;
  path: string;
  /** The keys of the map at this place as the file spells them, by their camelCase name (see spelledAs). */
  spelling?: ReadonlyMap<string, string>;
}

export const ROOT: Where = { label: 'workflow', path: '' };

/** `key` is the camelCase name; the label uses the file's spelling when the map's entries were read through spelledAs. */
export function field(where: Where, key: string): Where {
  const written = where.spelling?.get(key) ?? key;
  return where.path === '' ? { label: written, path: key } : { label: `${where.label}.${written}`, path: `${where.path}.${key}` };
}

/** The same place, knowing how its map spells its keys, so messages quote them as written. */
export function spelledAs(where: Where, keys: ReadonlyMap<string, Entry>): Where {
  return { ...where, spelling: new Map([...keys].map(([camel, entry]) => [camel, entry.key])) };
}

/**
 * Dagu moved its keys to snake_case in 2026 and still reads camelCase: `retry_policy` and
 * `retryPolicy` are one key. Only words in lower case joined by "_" are converted, so env
 * names such as `MY_VAR` never are (they are not read through checkKeys anyway).
 */
export function camelKey(key: string): string {
  return /^[a-z][a-z0-9]*(_[a-z0-9]+)+$/.test(key) ? key.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase()) : key;
}

/** `retryPolicy` → `retry_policy`: how the README and the JSON Schema name the other spelling. */
export function snakeKey(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

export function item(where: Where, index: number, name?: string | null): Where {
  return { label: `${where.label}[${index}]${name ? ` (${name})` : ''}`, path: `${where.path}[${index}]` };
}

export interface Entry {
  key: string;
  keyNode: Node;
  /** Null for a key without a value (`depends:`). Aliases are already resolved. */
  value: Node | null;
  /** The node to point at for a problem with the value: the value, or the key when the value is empty. */
  at: Node;
  /** Brought by a merge key (`<<: *defaults`): a key written in the map itself wins over it. */
  merged?: boolean;
}

export interface KeyRules {
  /** camelCase names; the snake_case spelling of each is accepted too (see camelKey). */
  supported: readonly string[];
  /** Keys Dagu has and Runtrail does not support yet, each with an optional hint. */
  dagu?: Readonly<Record<string, string | null>>;
  /** Supported elsewhere but not allowed here, with the reason. */
  forbidden?: Readonly<Record<string, string>>;
}

/**
 * How many values a file may read through aliases and merge keys together. Each alias read and
 * each entry a merge key brings counts one, so nested merges (`<<: [*a, *a]` over `<<: [*b, *b]`
 * …, a "billion laughs") are refused after this many instead of doubling at every level; a
 * workflow that shares defaults between its steps stays far below it.
 */
export const MAX_ALIAS_EXPANSION = 10_000;

/** Reads values out of YAML nodes and collects every problem with its line and column. */
export class YamlReader {
  readonly problems: SpecProblem[] = [];
  /** Accepted keys whose Dagu meaning Runtrail gives another way: said, not refused. */
  readonly notes: SpecProblem[] = [];
  // Each alias with the node it names, found in one walk: yaml's Alias.resolve walks the whole document for every alias.
  private readonly targets = new Map<Alias, Node>();
  private expanded = 0;
  private overBudget = false;

  constructor(
    private readonly document: Document,
    private readonly lineCounter: LineCounter,
  ) {
    const anchored = new Map<string, Node>();
    visit(document, {
      Node: (_key, node) => {
        if (isAlias(node)) {
          const target = anchored.get(node.source);
          if (target) this.targets.set(node, target);
        } else if (node.anchor) {
          anchored.set(node.anchor, node);
        }
      },
    });
  }

  report(where: Where, node: Node | null | undefined, text: string): void {
    const offset = node?.range?.[0];
    const position = offset === undefined ? null : this.lineCounter.linePos(offset);
    this.problems.push({ message: `${where.label}: ${text}`, line: position?.line ?? null, column: position?.col ?? null, path: where.path });
  }

  reportYaml(error: YAMLError, prefix: string, text = error.message): void {
    const position = this.lineCounter.linePos(error.pos[0]);
    this.problems.push({ message: `${prefix}: ${text}`, line: position.line, column: position.col, path: '' });
  }

  /** Problems in file order (those without a position first); problems on the same spot keep the order they were found in. */
  sortedProblems(): SpecProblem[] {
    const rank = (problem: SpecProblem) => (problem.line ?? 0) * 1_000_000 + (problem.column ?? 0);
    return [...this.problems].sort((a, b) => rank(a) - rank(b));
  }

  /** The node an alias points to; a dangling alias, or one past MAX_ALIAS_EXPANSION, is reported and read as null. */
  resolve(node: Node | null | undefined, where: Where): Node | null {
    if (!node) return null;
    if (!isAlias(node)) return node;
    if (!this.expand(1, where, node)) return null;
    const target = this.targets.get(node);
    if (!target) this.report(where, node, `unknown alias *${node.source}`);
    return target ?? null;
  }

  /** Counts `count` more values read through aliases and merges; false (reported once) past the bound. */
  private expand(count: number, where: Where, node: Node): boolean {
    if (this.overBudget) return false;
    this.expanded += count;
    if (this.expanded <= MAX_ALIAS_EXPANSION) return true;
    this.overBudget = true;
    this.report(where, node, `aliases and merge keys ("<<") expand to more than ${MAX_ALIAS_EXPANSION} values; write the values out, or merge fewer times`);
    return false;
  }

  /**
   * The entries of a map, with merge keys (`<<: *defaults`) applied: keys written in the map
   * win over merged ones. Problems with keys are reported; those entries are left out.
   */
  entries(map: Node, where: Where, merging: ReadonlySet<Node> = new Set()): Entry[] {
    if (!isMap(map)) return [];
    const own: Entry[] = [];
    const merged: Entry[] = [];
    for (const pair of map.items) {
      const keyNode = pair.key as Node | null;
      const keyValue = keyNode && isScalar(keyNode) ? keyNode.value : undefined;
      if (!keyNode || !isScalar(keyNode) || keyValue === null || typeof keyValue === 'object') {
        this.report(where, keyNode ?? map, 'keys must be plain words such as "name"');
        continue;
      }
      const key = scalarText(keyNode);
      // Past the bound nothing more is merged (and nothing more reported): the walk ends here.
      if (key === '<<' && this.overBudget) return [];
      const value = this.resolve(pair.value as Node | null, field(where, key));
      if (key === '<<') {
        for (const source of isSeq(value) ? value.items.map((node) => this.resolve(node as Node, where)) : [value]) {
          if (!source || !isMap(source) || source === map || merging.has(source)) {
            this.report(where, keyNode, 'a merge key "<<" needs an alias of a map, such as <<: *defaults');
            continue;
          }
          const sourceEntries = this.entries(source, where, new Set([...merging, map]));
          if (!this.expand(sourceEntries.length, where, keyNode)) return [];
          merged.push(...sourceEntries.map((entry) => ({ ...entry, merged: true })));
        }
        continue;
      }
      own.push({ key, keyNode, value, at: isEmpty(value) ? keyNode : (value ?? keyNode) });
    }
    const ownKeys = new Set(own.map((entry) => entry.key));
    return [...own, ...merged.filter((entry) => !ownKeys.has(entry.key))];
  }

  /**
   * Reports unknown, unsupported and forbidden keys, and returns the other entries by their
   * camelCase name (either spelling is read; both in one map is a problem).
   */
  checkKeys(entries: readonly Entry[], where: Where, rules: KeyRules): Map<string, Entry> {
    const known = new Map<string, Entry>();
    const seen = new Map<string, Entry>();
    const supported = [...rules.supported].sort((a, b) => a.localeCompare(b, 'en'));
    for (const entry of entries) {
      const key = camelKey(entry.key);
      const earlier = seen.get(key);
      if (earlier) {
        // A key written in the map wins over the same key merged in by "<<", whatever its spelling.
        if (!entry.merged) this.report(where, entry.keyNode, `"${entry.key}" is "${earlier.key}" spelled another way, which is given too; keep one of them`);
        continue;
      }
      seen.set(key, entry);
      const forbidden = rules.forbidden && Object.hasOwn(rules.forbidden, key) ? rules.forbidden[key] : undefined;
      const dagu = rules.dagu && Object.hasOwn(rules.dagu, key) ? rules.dagu[key] : undefined;
      if (forbidden !== undefined) {
        this.report(where, entry.keyNode, forbidden);
      } else if (rules.supported.includes(key)) {
        known.set(key, entry);
      } else if (dagu !== undefined) {
        this.report(where, entry.keyNode, `"${entry.key}" is a Dagu key Runtrail does not support${dagu ? `; ${dagu}` : ''}`);
      } else {
        const spelled = /_/.test(entry.key) ? supported.map(snakeKey) : supported;
        this.report(where, entry.keyNode, `unknown key "${entry.key}"; supported: ${spelled.join(', ')}${didYouMean(entry.key, spelled)}`);
      }
    }
    return known;
  }

  /** A note on a key that is accepted but means something else here (printed, never refusing the file). */
  note(where: Where, node: Node | null | undefined, text: string): void {
    const offset = node?.range?.[0];
    const position = offset === undefined ? null : this.lineCounter.linePos(offset);
    this.notes.push({ message: `${where.label}: ${text}`, line: position?.line ?? null, column: position?.col ?? null, path: where.path });
  }
}

export function isEmpty(node: Node | null): boolean {
  return node === null || (isScalar(node) && node.value === null);
}

/**
 * The text of a scalar as written: YAML reads `1.10` as the number 1.1 and `on` may be a
 * boolean, but a command, a param value or a name means the characters in the file.
 */
export function scalarText(node: Node): string {
  if (!isScalar(node)) return '';
  if (typeof node.value === 'string') return node.value;
  if (node.type === 'PLAIN' && typeof node.source === 'string') return node.source;
  return String(node.value);
}

/** How a wrong value reads in a message: `"soon"`, `-1`, `true`, `a list`, `nothing`. */
export function describe(node: Node | null): string {
  if (node === null) return 'nothing';
  if (isMap(node)) return node.items.length === 0 ? 'an empty map' : 'a map';
  if (isSeq(node)) return node.items.length === 0 ? 'an empty list' : 'a list';
  if (!isScalar(node) || node.value === null) return 'nothing';
  if (typeof node.value !== 'string') return scalarText(node);
  const text = node.value.length > 60 ? `${node.value.slice(0, 57)}…` : node.value;
  return JSON.stringify(text);
}
