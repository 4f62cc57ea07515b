import type { Principal } from '../auth/principal.ts';
import { canReadProject } from '../auth/read-access.ts';
import type { Logger } from 'pino';
import type { HistoryReader } from '../db/history-reader.ts';
import { AppError } from '../domain/errors.ts';
import { parseSeqText } from '../domain/cursor.ts';
import type { RunSelection } from '../domain/history/run-selection.ts';
import type { RunFilterSpec } from '../domain/run-filter.ts';
import { selectsRunEvent } from '../domain/run-event-filter.ts';
import { BoundedQueue } from '../events/bounded-queue.ts';
import { ChangeSignal } from '../events/change-signal.ts';
import { followedBy } from '../events/pollable.ts';
import type { RunEventMessage } from '../domain/run-event-message.ts';
import type { SequencedRunEventFeed } from '../events/sequenced-feed.ts';
import type { EventNarrowing, RunEventLogRepository } from '../repositories/run-event-log.repository.ts';
import type { StatusCountsData } from '../domain/history/status-counts.ts';
import type { RunHistoryService } from './run-history.service.ts';
import type { ArchiveReadsService } from './archive/archive-reads.service.ts';

/** Ends a stream that can no longer be complete: the client refetches and subscribes again. */
export interface ResyncSignal {
  resync: string;
}

export type RunEventStreamItem = RunEventMessage | ResyncSignal;

export function isResync(item: RunEventStreamItem): item is ResyncSignal {
  return 'resync' in item;
}

const REPLAY_BATCH = 500;
/** The longest a replay goes on before other work gets a turn of the event loop. */
const REPLAY_SLICE_MS = 10;

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

interface RunEventStreamDeps {
  feed: SequencedRunEventFeed;
  history: RunHistoryService;
  events: RunEventLogRepository;
  reader: HistoryReader;
  logger: Logger;
  /** How many events a subscriber may fall behind before it is cut off with RESYNC. */
  bufferSize: number;
  /** The most events an afterSeq may ask to replay; further back the answer is RESYNC. */
  replayMaxEvents: number;
  /** The shortest time between two pushes of a statusCounts subscription. */
  countsIntervalMs: number;
  archives: ArchiveReadsService;
}

export class RunEventStreamService {
  constructor(private readonly deps: RunEventStreamDeps) {}

  /**
   * Every event the caller may read that the filter selects, in strictly increasing seq. With
   * `afterSeq`, the events after it come first from the event log, then the live ones: the live
   * stream is joined before the log is read, and what both hold is passed on once.
   */
  async subscribe(principal: Principal, filter: RunFilterSpec, afterSeqText: string | null): Promise<AsyncIterableIterator<RunEventStreamItem>> {
    const selection = await this.deps.history.selectionFor(principal, filter);
    const afterSeq = afterSeqText === null ? null : parseSeq(afterSeqText);
    const selected = (event: RunEventMessage) => canReadProject(principal, event.projectId) && selectsRunEvent(selection, event);
    let stopListening: (() => void) | null = null;
    const queue = new BoundedQueue<RunEventStreamItem>(this.deps.bufferSize, {
      overflowItem: { resync: `This subscriber fell more than ${this.deps.bufferSize} events behind and was cut off: refetch, then subscribe again with afterSeq` },
      onEnd: (overflowed) => {
        stopListening?.();
        // The client hears of it only once it has read what was sent before, which may be never.
        if (overflowed) this.deps.logger.warn({ userId: principal.userId, bufferSize: this.deps.bufferSize }, 'events.subscriber_cut_off');
      },
    });
    stopListening = await this.deps.feed.listen((event) => {
      if (selected(event)) queue.push(event);
    });
    // It may have overflowed before there was a listener to stop.
    if (queue.isEnded) stopListening();
    try {
      const replay = afterSeq === null ? null : await this.replayBounds(afterSeq);
      if (replay === null) return queue;
      if ('resync' in replay) {
        await queue.return();
        return only(replay);
      }
      return followedBy(this.replay(selected, { statuses: selection.statuses, projectIds: selection.projectIds }, replay, queue), queue);
    } catch (error) {
      await queue.return();
      throw error;
    }
  }

  /**
   * The filter's counts now, then again whenever a selected run changes status, at most once
   * per interval: a burst of changes makes one push, computed at the snapshot after it.
   */
  async statusCounts(principal: Principal, filter: RunFilterSpec): Promise<AsyncIterable<StatusCountsData>> {
    const selection = await this.deps.history.selectionFor(principal, filter);
    const anyStatus = { ...selection, statuses: null };
    const changes = new ChangeSignal();
    const stopListening = await this.deps.feed.listen((event) => {
      if (event.kind === 'RUN' && canReadProject(principal, event.projectId) && selectsRunEvent(anyStatus, event)) changes.notify();
    });
    return this.countsStream(selection, changes, stopListening);
  }

