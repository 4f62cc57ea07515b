import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * Ids start with the millisecond time so that ids made later sort later (a stable
 * tie-breaker for the createdAt cursors), then 80 random bits; the prefix says what they name.
 */
export function newId(prefix: 'run' | 'step' | 'wf' | 'prj' | 'usr' | 'tok', now: Date = new Date()): string {
  const time = now.getTime().toString(32).padStart(9, '0');
  const random = Array.from(randomBytes(16), (byte) => ALPHABET[byte % 32]).join('');
  return `${prefix}_${time}${random}`;
}
