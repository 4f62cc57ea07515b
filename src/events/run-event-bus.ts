import { createPubSub } from '@graphql-yoga/subscription';
import type { RunEventMessage } from '../domain/run-event-message.ts';

/** Fans recorded events out to subscribers; publish only after the events' transaction committed. */
export interface RunEventBus {
  publish(events: readonly RunEventMessage[]): void;
  subscribe(): AsyncIterable<RunEventMessage>;
  close(): Promise<void>;
}

export class InProcessRunEventBus implements RunEventBus {
  private readonly pubSub = createPubSub<{ runEvent: [RunEventMessage] }>();

  publish(events: readonly RunEventMessage[]): void {
    for (const event of events) this.pubSub.publish('runEvent', event);
  }

  subscribe(): AsyncIterable<RunEventMessage> {
    return this.pubSub.subscribe('runEvent');
  }

  async close(): Promise<void> {}
}
