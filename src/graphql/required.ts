/** For non-null relation fields: a missing row is a broken reference, not a client error. */
export async function required<T>(value: Promise<T | null>, what: string): Promise<T> {
  const resolved = await value;
  if (resolved === null) throw new Error(`${what} is missing`);
  return resolved;
}
