import { AppError } from './errors.ts';

/** Opaque cursors: base64url of a JSON array of the sort key of the row they point after. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string, argument: string, arity: number): (string | number)[] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === arity && key.every((part) => typeof part === 'string' || typeof part === 'number')) return key;
  } catch {
    // falls through to the error below
  }
  throw new AppError('BAD_USER_INPUT', `${argument} is not a cursor this list gave out; start again without it`, { argument });
}

export const MAX_PAGE_SIZE = 500;

export function checkPageSize(first: number, argument = 'first'): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new AppError('BAD_USER_INPUT', `${argument} must be between 1 and ${MAX_PAGE_SIZE}, got ${first}`, { argument });
  }
  return first;
}
