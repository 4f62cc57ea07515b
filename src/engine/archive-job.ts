import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.ts';
import type { ArchiveMoverService } from '../services/archive/archive-mover.service.ts';

/**
 * The leader's archival duty: a round at once when it becomes the leader (which first finishes
 * what a crash left), then one every `everyMs` (0: none on a schedule; the first round then only
 * finishes what a crash left). One round at a time; stepping down stops the round in progress
 * between two batches, and what it committed stays archived. A round that finds another mover at
 * work is tried again after `retryMs`.
 */
export class ArchiveJob {
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> = Promise.resolve();
  private abort = new AbortController();

  constructor(
    private readonly deps: { mover: ArchiveMoverService; clock: Clock; logger: Logger },
    private readonly settings: { everyMs: number; retryMs: number },
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
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.abort.abort();
    await this.round;
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
      this.deps.logger.info({ runs: moved.length, ms: Math.round(performance.now() - startedAt) }, 'archive.round_done');
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
