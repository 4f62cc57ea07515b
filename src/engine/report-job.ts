import type { Logger } from 'pino';
import type { ReportDeliveryService } from '../services/reports/report-delivery.service.ts';
import type { ReportService } from '../services/reports/report.service.ts';

/**
 * The leader's reporting duty: at once when it becomes the leader (catching up on the periods
 * missed while no leader ran), then every `tickMs`, it generates the reports that are due and
 * delivers those waiting. One round at a time; a wake-up during a round runs another after it.
 * Stepping down stops a round between two reports; a report being generated is written whole or
 * not at all, and the next leader generates what is left. Its first round also removes the report
 * files an earlier crash left behind.
 */
export class ReportJob {
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> | null = null;
  private again = false;
  private abort = new AbortController();
  // Files a crash left behind are looked for once per leadership, before its first round.
  private sweepDue = false;

  constructor(
    private readonly deps: { reports: ReportService; delivery: ReportDeliveryService; logger: Logger },
    private readonly settings: { tickMs: number },
  ) {}

  start(): void {
    if (this.timer) return;
    this.abort = new AbortController();
    this.sweepDue = true;
    this.timer = setInterval(() => this.wake(), this.settings.tickMs);
    this.timer.unref();
    this.wake();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.abort.abort();
    await this.round;
  }

  /** Runs a round soon (a report was generated elsewhere in this process and waits for delivery). */
  wake(): void {
    if (!this.timer) return;
    if (this.round) {
      this.again = true;
      return;
    }
    const signal = this.abort.signal;
    this.round = this.runRound(signal).finally(() => {
      this.round = null;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async runRound(signal: AbortSignal): Promise<void> {
    if (this.sweepDue) {
      this.sweepDue = false;
      try {
        await this.deps.reports.sweepOrphanFiles();
      } catch (error) {
        this.deps.logger.error({ err: error }, 'report.orphan_sweep_failed');
      }
    }
    try {
      await this.deps.reports.runDue(signal);
    } catch (error) {
      this.deps.logger.error({ err: error }, 'report.round_failed');
    }
    if (signal.aborted) return;
    try {
      await this.deps.delivery.deliverPending();
    } catch (error) {
      this.deps.logger.error({ err: error }, 'report.delivery_round_failed');
    }
  }
}
