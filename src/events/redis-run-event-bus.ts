import { createPubSub } from '@graphql-yoga/subscription';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { openRedis, openRedisSubscriber } from '../db/redis-connection.ts';
import type { RunEventBus } from './run-event-bus.ts';
import type { RunEventMessage } from '../domain/run-event-message.ts';

/**
 * Events through Redis pub/sub, so that every API process streams every event, whichever
 * process wrote it. Redis may reorder nothing but can drop messages while a connection is
 * down; the sequenced feed behind this bus notices the gap and reads the events from the
 * database (and catches up as soon as the subscriber connection is back).
 */
export class RedisRunEventBus implements RunEventBus {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly local = createPubSub<{ runEvent: [RunEventMessage] }>();
  private readonly channel: string;
  private readonly subscribed: () => Promise<void>;
  private reconnectListener: (() => void) | null = null;

  constructor(
    private readonly deps: {
      url: string;
      /** The database's instance id: its processes share a channel, another database on the same Redis has its own. */
      namespace: string;
      logger: Logger;
    },
  ) {
    this.channel = `runtrail:run-events:${deps.namespace}`;
    this.publisher = openRedis(deps.url, 'events-publisher', deps.logger);
    const subscriber = openRedisSubscriber(deps.url, 'events-subscriber', this.channel, deps.logger, () => this.reconnectListener?.());
    this.subscriber = subscriber.redis;
    this.subscribed = subscriber.connect;
    this.subscriber.on('message', (_channel: string, text: string) => this.receive(text));
  }

  async connect(): Promise<void> {
    await this.publisher.connect();
    await this.subscribed();
  }

  /** Called each time the subscriber connection is back after a drop (messages may be lost meanwhile). */
  onReconnect(listener: () => void): void {
    this.reconnectListener = listener;
  }

  publish(events: readonly RunEventMessage[]): void {
    if (events.length === 0) return;
    this.publisher.publish(this.channel, JSON.stringify(events)).catch((error: unknown) => this.deps.logger.warn({ err: error }, 'redis.publish_failed'));
  }

  subscribe(): AsyncIterable<RunEventMessage> {
    return this.local.subscribe('runEvent');
  }

  async close(): Promise<void> {
    this.publisher.disconnect();
    this.subscriber.disconnect();
  }

  private receive(text: string): void {
    try {
      for (const event of JSON.parse(text) as RunEventMessage[]) this.local.publish('runEvent', event);
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'redis.bad_message');
    }
  }
}
