import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from './errors.ts';

/**
 * The secret that authenticates cursors: one per database, shared by all its processes, so a
 * cursor one process gave out pages on in any other, and nobody without it can make one.
 */
export type CursorKey = Buffer;

// 132 bits of HMAC-SHA256: forging one is out of reach, and the cursor stays short.
const CHECK_LENGTH = 22;
/** Ids as src/domain/ids.ts makes them: a prefix, "_", then time and random characters. */
const ID_SHAPE = /^[a-z]{2,4}_[0-9a-z]{1,40}$/;
const MAX_KEY_TEXT_LENGTH = 200;

const checkOf = (payload: string, key: CursorKey) => createHmac('sha256', key).update(payload).digest('base64url').slice(0, CHECK_LENGTH);

/** base64url of the position, a dot, and its HMAC: a cursor edited or made by hand is refused. */
export function sealCursor(position: readonly unknown[], key: CursorKey): string {
  const payload = Buffer.from(JSON.stringify(position)).toString('base64url');
  return `${payload}.${checkOf(payload, key)}`;
}

/** The position inside a cursor this instance gave out, or null when it did not give it out. */
export function openCursor(text: string, key: CursorKey): unknown[] | null {
  const [payload = '', check, extra] = text.split('.');
  if (check === undefined || extra !== undefined) return null;
  const given = Buffer.from(check);
  const expected = Buffer.from(checkOf(payload, key));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

export function notACursor(argument: string): AppError {
  return new AppError('BAD_USER_INPUT', `${argument} is not a cursor this list gave out (damaged, edited or from another instance); start again without it`, { argument });
}

export function isIdShaped(value: unknown): value is string {
  return typeof value === 'string' && ID_SHAPE.test(value);
}

/** A name or other text of a sort key: a string of sensible length. */
export function isKeyText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_KEY_TEXT_LENGTH;
}

/** A cursor of a list ordered by (name, id). */
export function encodeNameCursor(position: { name: string; id: string }, key: CursorKey): string {
  return sealCursor([position.name, position.id], key);
}

export function decodeNameCursor(cursor: string, argument: string, key: CursorKey): { name: string; id: string } {
  const position = openCursor(cursor, key);
  if (!position || position.length !== 2) throw notACursor(argument);
  const [name, id] = position;
  if (!isKeyText(name) || !isIdShaped(id)) throw notACursor(argument);
  return { name, id };
}

export const MAX_PAGE_SIZE = 500;

export function checkPageSize(first: number, argument = 'first'): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new AppError('BAD_USER_INPUT', `${argument} must be between 1 and ${MAX_PAGE_SIZE}, got ${first}`, { argument });
  }
  return first;
}

/** The largest seq a database can hold (a signed 64-bit integer). */
export const MAX_SEQ = (1n << 63n) - 1n;

/** A seq or snapshot given as a decimal string: refused unless it is one the database could hold. */
export function parseSeqText(text: string, argument: string, what: string): bigint {
  const seq = /^\d{1,19}$/.test(text) ? BigInt(text) : null;
  if (seq === null || seq > MAX_SEQ) throw new AppError('BAD_USER_INPUT', `${argument} must be ${what} (a decimal string from 0 to ${MAX_SEQ}), got "${text.slice(0, 40)}"`, { argument });
  return seq;
}
