import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { openRedis, openRedisSubscriber } from '../db/redis-connection.ts';
import { InProcessAccessChanges, type AccessChanges } from './access-changes.ts';

/**
 * Announcements through Redis pub/sub, so a token revoked through one process closes its
 * sockets on every process. This process's own connections hear it at once, without waiting
 * for Redis. An announcement made while the subscriber connection was away is lost: once it is
 * back, this process checks its connections as if it had heard one.
 */
export class RedisAccessChanges implements AccessChanges {
  private readonly local = new InProcessAccessChanges();
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly subscribed: () => Promise<void>;
  private readonly channel: string;
  // Our own announcements come back through Redis: they were heard here already.
  private readonly origin = `${process.pid}:${Math.random().toString(36).slice(2)}`;

  constructor(private readonly deps: { url: string; namespace: string; logger: Logger }) {
    this.channel = `runtrail:access:${deps.namespace}`;
    this.publisher = openRedis(deps.url, 'access-publisher', deps.logger);
    const subscriber = openRedisSubscriber(deps.url, 'access-subscriber', this.channel, deps.logger, () => this.local.announce());
    this.subscriber = subscriber.redis;
    this.subscribed = subscriber.connect;
    this.subscriber.on('message', (_channel: string, from: string) => {
      if (from !== this.origin) this.local.announce();
    });
  }

  async connect(): Promise<void> {
    await this.publisher.connect();
    await this.subscribed();
  }

  announce(): void {
    this.local.announce();
    this.publisher.publish(this.channel, this.origin).catch((error: unknown) => this.deps.logger.warn({ err: error }, 'redis.publish_failed'));
  }

  onChange(listener: () => void): () => void {
    return this.local.onChange(listener);
  }

  async close(): Promise<void> {
    this.publisher.disconnect();
    this.subscriber.disconnect();
    await this.local.close();
  }
}
