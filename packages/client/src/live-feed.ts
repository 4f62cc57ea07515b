import { ResyncError, RuntrailError, TransportError } from './errors.ts';

/** How a feed waits before it reconnects: doubling from `initialMs` up to `maxMs`, reset by each item. */
export interface ReconnectOptions {
  /** Default 500 ms. */
  initialMs?: number;
  /** Default 30 s. */
  maxMs?: number;
  /** Consecutive failed attempts before the feed gives up with the last error; default: never. */
  maxAttempts?: number;
}

/**
 * What to do on RESYNC (the feed fell too far behind, or `afterSeq` is older than the event log):
 * refetch what the feed keeps current, then answer the seq to follow on from, typically the
 * `snapshot` of that refetch. Without a handler the feed throws the ResyncError.
 */
export type ResyncHandler = (error: ResyncError) => Promise<string> | string;

export interface FeedOptions {
  /** Resume after this seq (or an answer's snapshot); default: from now. */
  afterSeq?: string | null;
  onResync?: ResyncHandler;
  reconnect?: ReconnectOptions;
  /** Called before each reconnection, with the error that ended the connection and the wait. */
  onReconnect?: (error: RuntrailError, delayMs: number) => void;
  /** Ends the feed (the iterator returns). */
  signal?: AbortSignal;
}

function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** A lost connection is worth another attempt; an answer the server gave on purpose (bad input, no access) is not. */
function isTransient(error: RuntrailError): boolean {
  return error instanceof TransportError || error.code === 'RATE_LIMITED' || error.code === 'INTERNAL_SERVER_ERROR';
}

const DECIMAL = /^(0|[1-9][0-9]{0,19})$/;

export function checkedSeq(value: string, what: string): string {
  if (!DECIMAL.test(value)) throw new TypeError(`${what} must be a decimal seq such as "1042" (an event's seq or an answer's snapshot), not ${JSON.stringify(value)}`);
  return value;
}

function checkedReconnect(options: ReconnectOptions | undefined): { initialMs: number; maxMs: number; maxAttempts: number } {
  const initialMs = options?.initialMs ?? 500;
  const maxMs = options?.maxMs ?? 30_000;
  const maxAttempts = options?.maxAttempts ?? Number.POSITIVE_INFINITY;
  if (!Number.isFinite(initialMs) || initialMs < 1) throw new RangeError(`reconnect.initialMs must be at least 1 ms, not ${initialMs}`);
  if (!Number.isFinite(maxMs) || maxMs < initialMs) throw new RangeError(`reconnect.maxMs must be at least reconnect.initialMs (${initialMs}), not ${maxMs}`);
  if (maxAttempts !== Number.POSITIVE_INFINITY && (!Number.isInteger(maxAttempts) || maxAttempts < 0)) {
    throw new RangeError(`reconnect.maxAttempts must be a whole number of attempts (0 or more), not ${maxAttempts}`);
  }
  return { initialMs, maxMs, maxAttempts };
}

/**
 * Follows a feed across disconnections: each (re)subscription asks for what came after the last
 * item passed on, so nothing is missed nor passed on twice. `subscribe(afterSeq)` opens one
 * subscription; `seqOf` reads an item's seq (null for feeds that restart from the current state).
 */
export async function* resumingFeed<TItem>(
  operation: string,
  subscribe: (afterSeq: string | null) => AsyncIterable<TItem>,
  seqOf: (item: TItem) => string | null,
  options: FeedOptions,
): AsyncGenerator<TItem, void, undefined> {
  let afterSeq = options.afterSeq == null ? null : checkedSeq(options.afterSeq, 'afterSeq');
  const { initialMs, maxMs, maxAttempts } = checkedReconnect(options.reconnect);
  // Attempts since the last item: a feed that keeps failing (or resyncing) waits longer each time.
  let failures = 0;
  const backoffMs = () => Math.min(maxMs, initialMs * 2 ** (failures - 1));
  while (!options.signal?.aborted) {
    let ended: RuntrailError;
    try {
      for await (const item of subscribe(afterSeq)) {
        failures = 0;
        const seq = seqOf(item);
        if (seq !== null) afterSeq = seq;
        yield item;
        if (options.signal?.aborted) return;
      }
      if (options.signal?.aborted) return;
      // The server ended the feed (it shuts down): follow on like after a dropped connection.
      ended = new TransportError(`The server ended ${operation}`, operation, null);
    } catch (error) {
      if (options.signal?.aborted) return;
      if (!(error instanceof RuntrailError)) throw error;
      if (error instanceof ResyncError) {
        if (!options.onResync) throw error;
        failures += 1;
        if (failures > 1) await wait(backoffMs(), options.signal);
        afterSeq = checkedSeq(await options.onResync(error), 'the seq onResync answered');
        continue;
      }
      if (!isTransient(error)) throw error;
      ended = error;
    }
    failures += 1;
    if (failures > maxAttempts) throw ended;
    options.onReconnect?.(ended, backoffMs());
    await wait(backoffMs(), options.signal);
  }
}
