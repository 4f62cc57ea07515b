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
