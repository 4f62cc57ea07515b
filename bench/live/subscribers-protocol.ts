// Messages between the bench and its subscriber process (bench/live/subscribers.process.ts).

/** Client i connects to urls[i % urls.length]: the subscribers are spread evenly over the servers. */
export type SubscriberMode =
  /** graphql-ws clients of the real servers, each subscribed to runEvents after `afterSeq`. */
  | { kind: 'graphql-ws'; urls: string[]; token: string; afterSeq: string }
  /** Plain ws clients of the bare broadcast servers. */
  | { kind: 'plain'; urls: string[] };

export type ToSubscribers =
  | { type: 'connect'; mode: SubscriberMode; subscribers: number }
  /**
   * Receipts of seqs base+1 … base+events are recorded from now on; answered with 'armed' once
   * every client has received `base` itself (the warm-up event), so that all are known to be live.
   */
  | { type: 'arm'; base: number; events: number }
  /** Answered with 'summary'; commitMs[i] is when seq base+1+i was committed (sent): one per event written, which may be fewer than armed. */
  | { type: 'finish'; commitMs: Float64Array }
  | { type: 'close' };

export interface Progress {
  /** Distinct (client, seq) receipts of armed seqs. */
  delivered: number;
  duplicates: number;
  outOfOrder: number;
  /** Receipts of seqs outside the armed range (after arming). */
  unexpected: number;
  /** Clients that met an error (a closed socket, an error message), each counted once. */
  errors: number;
  firstError: string | null;
  /** Streams that ended before the bench closed them. */
  completed: number;
  /** On nowMs' clock; NaN before the first armed receipt. */
  lastReceiptMs: number;
}

export interface Summary extends Progress {
  clients: number;
  /** clients x events written. */
  expected: number;
  /** Clients that received every armed seq exactly once, in increasing order. */
  completeClients: number;
  latency: { p50: number; p99: number; max: number; min: number } | null;
  /** Receipts that came before their commit time: the writer notes a commit when it publishes, which may come after the server read the event from the database. */
  beforeCommit: number;
  /** Of the clients that met an error: how many had received every event by then. */
  erroredAfterLast: number;
  /** When the first client met its error, on nowMs' clock; NaN if none did. */
  firstErrorMs: number;
}

export type FromSubscribers =
  | { type: 'connected'; clients: number; connectMs: number }
  /** `sample`: the first message text one client received (the warm-up event, as the wire carried it). */
  | { type: 'armed'; waitedMs: number; sample: string | null }
  | { type: 'not-armed'; missing: number; firstError: string | null }
  | { type: 'progress'; progress: Progress }
  | { type: 'summary'; summary: Summary }
  | { type: 'failed'; message: string };
