import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { openRedis } from '../db/redis-connection.ts';
import { InProcessStepLogSignals, type StepLogSignals } from './step-log-signals.ts';

/**
 * Signals through Redis pub/sub, so a follower on one process wakes when a worker on another
 * ships a piece of the log. This process's followers hear it at once, without the round trip.
 */
export class RedisStepLogSignals implements StepLogSignals {
  private readonly local = new InProcessStepLogSignals();
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly channel: string;
  // Our own signals come back through Redis: they were heard here already.
  private readonly origin = `${process.pid}:${Math.random().toString(36).slice(2)}`;

  constructor(private readonly deps: { url: string; namespace: string; logger: Logger }) {
    this.channel = `runtrail:step-logs:${deps.namespace}`;
    this.publisher = openRedis(deps.url, 'step-logs-publisher', deps.logger);
    this.subscriber = openRedis(deps.url, 'step-logs-subscriber', deps.logger);
    this.subscriber.on('message', (_channel: string, message: string) => {
      const [from, stepRunId] = message.split(' ');
      if (from !== this.origin && stepRunId !== undefined) this.local.announce(stepRunId);
    });
  }

  async connect(): Promise<void> {
    await this.publisher.connect();
    await this.subscriber.connect();
    await this.subscriber.subscribe(this.channel);
  }

  announce(stepRunId: string): void {
    this.local.announce(stepRunId);
    this.publisher.publish(this.channel, `${this.origin} ${stepRunId}`).catch((error: unknown) => this.deps.logger.warn({ err: error }, 'redis.publish_failed'));
  }

  onAppend(listener: (stepRunId: string) => void): () => void {
    return this.local.onAppend(listener);
  }

  async close(): Promise<void> {
    this.publisher.disconnect();
    this.subscriber.disconnect();
    await this.local.close();
  }
}
