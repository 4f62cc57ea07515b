/** An answer a page got on the server, with the variables it was asked with. */
export interface ServerResult<TData, TVariables> {
  variables: TVariables;
  data: TData;
}

/** Plain JSON with its object keys sorted, so equal variables compare equal however they were built. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, each]) => each !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, each]) => [key, canonical(each)]),
  );
}

export function sameVariables(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
