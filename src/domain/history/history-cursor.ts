import { hash } from 'node:crypto';
import { AppError } from '../errors.ts';
import { isIdShaped, MAX_SEQ, notACursor, openCursor, sealCursor, type CursorKey } from '../cursor.ts';

/** Where a page ends in (createdAt, id) order, the snapshot it was read at, and its filter. */
export interface HistoryCursor {
  createdAt: number;
  id: string;
  snapshot: bigint;
  filterHash: string;
}

// The range of a JavaScript Date: a createdAt beyond it is no time at all.
const MAX_TIME_MS = 8.64e15;
const FILTER_HASH_LENGTH = 16;

export function filterHashOf(selectionKey: string): string {
  return hash('sha256', selectionKey, 'base64url').slice(0, FILTER_HASH_LENGTH);
}

export function encodeHistoryCursor(cursor: HistoryCursor, key: CursorKey): string {
  return sealCursor([cursor.createdAt, cursor.id, cursor.snapshot.toString(), cursor.filterHash], key);
}

/** The position of a cursor this instance gave out for this filter; BAD_USER_INPUT naming `argument` otherwise. */
export function decodeHistoryCursor(text: string, argument: string, filterHash: string, key: CursorKey): HistoryCursor {
  const cursor = parse(text, key);
  if (!cursor) throw notACursor(argument);
  if (cursor.filterHash !== filterHash) {
    throw new AppError('BAD_USER_INPUT', `${argument} belongs to a list with a different filter; start again without it`, { argument });
  }
  return cursor;
}

function parse(text: string, key: CursorKey): HistoryCursor | null {
  const position = openCursor(text, key);
  if (!position || position.length !== 4) return null;
  const [createdAt, id, snapshot, filterHash] = position;
  if (typeof createdAt !== 'number' || !Number.isSafeInteger(createdAt) || Math.abs(createdAt) > MAX_TIME_MS) return null;
  if (!isIdShaped(id) || typeof filterHash !== 'string' || filterHash.length !== FILTER_HASH_LENGTH) return null;
  if (typeof snapshot !== 'string' || !/^\d{1,19}$/.test(snapshot) || BigInt(snapshot) > MAX_SEQ) return null;
  return { createdAt, id, snapshot: BigInt(snapshot), filterHash };
}
