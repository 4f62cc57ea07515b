/** One row of a run's params or outputs. */
export interface KeyValueRow {
  name: string;
  value: string;
}

/**
 * The rows of a JSON object of named values (a run's params or outputs), in the object's order;
 * a value that is not text is shown as its JSON. Null for anything that is not such an object,
 * so a caller can say that nothing was recorded instead of showing an empty table.
 */
export function keyValueRows(value: unknown): KeyValueRow[] | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  return Object.entries(value).map(([name, entry]) => ({ name, value: typeof entry === 'string' ? entry : JSON.stringify(entry) }));
}
