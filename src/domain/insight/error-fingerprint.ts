/**
 * What an error message says once what changes from run to run is taken out: so "file
 * /data/in/part-0093.csv not found" and "file /data/in/part-0107.csv not found" count together.
 * Readable on purpose: the fingerprint is what a person sees as the group's name.
 */

// The longest fingerprint: a stack trace's first lines are enough to tell causes apart.
const FINGERPRINT_MAX = 200;

const REPLACEMENTS: readonly [RegExp, string][] = [
  // UUIDs first: they hold hex and digits the later rules would break apart.
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  // Runtrail's own ids (run_…, step_…) and similar prefixed ids.
  [/\b[a-z]{2,8}_[0-9a-z]{12,}\b/g, '<id>'],
  [/\b0x[0-9a-f]+\b/gi, '<hex>'],
  [/\b[0-9a-f]{8,}\b/gi, '<hex>'],
  // Paths: two segments or more, absolute or relative to ./ or ~/.
  [/(?:~|\.{1,2})?(?:\/[\w.@+-]+){2,}\/?/g, '<path>'],
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/g, '<time>'],
  [/\b\d+(?:\.\d+)?\b/g, '<n>'],
];

export function errorFingerprint(message: string): string {
  let text = message.trim();
  for (const [pattern, replacement] of REPLACEMENTS) text = text.replace(pattern, replacement);
  text = text.replace(/\s+/g, ' ');
  return text.length > FINGERPRINT_MAX ? `${text.slice(0, FINGERPRINT_MAX - 1)}…` : text;
}
