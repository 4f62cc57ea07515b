// The subscribers, in a process of their own so that receiving never delays the writer's commit
// timestamps: graphql-ws clients of the real server, or plain ws clients of the bare broadcast.
// Each receipt goes into one preallocated typed array; latencies are computed once at the end,
// when the bench sends the commit (send) time of every seq.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { percentile } from '../shared/report.ts';
import { nowMs } from './clock.ts';
import type { FromSubscribers, Progress, SubscriberMode, Summary, ToSubscribers } from './subscribers-protocol.ts';

const RUN_EVENTS = 'subscription ($afterSeq: String) { runEvents(afterSeq: $afterSeq) { seq kind from to at } }';
// Opening handshakes (and, for graphql-ws, authentication) in flight at once.
const CONNECT_CONCURRENCY = 50;
const PROGRESS_EVERY_MS = 100;
const ARM_POLL_MS = 20;
const ARM_TIMEOUT_MS = 60_000;

interface Armed {
  base: number;
  events: number;
  /** Receipt times minus `originMs`, client-major; NaN until received. */
  receipts: Float32Array;
  originMs: number;
  /** Distinct receipts per client. */
  receivedBy: Int32Array;
  /** Clients that saw a duplicate or a seq below one they had seen. */
  disordered: Uint8Array;
}

interface Connection {
  close(): void;
}

const progress: Progress = {
  delivered: 0,
  duplicates: 0,
  outOfOrder: 0,
  unexpected: 0,
  errors: 0,
  firstError: null,
  completed: 0,
  lastReceiptMs: Number.NaN,
};
let connections: Connection[] = [];
/** The highest seq each client received. */
let lastSeq = new Float64Array(0);
/** When each client met its first error (NaN: none), and how many armed events it had received by then. */
let erroredAtMs = new Float64Array(0);
let receivedAtError = new Int32Array(0);
let armed: Armed | null = null;
let sample: string | null = null;
let progressTimer: NodeJS.Timeout | null = null;
let progressSentMs = Number.NEGATIVE_INFINITY;
let closing = false;

function send(message: FromSubscribers): void {
  process.send?.(message);
}

function receive(client: number, seq: number): void {
  const at = nowMs();
  const previous = lastSeq[client] ?? 0;
  if (seq > previous) lastSeq[client] = seq;
  if (armed === null || seq <= armed.base) return;
  const index = seq - armed.base - 1;
  if (!(index < armed.events)) {
    progress.unexpected += 1;
    return;
  }
  const slot = client * armed.events + index;
  if (!Number.isNaN(armed.receipts[slot])) {
    progress.duplicates += 1;
    armed.disordered[client] = 1;
    return;
  }
  armed.receipts[slot] = at - armed.originMs;
  armed.receivedBy[client] = (armed.receivedBy[client] ?? 0) + 1;
  if (seq < previous) {
    progress.outOfOrder += 1;
    armed.disordered[client] = 1;
  }
  progress.delivered += 1;
  progress.lastReceiptMs = at;
  // From here too, not only from the timer: a process short of CPU can go seconds without its
  // timers while it reads a backlog from its sockets, and the bench, hearing nothing, would take
  // delivery for stalled and stop waiting.
  if (progressTimer !== null && at - progressSentMs >= PROGRESS_EVERY_MS) sendProgress();
}

function sendProgress(): void {
  progressSentMs = nowMs();
  send({ type: 'progress', progress });
}

function stopProgress(): void {
  if (progressTimer) clearInterval(progressTimer);
  progressTimer = null;
}

function failure(client: number, error: unknown): void {
  if (closing || !Number.isNaN(erroredAtMs[client])) return;
  erroredAtMs[client] = nowMs();
  receivedAtError[client] = armed?.receivedBy[client] ?? 0;
  progress.errors += 1;
  progress.firstError ??= describe(error);
}

function describe(error: unknown): string {
  if (Array.isArray(error)) return error.map((entry: { message?: string; extensions?: { code?: string } }) => `${entry.extensions?.code ?? 'ERROR'}: ${entry.message ?? String(entry)}`).join('; ');
  if (error && typeof error === 'object' && 'code' in error && 'reason' in error) return `socket closed ${String(error.code)} ${String(error.reason)}`;
  return error instanceof Error ? error.message : String(error);
}

async function connectAll(mode: SubscriberMode, subscribers: number): Promise<void> {
  const started = nowMs();
  lastSeq = new Float64Array(subscribers);
  erroredAtMs = new Float64Array(subscribers).fill(Number.NaN);
  receivedAtError = new Int32Array(subscribers);
  connections = new Array<Connection>(subscribers);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONNECT_CONCURRENCY, subscribers) }, async () => {
      while (next < subscribers) {
        const client = next;
        next += 1;
        const url = mode.urls[client % mode.urls.length] ?? '';
        connections[client] = mode.kind === 'graphql-ws' ? await graphqlWsSubscriber(url, mode, client) : await plainSubscriber(url, client);
      }
    }),
  );
  send({ type: 'connected', clients: subscribers, connectMs: nowMs() - started });
}

