import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { openRedis } from '../db/redis-connection.ts';
import { decodeAnswer, encodeAnswer, type AnswerStore } from './answer-cache.ts';

/**
 * The answer cache shared by every process of one database. Entries live as long as a
 * snapshot may be asked for (the snapshot horizon), so Redis never fills with old ones; a
 * Redis that does not answer is a cache miss, never an error.
 */
export class RedisAnswerStore implements AnswerStore {
  readonly enabled = true;
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(private readonly deps: { url: string; namespace: string; ttlSeconds: number; logger: Logger }) {
    this.redis = openRedis(deps.url, 'answers', deps.logger, { maxRetriesPerRequest: 1 });
    this.prefix = `runtrail:answers:${deps.namespace}:`;
  }

  connect(): Promise<void> {
    return this.redis.connect();
  }

  async get(key: string): Promise<unknown> {
    try {
      const text = await this.redis.get(this.prefix + key);
      return text === null ? undefined : decodeAnswer(text);
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'redis.answers_get_failed');
      return undefined;
    }
  }

  async set(key: string, value: unknown): Promise<void> {
    try {
      await this.redis.set(this.prefix + key, encodeAnswer(value), 'EX', this.deps.ttlSeconds);
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'redis.answers_set_failed');
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
