import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.ts';
import type { ProcessLeaseRepository } from '../repositories/process-lease.repository.ts';

/** The lease of the process that does the singleton duties (cron today; maintenance, alerts and reports later). */
export const LEADER_LEASE = 'leader';

export interface LeaderDuties {
  /** Called when this process became the leader. */
  lead(): void;
  /** Called when it stopped being the leader (its lease was lost or let go). */
  stepDown(): Promise<void>;
}

/**
 * Competes for the leader lease: renewed every third of it while held, tried as often while
 * not. Duties are idempotent anyway (a cron tick fires once by its compare-and-set), so two
 * leaders for a moment during a failover do no harm.
 */
export class LeaderLease {
  private timer: NodeJS.Timeout | null = null;
  private leading = false;
  private turn: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: { processLeases: ProcessLeaseRepository; clock: Clock; logger: Logger },
    private readonly settings: { holder: string; leaseMs: number },
  ) {}

  start(duties: LeaderDuties): void {
    const attempt = () => {
      this.turn = this.turn.then(() => this.renew(duties)).catch((error: unknown) => this.deps.logger.warn({ err: error }, 'leader.renew_failed'));
    };
    attempt();
    this.timer = setInterval(attempt, Math.max(1, Math.floor(this.settings.leaseMs / 3)));
    this.timer.unref();
  }

  /** Whether this process holds the lease now (as of its latest renewal). */
  isLeading(): boolean {
    return this.leading;
  }

  /** Stops competing and lets go at once, so another process need not wait for the lease to expire. */
  async stop(duties: LeaderDuties | null): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.turn;
    if (!this.leading) return;
    this.leading = false;
    await duties?.stepDown();
    await this.deps.processLeases.release(LEADER_LEASE, this.settings.holder);
  }

  private async renew(duties: LeaderDuties): Promise<void> {
    // Stopped: a turn queued before the stop must not take the lease again.
    if (!this.timer) return;
    const now = this.deps.clock.now();
    const fence = await this.deps.processLeases.acquire(LEADER_LEASE, this.settings.holder, now, new Date(now.getTime() + this.settings.leaseMs));
    if (fence !== null && !this.leading) {
      this.leading = true;
      this.deps.logger.info({ holder: this.settings.holder, fence }, 'leader.acquired');
      duties.lead();
    } else if (fence === null && this.leading) {
      this.leading = false;
      this.deps.logger.warn({ holder: this.settings.holder }, 'leader.lost');
      await duties.stepDown();
    }
  }
}
