import { hash } from 'node:crypto';
import { AppError } from '../errors.ts';

/** Where a page ends in (createdAt, id) order, the snapshot it was read at, and its filter. */
export interface HistoryCursor {
  createdAt: number;
  id: string;
  snapshot: bigint;
  filterHash: string;
}

const digest = (text: string, length: number) => hash('sha256', text, 'base64url').slice(0, length);

export function filterHashOf(selectionKey: string): string {
  return digest(selectionKey, 16);
}

/** base64url of the position, a dot, and a check of it: a cursor edited by hand is refused. */
export function encodeHistoryCursor(cursor: HistoryCursor): string {
  const payload = Buffer.from(JSON.stringify([cursor.createdAt, cursor.id, cursor.snapshot.toString(), cursor.filterHash])).toString('base64url');
  return `${payload}.${digest(payload, 12)}`;
}

export function decodeHistoryCursor(text: string, argument: string, filterHash: string): HistoryCursor {
  const cursor = parse(text);
  if (!cursor) throw new AppError('BAD_USER_INPUT', `${argument} is not a cursor this list gave out (damaged or edited); start again without it`, { argument });
  if (cursor.filterHash !== filterHash) {
    throw new AppError('BAD_USER_INPUT', `${argument} belongs to a list with a different filter; start again without it`, { argument });
  }
  return cursor;
}

function parse(text: string): HistoryCursor | null {
  const [payload = '', check, extra] = text.split('.');
  if (check === undefined || extra !== undefined || digest(payload, 12) !== check) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 4) return null;
    const [createdAt, id, snapshot, filterHash] = value as unknown[];
    if (typeof createdAt !== 'number' || typeof id !== 'string' || typeof snapshot !== 'string' || typeof filterHash !== 'string') return null;
    if (!/^\d+$/.test(snapshot)) return null;
    return { createdAt, id, snapshot: BigInt(snapshot), filterHash };
  } catch {
    return null;
  }
}
