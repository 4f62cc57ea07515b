import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';

/**
 * A Redis connection of this process. It carries a client name (`runtrail:<pid>:<role>`, shown
 * by CLIENT LIST) so an operator can tell whose connection is whose; its errors are logged,
 * never left unhandled, and ioredis reconnects on its own (with backoff, forever) and
 * subscribes a subscriber connection again to its channels.
 */
export function openRedis(url: string, role: string, logger: Logger, options: RedisOptions = {}): Redis {
  const redis = new Redis(url, { lazyConnect: true, connectionName: `runtrail:${process.pid}:${role}`, ...options });
  redis.on('error', (error: Error) => logger.warn({ err: error, redis: role }, 'redis.error'));
  return redis;
}

/**
 * A subscriber connection to one channel. `onBack` runs each time the subscription is in
 * place again after a drop, never on the first connect: Redis delivers nothing published
 * while the connection was away, so the caller catches up on what it may have missed. It runs
 * after the SUBSCRIBE reply, the moment from which Redis delivers again, so that no message
 * falls between the catch-up and the subscription.
 */
export function openRedisSubscriber(url: string, role: string, channel: string, logger: Logger, onBack: () => void): { redis: Redis; connect: () => Promise<void> } {
  const redis = openRedis(url, role, logger);
  let connectedOnce = false;
  redis.on('ready', () => {
    if (connectedOnce) {
      redis.subscribe(channel).then(onBack, (error: unknown) => logger.warn({ err: error, redis: role }, 'redis.resubscribe_failed'));
    }
    connectedOnce = true;
  });
  return {
    redis,
    connect: async () => {
      await redis.connect();
      await redis.subscribe(channel);
    },
  };
}
