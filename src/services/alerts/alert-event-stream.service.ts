import type { Logger } from 'pino';
import { assertCanInProject, can } from '../../auth/permissions.ts';
import type { Principal } from '../../auth/principal.ts';
import { AppError } from '../../domain/errors.ts';
import { BoundedQueue } from '../../events/bounded-queue.ts';
import type { AlertEventRecord, AlertStateRepository } from '../../repositories/alert-state.repository.ts';
import type { ProjectService } from '../project.service.ts';

/** What a subscriber gets: an event, or (last) why it was cut off. */
export type AlertEventStreamItem = AlertEventRecord | { resync: string };

// Events read per look at the table; a look that fills it looks again at once.
const FEED_BATCH = 500;
/** The most events a resuming subscriber is replayed; further behind, it refetches. */
export const ALERT_REPLAY_MAX = 10_000;

/**
 * The alertEvents subscription. One look a second at the AlertEvent table per process, only
 * while someone listens, feeds every subscriber of the process (events are written by the
 * leader, whichever process it is, so no bus is needed); a subscriber resuming with afterSeq is
 * replayed what it missed first, then joins the feed with no gap and no duplicate. Each
 * subscriber has a bounded queue: one that falls behind is cut off with RESYNC.
 */
export class AlertEventStreamService {
  private readonly listeners = new Set<(event: AlertEventRecord) => void>();
  private timer: NodeJS.Timeout | null = null;
  private head: bigint | null = null;
  private looking: Promise<void> | null = null;

  constructor(private readonly deps: { alertState: AlertStateRepository; projects: ProjectService; logger: Logger; bufferSize: number; pollMs: number }) {}

  async subscribe(principal: Principal, projectIds: readonly string[] | null, afterSeqText: string | null): Promise<AsyncIterableIterator<AlertEventStreamItem>> {
    if (projectIds) for (const projectId of projectIds) assertCanInProject(principal, 'read', projectId, 'projectIds');
    const afterSeq = afterSeqText === null ? null : seqOf(afterSeqText);
    const wanted = projectIds ? new Set(projectIds) : null;
    const readable = (event: AlertEventRecord) => can(principal, 'read', event.projectId) && (wanted === null || wanted.has(event.projectId));
    const queue = new BoundedQueue<AlertEventStreamItem>(this.deps.bufferSize, {
      overflowItem: { resync: `This subscriber fell more than ${this.deps.bufferSize} alert events behind and was cut off: refetch, then subscribe again with afterSeq` },
      onEnd: () => this.listeners.delete(listener),
    });
    let delivered = afterSeq;
    const held: AlertEventRecord[] = [];
    let replaying = afterSeq !== null;
    const deliver = (event: AlertEventRecord) => {
      if (delivered !== null && event.seq <= delivered) return;
      delivered = event.seq;
      queue.push(event);
    };
    const listener = (event: AlertEventRecord) => {
      if (!readable(event)) return;
      if (replaying) held.push(event);
      else deliver(event);
    };
    this.listeners.add(listener);
    await this.start();
    if (afterSeq !== null) {
      const scope = projectIds ?? (await this.deps.projects.readableIds(principal));
      const missed = await this.deps.alertState.eventsAfter(afterSeq, scope, ALERT_REPLAY_MAX + 1);
      if (missed.length > ALERT_REPLAY_MAX) {
        await queue.return();
        throw new AppError('RESYNC', `More than ${ALERT_REPLAY_MAX} alert events happened after ${afterSeqText}: refetch the alerts, then subscribe without afterSeq`);
      }
      for (const event of missed) deliver(event);
      replaying = false;
      for (const event of held) deliver(event);
    }
    return queue;
  }

  /** Stops looking (the process closes). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async start(): Promise<void> {
    if (this.head === null) this.head = await this.deps.alertState.headSeq();
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
      .catch((error: unknown) => this.deps.logger.warn({ err: error }, 'alerts.feed_failed'))
      .finally(() => (this.looking = null));
  }

  private async readNew(): Promise<void> {
    for (;;) {
      const head = this.head ?? (await this.deps.alertState.headSeq());
      const events = await this.deps.alertState.eventsAfter(head, null, FEED_BATCH);
      for (const event of events) for (const listener of this.listeners) listener(event);
      const last = events.at(-1);
      if (last) this.head = last.seq;
      if (events.length < FEED_BATCH) return;
    }
  }
}

function seqOf(text: string): bigint {
  if (!/^\d{1,19}$/.test(text)) throw new AppError('BAD_USER_INPUT', `afterSeq: a decimal seq of an alert event (got "${text.slice(0, 40)}")`);
  return BigInt(text);
}
