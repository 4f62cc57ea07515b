import type { Logger } from 'pino';
import { assertCanInProject, can } from '../auth/permissions.ts';
import type { Principal } from '../auth/principal.ts';
import { AppError } from '../domain/errors.ts';
import { BoundedQueue } from '../events/bounded-queue.ts';
import type { ProjectService } from './project.service.ts';

/** A row of a feed table: its place in the feed. */
export interface SeqItem {
  seq: bigint;
}

/** What a subscriber gets: an item, or (last) why it was cut off. */
export type FeedItem<T> = T | { resync: string };

// Items read per look at the table; a look that fills it looks again at once.
const FEED_BATCH = 500;
/** The most items a resuming subscriber is replayed; further behind, it refetches. */
export const FEED_REPLAY_MAX = 10_000;

/** Where a feed's items are read: after a seq, of some projects (every project when null), in seq order. */
export interface SeqFeedSource<T extends SeqItem> {
  /** For people: "alert event", "anomaly change". */
  what: string;
  itemsAfter(afterSeq: bigint, projectIds: readonly string[] | null, limit: number): Promise<T[]>;
  headSeq(): Promise<bigint>;
  /** The projects whose readers may see the item (a reader of any one of them). */
  projectsOf(item: T): readonly string[];
}

/**
 * A subscription fed from a table written by the leader, whichever process it is, so no bus is
 * needed (alertEvents, anomalyEvents): one look per `pollMs` per process, only while someone
 * listens, feeds every subscriber of the process; a subscriber resuming with afterSeq is
 * replayed what it missed first, then joins the feed with no gap and no duplicate. Each
 * subscriber has a bounded queue: one that falls behind is cut off with RESYNC.
 */
export class PolledSeqFeed<T extends SeqItem> {
  private readonly listeners = new Set<(item: T) => void>();
  private timer: NodeJS.Timeout | null = null;
  private head: bigint | null = null;
  private looking: Promise<void> | null = null;

  constructor(private readonly deps: { source: SeqFeedSource<T>; projects: ProjectService; logger: Logger; bufferSize: number; pollMs: number }) {}

  async subscribe(principal: Principal, projectIds: readonly string[] | null, afterSeqText: string | null): Promise<AsyncIterableIterator<FeedItem<T>>> {
    if (projectIds) for (const projectId of projectIds) assertCanInProject(principal, 'read', projectId, 'projectIds');
    const { what } = this.deps.source;
    const afterSeq = afterSeqText === null ? null : seqOf(afterSeqText, what);
    const wanted = projectIds ? new Set(projectIds) : null;
    const readable = (item: T) => this.deps.source.projectsOf(item).some((projectId) => can(principal, 'read', projectId) && (wanted === null || wanted.has(projectId)));
    const queue = new BoundedQueue<FeedItem<T>>(this.deps.bufferSize, {
      overflowItem: { resync: `This subscriber fell more than ${this.deps.bufferSize} ${what}s behind and was cut off: refetch, then subscribe again with afterSeq` },
      onEnd: () => this.listeners.delete(listener),
    });
    let delivered = afterSeq;
    const held: T[] = [];
    let replaying = afterSeq !== null;
    const deliver = (item: T) => {
      if (delivered !== null && item.seq <= delivered) return;
      delivered = item.seq;
      queue.push(item);
    };
    const listener = (item: T) => {
      if (!readable(item)) return;
      if (replaying) held.push(item);
      else deliver(item);
    };
    this.listeners.add(listener);
    await this.start();
    if (afterSeq !== null) {
      const scope = projectIds ?? (await this.deps.projects.readableIds(principal));
      const missed = await this.deps.source.itemsAfter(afterSeq, scope, FEED_REPLAY_MAX + 1);
      if (missed.length > FEED_REPLAY_MAX) {
        await queue.return();
        throw new AppError('RESYNC', `More than ${FEED_REPLAY_MAX} ${what}s happened after ${afterSeqText}: refetch, then subscribe without afterSeq`);
      }
      for (const item of missed) deliver(item);
      replaying = false;
      for (const item of held) deliver(item);
    }
    return queue;
  }

  /** Stops looking (the process closes). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async start(): Promise<void> {
    if (this.head === null) this.head = await this.deps.source.headSeq();
    if (this.timer) return;
    this.timer = setInterval(() => this.look(), this.deps.pollMs);
    this.timer.unref();
  }

  private look(): void {
    if (this.looking) return;
    if (this.listeners.size === 0) {
      this.stop();
      this.head = null;
      return;
    }
    this.looking = this.readNew()
      .catch((error: unknown) => this.deps.logger.warn({ err: error, feed: this.deps.source.what }, 'feed.read_failed'))
      .finally(() => (this.looking = null));
  }

  private async readNew(): Promise<void> {
    for (;;) {
      const head = this.head ?? (await this.deps.source.headSeq());
      const items = await this.deps.source.itemsAfter(head, null, FEED_BATCH);
      for (const item of items) for (const listener of this.listeners) listener(item);
      const last = items.at(-1);
      if (last) this.head = last.seq;
      if (items.length < FEED_BATCH) return;
    }
  }
}

function seqOf(text: string, what: string): bigint {
  if (!/^\d{1,19}$/.test(text)) throw new AppError('BAD_USER_INPUT', `afterSeq: a decimal seq of an ${what} (got "${text.slice(0, 40)}")`);
  return BigInt(text);
}
