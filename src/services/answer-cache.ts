import { LRUCache } from 'lru-cache';

/** Where cached answers are kept: this process's memory, or Redis shared by every process. */
export interface AnswerStore {
  readonly enabled: boolean;
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  close(): Promise<void>;
}

/**
 * History answers by key. An answer is a pure function of (scope, filter, snapshot, arguments),
 * so an entry is never invalidated: new events make a new head snapshot and thus new keys,
 * and old entries age out (LRU bounded in bytes, or a TTL in Redis).
 */
export class AnswerCache {
  constructor(private readonly store: AnswerStore) {}

  get enabled(): boolean {
    return this.store.enabled;
  }

  /** Keys carry the kind of answer they hold, so the value under a key has the type it was stored with. */
  async get<T>(key: string): Promise<T | undefined> {
    return (await this.store.get(key)) as T | undefined;
  }

  async set(key: string, value: unknown): Promise<void> {
    await this.store.set(key, value);
  }

  async getOrCompute<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const hit = await this.get<T>(key);
    if (hit !== undefined) return hit;
    const value = await compute();
    await this.set(key, value);
    return value;
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

export class InProcessAnswerStore implements AnswerStore {
  private readonly entries: LRUCache<string, { value: unknown }> | null;

  constructor(maxBytes: number) {
    this.entries = maxBytes > 0 ? new LRUCache({ maxSize: maxBytes, sizeCalculation: (entry, key) => key.length + encodeAnswer(entry.value).length * 2 }) : null;
  }

  get enabled(): boolean {
    return this.entries !== null;
  }

  async get(key: string): Promise<unknown> {
    return this.entries?.get(key)?.value;
  }

  async set(key: string, value: unknown): Promise<void> {
    this.entries?.set(key, { value });
  }

  async close(): Promise<void> {}
}

/** Answers as JSON that keeps Dates and bigints (runs carry both). */
export function encodeAnswer(value: unknown): string {
  return JSON.stringify(value, function replace(this: Record<string, unknown>, key: string, part: unknown) {
    const original = this[key];
    if (original instanceof Date) return { $date: original.toISOString() };
    if (typeof part === 'bigint') return { $bigint: part.toString() };
    return part;
  });
}

export function decodeAnswer(text: string): unknown {
  return JSON.parse(text, (_key, part: unknown) => {
    if (part !== null && typeof part === 'object' && !Array.isArray(part)) {
      const tagged = part as Record<string, unknown>;
      if (typeof tagged.$date === 'string' && Object.keys(tagged).length === 1) return new Date(tagged.$date);
      if (typeof tagged.$bigint === 'string' && Object.keys(tagged).length === 1) return BigInt(tagged.$bigint);
    }
    return part;
  });
}
