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
