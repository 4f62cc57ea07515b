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
