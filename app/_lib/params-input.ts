/** Params typed as NAME=VALUE lines, the way the CLI takes them; blank lines and # comments are ignored. */
export function parseParamLines(text: string): { ok: true; params: Record<string, string> } | { ok: false; message: string } {
  const params: Record<string, string> = {};
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const separator = line.indexOf('=');
    if (separator <= 0) return { ok: false, message: `Line ${index + 1}: "${line}" is not NAME=VALUE` };
    params[line.slice(0, separator).trim()] = line.slice(separator + 1).trim();
  }
  return { ok: true, params };
}

/** A param the workflow declares, with its default as written in the file. */
export interface DeclaredParam {
  name: string;
  default: string | null;
}

/**
 * The params to send for a run: those whose field differs from the declared default. A default
 * left as it is stays with the server, which expands it as the file says (`${VAR}`, backticks);
 * sent back as text it would reach the steps unexpanded.
 */
export function changedParams(declared: readonly DeclaredParam[], values: Readonly<Record<string, string>>): Record<string, string> {
  const changed: Record<string, string> = {};
  for (const param of declared) {
    const value = values[param.name];
    if (value !== undefined && value !== (param.default ?? '')) changed[param.name] = value;
  }
  return changed;
}
