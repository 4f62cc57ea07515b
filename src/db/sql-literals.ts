import pg from 'pg';

/**
 * Statements with their values written in as literals, for PostgreSQL's simple query protocol:
 * it takes no parameters, but runs several statements sent in one message in one round trip.
 */

/** A value a statement's text casts to its type (`$1::text[]`): text, or a one-dimensional array of text. */
export type LiteralValue = string | null | readonly (string | null)[];

export class UnwritableLiteralError extends Error {}

/**
 * `text` with each `$n` replaced by the n-th value as an escaped literal; the text casts every
 * parameter to its type, so the literal reads as the parameter would have. The replacement is
 * one pass: what a literal holds is never read again as a `$n`.
 */
export function withLiterals(text: string, values: readonly LiteralValue[]): string {
  return text.replace(/\$(\d+)/g, (_, position: string) => {
    const value = values[Number(position) - 1];
    if (value === undefined) throw new UnwritableLiteralError(`The statement has $${position} but ${values.length} values`);
    return literalOf(value);
  });
}

export function literalOf(value: LiteralValue): string {
  if (value === null) return 'NULL';
  return pg.escapeLiteral(typeof value === 'string' ? checkedText(value) : arrayText(value));
}

// What node-postgres sends for an array parameter: each element quoted, its backslashes and
// double quotes escaped, NULL bare.
function arrayText(values: readonly (string | null)[]): string {
  return `{${values.map((value) => (value === null ? 'NULL' : `"${checkedText(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)).join(',')}}`;
}

// PostgreSQL's text holds no NUL (a parameter holding one is refused with 22021), and a query
// message ends at its first NUL: one inside a literal would be a protocol error that closes the
// connection, so it is refused here, before anything is sent.
function checkedText(value: string): string {
  if (value.includes('\u0000')) throw new UnwritableLiteralError('PostgreSQL text cannot hold a NUL character');
  return value;
}
