import pg from 'pg';

/*
 * Values between JavaScript and the raw SQL that runs outside Prisma (the history reader, the
 * history writer), stored exactly as Prisma's adapters store them so both sides read each
 * other's rows.
 */

export type SqlRow = Record<string, unknown>;

/** A timestamp column of a row: unix ms from SQLite (timestampFormat unixepoch-ms), a Date from PostgreSQL. */
export function sqlDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number' || typeof value === 'bigint') return new Date(Number(value));
  return new Date(String(value));
}

// SQLite columns written by Prisma's adapter (timestampFormat unixepoch-ms) hold integer ms.
export function sqliteValue(value: unknown): unknown {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

// Prisma stores DateTime as `timestamp(3)` without time zone, holding UTC.
export function postgresValue(value: unknown): unknown {
  if (value instanceof Date) return postgresTimestamp(value);
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** A value of a history row as PostgreSQL reads it from text; a value of no column type is an error. */
export function postgresText(value: unknown): string | null {
  if (value === null) return null;
  if (value instanceof Date) return postgresTimestamp(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint' || (typeof value === 'number' && Number.isFinite(value))) return String(value);
  throw new TypeError(`A ${typeof value} is no value of a column`);
}

function postgresTimestamp(value: Date): string {
  return value.toISOString().replace('Z', '');
}

const TIMESTAMP_OID = 1114;
const parseUtcTimestamp = (text: string) => new Date(`${text.replace(' ', 'T')}Z`);

/** Type parsers for a node-pg connection that reads Prisma's `timestamp(3)` columns as the UTC they hold. */
export const UTC_TIMESTAMP_TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMP_OID ? parseUtcTimestamp : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

/**
 * Readers of one column of a raw row, for rows that must come out typed: a value of another
 * type than the column's is an error naming the column, never a default.
 */
export const column = {
  text(row: SqlRow, name: string): string {
    const value = row[name];
    if (typeof value !== 'string') throw new TypeError(`Column "${name}" holds ${typeof value}, not text`);
    return value;
  },
  optionalText(row: SqlRow, name: string): string | null {
    return row[name] === null || row[name] === undefined ? null : column.text(row, name);
  },
  integer(row: SqlRow, name: string): number {
    const value = row[name];
    const number = typeof value === 'bigint' ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isInteger(number)) throw new TypeError(`Column "${name}" holds ${String(value)}, not an integer`);
    return number;
  },
  optionalInteger(row: SqlRow, name: string): number | null {
    return row[name] === null || row[name] === undefined ? null : column.integer(row, name);
  },
  /** BIGINT: a string from node-pg, a number from better-sqlite3 (seqs stay far below 2^53). */
  bigint(row: SqlRow, name: string): bigint {
    const value = row[name];
    if (typeof value === 'bigint') return value;
    if ((typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && /^-?\d+$/.test(value))) return BigInt(value);
    throw new TypeError(`Column "${name}" holds ${String(value)}, not a bigint`);
  },
  /** BLOB or bytea: a Buffer from both drivers. */
  bytes(row: SqlRow, name: string): Buffer {
    const value = row[name];
    if (!Buffer.isBuffer(value)) throw new TypeError(`Column "${name}" holds ${typeof value}, not bytes`);
    return value;
  },
  /** A timestamp as epoch milliseconds, without a Date: what a hundred thousand rows read more cheaply. */
  epochMs(row: SqlRow, name: string): number {
    const value = row[name];
    if (value instanceof Date) return value.getTime();
    if (typeof value === 'number' || typeof value === 'bigint') return Number(value);
    throw new TypeError(`Column "${name}" holds ${String(value)}, not a timestamp`);
  },
  optionalEpochMs(row: SqlRow, name: string): number | null {
    return row[name] === null || row[name] === undefined ? null : column.epochMs(row, name);
  },
  date(row: SqlRow, name: string): Date {
    const value = row[name];
    if (!(value instanceof Date) && typeof value !== 'number' && typeof value !== 'bigint') throw new TypeError(`Column "${name}" holds ${String(value)}, not a timestamp`);
    return sqlDate(value);
  },
  optionalDate(row: SqlRow, name: string): Date | null {
    return row[name] === null || row[name] === undefined ? null : column.date(row, name);
  },
};
