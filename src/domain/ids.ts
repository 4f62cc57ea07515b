import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const RANDOM_CHARS = 16;
// One getrandom call per 256 ids instead of one per id: bulk writers (the history seeder)
// make millions of ids, and a randomBytes call per id cost ten times the rest of newId.
const pool = Buffer.alloc(RANDOM_CHARS * 256);
let poolOffset = pool.length;

/**
 * Ids start with the millisecond time so that ids made later sort later (a stable
 * tie-breaker for the createdAt cursors), then 80 random bits; the prefix says what they name.
 */
export function newId(prefix: 'run' | 'step' | 'wf' | 'prj' | 'usr' | 'tok', now: Date = new Date()): string {
  if (poolOffset + RANDOM_CHARS > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  let random = '';
  for (let index = poolOffset; index < poolOffset + RANDOM_CHARS; index += 1) random += ALPHABET.charAt((pool[index] ?? 0) % 32);
  poolOffset += RANDOM_CHARS;
  const time = now.getTime().toString(32).padStart(9, '0');
  return `${prefix}_${time}${random}`;
}

const TIME_CHARS = 9;

/**
 * The createdAt range [from, to) of the runs whose id starts with `prefix`, read from the
 * time the id begins with; null when no run id can start so. It turns an id search into a
 * range of the createdAt index instead of a scan of every id.
 */
export function runIdTimeRange(prefix: string): { from: number; to: number } | null {
  if (!prefix.startsWith('run_')) return null;
  const timeChars = prefix.slice(4, 4 + TIME_CHARS);
  if (!/^[0-9a-v]*$/.test(timeChars)) return null;
  const from = Number.parseInt(timeChars.padEnd(TIME_CHARS, '0'), 32);
  const last = Number.parseInt(timeChars.padEnd(TIME_CHARS, 'v'), 32);
  return { from, to: last + 1 };
}
