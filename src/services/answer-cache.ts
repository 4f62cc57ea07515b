import { LRUCache } from 'lru-cache';

/**
 * History answers by key. An answer is a pure function of (scope, filter, snapshot, arguments),
 * so an entry is never invalidated: new events make a new head snapshot and thus new keys,
 * and old entries age out of the LRU, bounded in bytes.
 */
export class AnswerCache {
  private readonly entries: LRUCache<string, { value: unknown }> | null;

  constructor(maxBytes: number) {
    this.entries = maxBytes > 0 ? new LRUCache({ maxSize: maxBytes, sizeCalculation: (entry, key) => key.length + approximateBytes(entry.value) }) : null;
  }

  get enabled(): boolean {
    return this.entries !== null;
  }

  /** Keys carry the kind of answer they hold, so the value under a key has the type it was stored with. */
  get<T>(key: string): T | undefined {
    return this.entries?.get(key)?.value as T | undefined;
  }

  set(key: string, value: unknown): void {
    this.entries?.set(key, { value });
  }

  async getOrCompute<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const hit = this.get<T>(key);
    if (hit !== undefined) return hit;
    const value = await compute();
    this.set(key, value);
    return value;
  }
}

// Answers are small graphs of plain objects; their JSON length is a fair measure of their size.
function approximateBytes(value: unknown): number {
  return JSON.stringify(value, (_key, part: unknown) => (typeof part === 'bigint' ? part.toString() : part)).length * 2;
}
