import type { Logger } from 'pino';
import type { RunEventBus } from './run-event-bus.ts';
import type { RunEventMessage } from '../domain/run-event-message.ts';

export type RunEventListener = (event: RunEventMessage) => void;

const BACKFILL_BATCH = 1_000;

interface SequencedFeedDeps {
  bus: RunEventBus;
  /** The first `limit` committed events with after < seq <= through, in seq order. */
  backfill(after: bigint, through: bigint, limit: number): Promise<RunEventMessage[]>;
  head(): Promise<bigint>;
  logger: Logger;
}

/**
 * This process's view of the event stream: every committed event exactly once, in strictly
 * increasing seq, whatever the bus does. An event that arrives ahead of the one expected means
 * events were missed (another process's, a Redis hiccup): they are read from the database
 * first. Writers commit in seq order (src/repositories/run-event.repository.ts), so every seq
 * below a published one is committed and can be read.
 */
export class SequencedRunEventFeed {
  private readonly listeners = new Set<RunEventListener>();
  private expected: bigint | null = null;
  private started: Promise<void> | null = null;
  private turn: Promise<void> = Promise.resolve();
  private consuming: AsyncIterator<RunEventMessage> | null = null;

  constructor(private readonly deps: SequencedFeedDeps) {}

  /** Starts following the bus on first use; returns the function that stops listening. */
  async listen(listener: RunEventListener): Promise<() => void> {
    this.listeners.add(listener);
    await this.start();
    return () => this.listeners.delete(listener);
  }

  /** Delivers whatever was committed and not yet delivered (after a bus reconnect). */
  catchUp(): Promise<void> {
    return this.inTurn(async () => {
      if (this.expected === null) return;
      const head = await this.deps.head();
      if (head >= this.expected) await this.backfill(this.expected - 1n, head);
    });
  }

  async stop(): Promise<void> {
    await this.consuming?.return?.();
    await this.turn;
  }

  private start(): Promise<void> {
    this.started ??= (async () => {
      const iterator = this.deps.bus.subscribe()[Symbol.asyncIterator]();
      this.consuming = iterator;
      this.expected = (await this.deps.head()) + 1n;
      void this.consume(iterator);
    })();
    return this.started;
  }

  private async consume(iterator: AsyncIterator<RunEventMessage>): Promise<void> {
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      const event = next.value;
      void this.inTurn(() => this.deliver(event));
    }
  }

  private async deliver(event: RunEventMessage): Promise<void> {
    const seq = BigInt(event.seq);
    if (this.expected === null || seq < this.expected) return;
    if (seq > this.expected) {
      await this.backfill(this.expected - 1n, seq - 1n);
    }
    this.emit(event);
  }

  /** Missed events, in batches with a turn of the event loop between them: a long gap holds up no request. */
  private async backfill(after: bigint, through: bigint): Promise<void> {
    let last = after;
    while (last < through) {
      const batch = await this.deps.backfill(last, through, BACKFILL_BATCH);
      const final = batch.at(-1);
      if (!final) return;
      for (const event of batch) this.emit(event);
      last = BigInt(final.seq);
      if (last < through) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private emit(event: RunEventMessage): void {
    const seq = BigInt(event.seq);
    if (this.expected !== null && seq < this.expected) return;
    this.expected = seq + 1n;
    for (const listener of this.listeners) listener(event);
  }

  private inTurn(work: () => Promise<void>): Promise<void> {
    this.turn = this.turn.then(work).catch((error: unknown) => this.deps.logger.error({ err: error }, 'events.feed_failed'));
    return this.turn;
  }
}
