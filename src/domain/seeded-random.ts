/** A small seedable PRNG (mulberry32): the same seed gives the same history, and it is fast. */
export interface SeededRandom {
  /** In [0, 1). */
  next(): number;
  /** A whole number in [min, max]. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** The key of a weighted table, in proportion to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K;
  /** Log-normal around `median`: most values near it, a long tail above, as real durations are. */
  logNormal(median: number, sigma: number): number;
}

export function createSeededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const standardNormal = (): number => {
    // Box–Muller; 1 - next() is in (0, 1], so the logarithm is finite.
    const radius = Math.sqrt(-2 * Math.log(1 - next()));
    return radius * Math.cos(2 * Math.PI * next());
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (probability) => next() < probability,
    pick<T>(items: readonly T[]): T {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new Error('Cannot pick from an empty list');
      return item;
    },
    weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
      const { entries, total } = tableOf(weights);
      let point = next() * total;
      for (const [key, weight] of entries) {
        point -= weight;
        if (point < 0) return key;
      }
      const last = entries.at(-1);
      if (!last) throw new Error('Cannot pick from an empty table');
      return last[0];
    },
    logNormal: (median, sigma) => median * Math.exp(sigma * standardNormal()),
  };
}

interface WeightTable<K extends string> {
  entries: readonly (readonly [K, number])[];
  total: number;
}

// Seeding draws from the same few tables millions of times: read each one's entries once, not per draw.
const tables = new WeakMap<object, WeightTable<string>>();

function tableOf<K extends string>(weights: Readonly<Record<K, number>>): WeightTable<K> {
  const cached = tables.get(weights) as WeightTable<K> | undefined;
  if (cached) return cached;
  const entries = Object.entries(weights) as [K, number][];
  const table = { entries, total: entries.reduce((sum, [, weight]) => sum + weight, 0) };
  tables.set(weights, table);
  return table;
}

/** A seed from a text (FNV-1a): the same text gives the same sequence. */
export function seedOf(text: string): number {
  let hash = 2166136261;
  for (let index = 0; index < text.length; index += 1) hash = Math.imul(hash ^ text.charCodeAt(index), 16777619) >>> 0;
  return hash;
}
