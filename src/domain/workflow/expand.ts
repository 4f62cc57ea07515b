const REFERENCE = /(\\*)\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replaces `${NAME}` with the value of NAME, for the fields Runtrail reads itself (`dir`, env
 * and param values, a precondition's `expected`). Commands, scripts and conditions are never
 * expanded here: the shell expands them from the environment, so no value is parsed as code.
 *
 * - Names that are not in `variables` are left as they are, for the shell to expand (`${HOME}`).
 * - `$NAME` without braces is never touched: it is the shell's.
 * - Values are inserted as they are, not quoted, and not expanded again.
 * - A backslash escapes a reference: `\${NAME}` stays `\${NAME}`, which the shell in turn
 *   prints as a literal `${NAME}`. So Runtrail needs no escape syntax of its own, and `$$`
 *   keeps its shell meaning (the process id). An even number of backslashes escapes itself
 *   and the reference is expanded: `\\${NAME}` → `\\value`.
 */
export function expandVariables(text: string, variables: ReadonlyMap<string, string>, encode: (value: string) => string = (value) => value): string {
  return text.replace(REFERENCE, (reference: string, backslashes: string, name: string) => {
    const value = variables.get(name);
    if (value === undefined || backslashes.length % 2 === 1) return reference;
    return `${backslashes}${encode(value)}`;
  });
}

/** For a `re:` pattern: a value matches itself literally, whatever characters it holds. */
export function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Finds a value by name and, for `${NAME.a.b}`, by the path after it; undefined leaves the reference as written. */
export type ReferenceLookup = (name: string, path: readonly string[]) => string | undefined;

// `${id.path}` (a step id may hold "-", Dagu's `data-fetcher-v1`), `${NAME}` and `$NAME`. A "-" in `${a-b}`
// without a path stays the shell's (its default-value form).
const ANY_REFERENCE = /(\\*)\$(?:\{([A-Za-z_][A-Za-z0-9_-]*)((?:\.[A-Za-z0-9_-]+)+)\}|\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/**
 * Dagu's expansion of the values Runtrail reads itself (`dir`, env and param values): `${NAME}`,
 * `$NAME`, `${NAME.path.to.field}` into a JSON output (see readJsonPath), and a leading `~` for
 * HOME. Values are inserted literally, never parsed again; a backslash escapes as in expandVariables.
 */
export function expandValue(text: string, lookup: ReferenceLookup, options: { home?: string | undefined } = {}): string {
  const expanded = text.replace(ANY_REFERENCE, (reference: string, backslashes: string, head: string | undefined, dotted: string | undefined, braced: string | undefined, bare: string | undefined) => {
    if (backslashes.length % 2 === 1) return reference;
    const value = lookup(head ?? braced ?? bare ?? '', head && dotted ? dotted.slice(1).split('.') : []);
    return value === undefined ? reference : `${backslashes}${value}`;
  });
  return options.home !== undefined && /^~(\/|$)/.test(expanded) ? `${options.home}${expanded.slice(1)}` : expanded;
}

/**
 * For text a shell or a program reads (commands, scripts, conditions): each `${NAME.path}` that
 * resolves becomes `${RUNTRAIL_REF_n}` and its value goes to the environment under that name,
 * so a value is never parsed as code. Plain `${NAME}` is left to the shell.
 */
export function bindReferences(text: string, lookup: ReferenceLookup, prefix = 'RUNTRAIL_REF_'): { text: string; bound: Map<string, string> } {
  const bound = new Map<string, string>();
  const replaced = text.replace(ANY_REFERENCE, (reference: string, backslashes: string, head: string | undefined, dotted: string | undefined) => {
    if (backslashes.length % 2 === 1 || !head || !dotted) return reference;
    const value = lookup(head, dotted.slice(1).split('.'));
    if (value === undefined) return reference;
    const name = `${prefix}${bound.size + 1}`;
    bound.set(name, value);
    return `${backslashes}\${${name}}`;
  });
  return { text: replaced, bound };
}

/** `${OUT.items.0.name}`: the field at `path` of a JSON text; strings as they are, other values as JSON; undefined when there is none. */
export function readJsonPath(json: string, path: readonly string[]): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  for (const key of path) {
    if (Array.isArray(value) && /^[0-9]+$/.test(key)) value = value[Number(key)];
    else if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, key)) value = new Map(Object.entries(value)).get(key);
    else return undefined;
  }
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