/** Resolves once the server acknowledged the connection; the subscribe message goes right after. */
function graphqlWsSubscriber(url: string, mode: Extract<SubscriberMode, { kind: 'graphql-ws' }>, index: number): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const client: Client = createClient({
      url,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${mode.token}` },
      retryAttempts: 0,
      on: {
        opened: (socket) => {
          if (index === 0) captureSample(socket as WebSocket);
        },
        connected: () => resolve({ close: () => void client.dispose() }),
        closed: (event) => {
          failure(index, event);
          reject(new Error(`subscriber ${index} could not connect: ${describe(event)}`));
        },
      },
    });
    client.subscribe<{ runEvents: { seq: string } }>(
      { query: RUN_EVENTS, variables: { afterSeq: mode.afterSeq } },
      {
        next: (value) => {
          const event = value.data?.runEvents;
          if (event) receive(index, Number(event.seq));
          else failure(index, value.errors ?? 'a next message without data');
        },
        error: (error) => failure(index, error),
        complete: () => {
          if (!closing) progress.completed += 1;
        },
      },
    );
  });
}

function plainSubscriber(url: string, index: number): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    if (index === 0) captureSample(socket);
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { payload: { data: { runEvents: { seq: string } } } };
      receive(index, Number(message.payload.data.runEvents.seq));
    });
    socket.once('open', () => resolve({ close: () => socket.terminate() }));
    socket.once('error', (error) => {
      failure(index, error);
      reject(error);
    });
    socket.once('close', (code, reason) => failure(index, { code, reason: String(reason) }));
  });
}

/** The first data message one client receives, exactly as the wire carried it. */
function captureSample(socket: WebSocket): void {
  const listener = (data: WebSocket.RawData): void => {
    const text = String(data);
    if (!text.includes('"next"')) return;
    sample = text;
    socket.off('message', listener);
  };
  socket.on('message', listener);
}

async function arm(base: number, events: number): Promise<void> {
  const clients = lastSeq.length;
  const receipts = new Float32Array(clients * events);
  receipts.fill(Number.NaN);
  armed = { base, events, receipts, originMs: nowMs(), receivedBy: new Int32Array(clients), disordered: new Uint8Array(clients) };
  const started = nowMs();
  for (;;) {
    const missing = lastSeq.reduce((count, seq) => (seq < base ? count + 1 : count), 0);
    if (missing === 0) break;
    if (nowMs() - started > ARM_TIMEOUT_MS) {
      send({ type: 'not-armed', missing, firstError: progress.firstError });
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, ARM_POLL_MS));
  }
  send({ type: 'armed', waitedMs: nowMs() - started, sample });
  progressTimer = setInterval(sendProgress, PROGRESS_EVERY_MS);
}

function summarize(commitMs: Float64Array): Summary {
  if (!armed) throw new Error('finish before arm');
  const { events, receipts, originMs, receivedBy, disordered } = armed;
  const written = commitMs.length;
  const latencies = new Float32Array(progress.delivered);
  let count = 0;
  let beforeCommit = 0;
  let completeClients = 0;
  let erroredAfterLast = 0;
  let firstErrorMs = Number.NaN;
  for (let client = 0; client < receivedBy.length; client += 1) {
    const erroredAt = erroredAtMs[client] ?? Number.NaN;
    if (!Number.isNaN(erroredAt)) {
      if (receivedAtError[client] === written) erroredAfterLast += 1;
      if (!(firstErrorMs <= erroredAt)) firstErrorMs = erroredAt;
    }
    for (let index = 0; index < written; index += 1) {
      const receipt = receipts[client * events + index] ?? Number.NaN;
      if (Number.isNaN(receipt)) continue;
      const latency = originMs + receipt - (commitMs[index] ?? Number.NaN);
      if (latency < 0) beforeCommit += 1;
      latencies[count] = latency;
      count += 1;
    }
    if (receivedBy[client] === written && disordered[client] === 0) completeClients += 1;
  }
  const sorted = latencies.subarray(0, count).sort();
  return {
    ...progress,
    clients: receivedBy.length,
    expected: receivedBy.length * written,
    completeClients,
    latency: count === 0 ? null : { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted[count - 1] ?? Number.NaN, min: sorted[0] ?? Number.NaN },
    beforeCommit,
    erroredAfterLast,
    firstErrorMs,
  };
}

function closeAll(): void {
  closing = true;
  stopProgress();
  for (const connection of connections) connection?.close();
  // Let the close frames go out, then leave whatever is still open to the kernel.
  setTimeout(() => process.exit(0), 500).unref();
}

process.on('message', (message: ToSubscribers) => {
  const work = (async () => {
    switch (message.type) {
      case 'connect':
        return connectAll(message.mode, message.subscribers);
      case 'arm':
        return arm(message.base, message.events);
      case 'finish':
        stopProgress();
        return send({ type: 'summary', summary: summarize(message.commitMs) });
      case 'close':
        return closeAll();
    }
  })();
  work.catch((error: unknown) => send({ type: 'failed', message: error instanceof Error ? error.message : String(error) }));
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
// Ctrl-C reaches the whole process group: the bench stops this process in its own clean-up.
process.on('SIGINT', () => {});
