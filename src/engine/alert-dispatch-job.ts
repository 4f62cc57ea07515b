import type { Logger } from 'pino';
import type { AlertDispatcher } from '../services/alerts/alert-dispatcher.service.ts';

/**
 * The leader's delivery duty: a round of the outbox every `tickMs`, and one as soon as it is
 * woken (the evaluator wakes it after committing notifications that are due at once). One round
 * at a time; a wake during a round asks for another after it, and a full batch is followed by
 * another round at once. Beside the rounds, the delivery log is trimmed every `pruneEveryMs`
 * (and when it starts leading).
 */
export class AlertDispatchJob {
  private timer: NodeJS.Timeout | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;
  private pruning: Promise<void> = Promise.resolve();
  private round: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly deps: { dispatcher: AlertDispatcher; logger: Logger },
    private readonly settings: { tickMs: number; batchSize: number; pruneEveryMs: number },
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.wake(), this.settings.tickMs);
    this.timer.unref();
    this.pruneTimer = setInterval(() => this.prune(), this.settings.pruneEveryMs);
    this.pruneTimer.unref();
    this.wake();
    this.prune();
  }

  /** Stops the timer and waits for the round in progress (an attempt ends within its timeout). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.timer = null;
    this.pruneTimer = null;
    this.again = false;
    await this.round;
    await this.pruning;
  }

  /** A round soon: at once, or after the one in progress. Nothing while stopped (another process leads). */
  wake(): void {
    if (!this.timer) return;
    if (this.round) {
      this.again = true;
      return;
    }
    this.round = this.rounds().finally(() => {
      this.round = null;
      // Woken between the last round's end and here.
      if (this.again) this.wake();
    });
  }

  private prune(): void {
    this.pruning = this.pruning.then(async () => {
      try {
        const removed = await this.deps.dispatcher.pruneSettled();
        if (removed > 0) this.deps.logger.info({ notifications: removed }, 'alert.log_pruned');
      } catch (error) {
        this.deps.logger.error({ err: error }, 'alert.log_prune_failed');
      }
    });
  }

  private async rounds(): Promise<void> {
    do {
      this.again = false;
      try {
        const taken = await this.deps.dispatcher.deliverDue();
        if (taken >= this.settings.batchSize) this.again = true;
      } catch (error) {
        this.deps.logger.error({ err: error }, 'alert.dispatch_failed');
      }
    } while (this.again && this.timer);
  }
}
