import type { Logger } from 'pino';
import type { RunEventBus } from './run-event-bus.ts';
import type { RunEventMessage } from '../domain/run-event-message.ts';

export type RunEventListener = (event: RunEventMessage) => void;

const BACKFILL_BATCH = 1_000;

/**
 * The most CPU time the feed spends handing events to its listeners before the event loop gets
 * a turn. A process that fell behind (descheduled on a busy machine, a burst from the bus)
 * holds a backlog of events; delivered in one go, the sockets' writes of the first would wait
 * for the fan-out of the last (WriteWindow holds writes at least to the end of a turn), and so would the
 * bus's next messages and every request. Counted in CPU time, not wall time: a process that is
 * descheduled mid-slice still coalesces as many events per write as one that is not, since
 * each write, not the work per event, is most of what a delivery costs.
 */
export const DELIVERY_SLICE_CPU_MS = 10;

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

interface SequencedFeedDeps {
  bus: RunEventBus;
  /** The first `limit` committed events with after < seq <= through, in seq order. */
  backfill(after: bigint, through: bigint, limit: number): Promise<RunEventMessage[]>;
  head(): Promise<bigint>;
  logger: Logger;
  /** Milliseconds of CPU time this process has used: process.cpuUsage() unless a test counts them. */
  cpuMs?: () => number;
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
  /** When the current slice of deliveries must end; null once the event loop has turned since it began. */
  private sliceEndsAt: number | null = null;
  private readonly cpuMs: () => number;

  constructor(private readonly deps: SequencedFeedDeps) {
    this.cpuMs = deps.cpuMs ?? processCpuMs;
  }

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
    await this.emitInSlice(event);
  }

  /** Emits the event in the current slice of deliveries, or in a new one after a turn of the event loop when that slice is used up. */
  private async emitInSlice(event: RunEventMessage): Promise<void> {
    if (this.sliceEndsAt !== null && this.cpuMs() >= this.sliceEndsAt) await nextTurn();
    if (this.sliceEndsAt === null) {
      this.sliceEndsAt = this.cpuMs() + DELIVERY_SLICE_CPU_MS;
      // Runs at the next turn of the event loop, whichever work brought it about: the slice ends there.
      setImmediate(() => (this.sliceEndsAt = null));
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
      for (const event of batch) await this.emitInSlice(event);
      last = BigInt(final.seq);
      if (last < through) await nextTurn();
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

function processCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
