import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.ts';
import type { ArchiveMoverService } from '../services/archive/archive-mover.service.ts';

// Between two steps of giving space back: other writers get the live file's lock in between.
const RECLAIM_PAUSE_MS = 20;

/**
 * The leader's archival duty: a round at once when it becomes the leader (which first finishes
 * what a crash left), then one every `everyMs` (0: none on a schedule; the first round then only
 * finishes what a crash left). One round at a time; stepping down stops the round in progress
 * between two batches, and what it committed stays archived. A round that finds another mover at
 * work is tried again after `retryMs`. Beside the rounds it gives freed space back, looking for
 * some every `idleCheckMs` while there is none.
 */
export class ArchiveJob {
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> = Promise.resolve();
  private reclaiming: Promise<void> = Promise.resolve();
  private abort = new AbortController();

  constructor(
    private readonly deps: { mover: ArchiveMoverService; clock: Clock; logger: Logger },
    private readonly settings: { everyMs: number; retryMs: number; idleCheckMs: number },
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    this.queueRound();
    if (this.settings.everyMs > 0) {
      this.timer = setInterval(() => this.queueRound(), this.settings.everyMs);
      this.timer.unref();
    }
    this.reclaiming = this.reclaimSpace(this.abort.signal);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.abort.abort();
    await this.round;
    await this.reclaiming;
  }

  /**
   * Gives the pages archival freed (by this process or another, the CLI's) back to the file system
   * a step at a time, apart from the moves: each step is a short write transaction, so a month's
   * gigabytes go back over a minute or two of small pauses, not one blocking VACUUM.
   */
  private async reclaimSpace(signal: AbortSignal): Promise<void> {
    let streak = 0;
    while (!signal.aborted) {
      // A move frees pages batch after batch: giving them back meanwhile would only slow it down.
      if (this.deps.mover.busy) {
        await pause(RECLAIM_PAUSE_MS * 50, signal);
        continue;
      }
      let pages = 0;
      try {
        pages = await this.deps.mover.reclaimStep();
      } catch (error) {
        this.deps.logger.warn({ err: error }, 'archive.reclaim_failed');
      }
      streak += pages;
      if (pages === 0 && streak > 0) {
        this.deps.logger.info({ pages: streak }, 'archive.space_reclaimed');
        streak = 0;
      }
      await pause(pages > 0 ? RECLAIM_PAUSE_MS : this.settings.idleCheckMs, signal);
    }
  }

  private queueRound(): void {
    this.round = this.round.then(() => (this.running ? this.runRound(this.abort.signal) : undefined));
  }

  private async runRound(signal: AbortSignal): Promise<void> {
    const startedAt = performance.now();
    try {
      if (this.settings.everyMs === 0) {
        await this.deps.mover.recoverNow();
        return;
      }
      const moved = await this.deps.mover.archive(null, this.deps.clock.now(), { skipRestored: true, signal });
      this.deps.logger.info({ runs: moved.reduce((sum, count) => sum + count.count, 0), ms: Math.round(performance.now() - startedAt) }, 'archive.round_done');
    } catch (error) {
      // Another process holds the archive lease (an archiveNow or restore from the CLI, or a process killed while
      // it moved runs, whose lease runs out): tried again once a lease could have expired.
      if (isConflict(error)) {
        this.deps.logger.info({ reason: error.message, retryMs: this.settings.retryMs }, 'archive.round_skipped');
        setTimeout(() => this.queueRound(), this.settings.retryMs).unref();
      } else {
        this.deps.logger.error({ err: error }, 'archive.round_failed');
      }
    }
  }
}

// By shape: an AppError of another module realm is not this realm's AppError.
function isConflict(error: unknown): error is { code: 'CONFLICT'; message: string } {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'CONFLICT' && 'message' in error;
}

/** Waits `ms`, or less when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    timer.unref();
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