  private async *countsStream(selection: RunSelection, changes: ChangeSignal, stopListening: () => void): AsyncGenerator<StatusCountsData> {
    try {
      let pushed = await this.deps.history.countsNow(selection);
      yield pushed;
      let lastPush = Date.now();
      for (;;) {
        if (!(await changes.next())) return;
        const wait = lastPush + this.deps.countsIntervalMs - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        changes.clear();
        const counts = await this.deps.history.countsNow(selection);
        lastPush = Date.now();
        if (counts.total === pushed.total && counts.byStatus.every((entry, index) => entry.count === pushed.byStatus[index]?.count)) continue;
        pushed = counts;
        yield counts;
      }
    } finally {
      stopListening();
      changes.close();
    }
  }

  /** The highest seq among the events in the archives. */
  private async archivedThrough(): Promise<bigint> {
    return (await this.deps.archives.view(this.deps.reader)).horizon;
  }

  private async replayBounds(afterSeq: bigint): Promise<{ after: bigint; through: bigint } | ResyncSignal> {
    const head = await this.deps.events.head(this.deps.reader);
    if (afterSeq > head) throw new AppError('BAD_USER_INPUT', `afterSeq ${afterSeq} is ahead of the newest event (${head})`, { argument: 'afterSeq' });
    const oldest = await this.deps.events.oldestSeq(this.deps.reader);
    if (oldest > 0n && afterSeq + 1n < oldest) {
      return { resync: `afterSeq ${afterSeq} is older than the event log, which starts at ${oldest}: refetch, then subscribe from the new snapshot` };
    }
    const archived = await this.archivedThrough();
    if (afterSeq < archived) return archivedResync(afterSeq, archived);
    if (head - afterSeq > BigInt(this.deps.replayMaxEvents)) {
      return {
        resync: `afterSeq ${afterSeq} is ${head - afterSeq} events behind the newest (${head}); a replay reaches back at most ${this.deps.replayMaxEvents} events: refetch, then subscribe from the new snapshot`,
      };
    }
    return { after: afterSeq, through: head };
  }

  /**
   * The log's events after `after` through `through`, then the first live event past the last
   * of them: the live ones up to there were in the log, and the feed's seqs only increase. The
   * log is read in batches narrowed by the database, and the event loop gets a turn between
   * batches and whenever delivering events has taken a slice of time.
   */
  private async *replay(
    selected: (event: RunEventMessage) => boolean,
    narrowing: EventNarrowing,
    replay: { after: bigint; through: bigint },
    queue: BoundedQueue<RunEventStreamItem>,
  ): AsyncGenerator<RunEventStreamItem> {
    let last = replay.after;
    let sliceStart = performance.now();
    while (last < replay.through) {
      const batch = await this.deps.events.eventMessagesAfter(this.deps.reader, last, replay.through, REPLAY_BATCH, narrowing);
      const final = batch.at(-1);
      if (!final) break;
      for (const event of batch) {
        if (!selected(event)) continue;
        // The consumer resolves each event's fields between two of these yields, on SQLite
        // without ever waiting on I/O: without a turn of the event loop now and then, a long
        // replay would hold up every other request until it ends.
        yield event;
        if (performance.now() - sliceStart >= REPLAY_SLICE_MS) {
          await nextTurn();
          sliceStart = performance.now();
        }
      }
      last = BigInt(final.seq);
      if (last < replay.through) {
        await nextTurn();
        sliceStart = performance.now();
      }
    }
    // Runs archived while the log was read took their events with them.
    const archived = await this.archivedThrough();
    if (replay.after < archived) {
      yield archivedResync(replay.after, archived);
      return;
    }
    last = replay.through;
    for (;;) {
      const live = await queue.next();
      if (live.done) return;
      if (isResync(live.value) || BigInt(live.value.seq) > last) {
        yield live.value;
        return;
      }
    }
  }
}

/**
 * A replay cannot reach past events that moved to the archive with their runs: such a replay
 * ends with RESYNC, as one older than the event log does (the archive is read by queries, never
 * replayed: its events are old, and moved out of seq order).
 */
function archivedResync(afterSeq: bigint, archivedThrough: bigint): ResyncSignal {
  return { resync: `afterSeq ${afterSeq} is older than events moved to the archive (up to seq ${archivedThrough}): refetch, then subscribe from the new snapshot` };
}

async function* only<T>(item: T): AsyncGenerator<T> {
  yield item;
}

function parseSeq(text: string): bigint {
  return parseSeqText(text, 'afterSeq', 'an event seq');
}
