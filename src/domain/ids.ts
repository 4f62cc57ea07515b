import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const RANDOM_CHARS = 16;
// One getrandom call per 256 ids instead of one per id: bulk writers (the history seeder)
// make millions of ids, and a randomBytes call per id cost ten times the rest of newId.
const pool = Buffer.alloc(RANDOM_CHARS * 256);
let poolOffset = pool.length;

// The last id's time and random part: ids made in the same millisecond count up from it.
let lastTime = -1;
let lastRandom: number[] = [];

/**
 * Ids start with the millisecond time so that ids made later sort later (a stable
 * tie-breaker for the createdAt cursors), then 80 random bits; the prefix says what they name.
 * Within one millisecond a process counts the random part up (as ULIDs do), so runs created
 * together in one batch still sort in the order they were asked for.
 */
export function newId(prefix: 'run' | 'step' | 'wf' | 'prj' | 'usr' | 'tok' | 'rule' | 'alert' | 'silence' | 'msg' | 'cpt' | 'anm' | 'inc' | 'rdef' | 'rep', now: Date = new Date()): string {
  const millis = now.getTime();
  if (millis === lastTime) {
    countUp(lastRandom);
  } else {
    lastTime = millis;
    lastRandom = randomDigits();
  }
  const time = millis.toString(32).padStart(9, '0');
  return `${prefix}_${time}${lastRandom.map((digit) => ALPHABET.charAt(digit)).join('')}`;
}

function randomDigits(): number[] {
  if (poolOffset + RANDOM_CHARS > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const digits = [...pool.subarray(poolOffset, poolOffset + RANDOM_CHARS)].map((byte) => byte % 32);
  poolOffset += RANDOM_CHARS;
  return digits;
}

/** Adds one to base-32 digits, carrying left; 80 bits do not run out within a millisecond. */
function countUp(digits: number[]): void {
  for (let index = digits.length - 1; index >= 0; index -= 1) {
    const digit = (digits[index] ?? 0) + 1;
    digits[index] = digit % 32;
    if (digit < 32) return;
  }
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

/**
 * When an id made by newId was made (unix ms), or null when `id` is not one. A run's and its
 * steps' ids are made at the run's creation, so this tells which archived period holds them.
 */
export function idTime(id: string): number | null {
  const match = /^[a-z]+_([0-9a-v]{9})/.exec(id);
  const time = match?.[1];
  return time === undefined ? null : Number.parseInt(time, 32);
}

/**
 * The smallest id with `prefix` made at `ms` or later: every id made before `ms` sorts below it,
 * every one made at or after it sorts at or above it. Bounds of id ranges by time.
 */
export function idTimeBound(prefix: 'run' | 'step', ms: number): string {
  return `${prefix}_${ms.toString(32).padStart(TIME_CHARS, '0')}`;
}
