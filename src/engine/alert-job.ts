import type { Logger } from 'pino';
import { isRunStatus, isTerminalRunStatus } from '../domain/status.ts';
import type { RunEventBus } from '../events/run-event-bus.ts';
import type { AlertEvaluatorService } from '../services/alerts/alert-evaluator.service.ts';

/**
 * The leader's alerting duty: evaluates run ends as they are published (and every `pollMs`, for
 * ends published by processes whose notices did not reach this one), and ticks every `tickMs`
 * for the alerts that move with time. One evaluation at a time; a wake-up during one runs
 * another after it, so none is lost and none piles up.
 */
export class AlertJob {
  private timers: NodeJS.Timeout[] = [];
  private events: AsyncIterator<unknown> | null = null;
  private evaluating: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly deps: { evaluator: AlertEvaluatorService; bus: RunEventBus; logger: Logger },
    private readonly settings: { pollMs: number; tickMs: number },
  ) {}

  start(): void {
    if (this.timers.length > 0) return;
    this.timers = [setInterval(() => this.wake(), this.settings.pollMs), setInterval(() => this.tickOnce(), this.settings.tickMs)];
    for (const timer of this.timers) timer.unref();
    void this.listen();
    this.wake();
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    await this.events?.return?.();
    this.events = null;
    await this.evaluating;
  }

  private async listen(): Promise<void> {
    const events = this.deps.bus.subscribe()[Symbol.asyncIterator]();
    this.events = events;
    for (let next = await events.next(); !next.done; next = await events.next()) {
      const { kind, to } = next.value;
      if (kind === 'RUN' && isRunStatus(to) && isTerminalRunStatus(to)) this.wake();
    }
  }

  private wake(): void {
    if (this.timers.length === 0) return;
    if (this.evaluating) {
      this.again = true;
      return;
    }
    this.evaluating = this.deps.evaluator
      .catchUp()
      .then(() => undefined)
      .catch((error: unknown) => this.deps.logger.error({ err: error }, 'alerts.evaluation_failed'))
      .finally(() => {
        this.evaluating = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private tickOnce(): void {
    if (this.evaluating) return;
    this.evaluating = this.deps.evaluator
      .tick()
      .catch((error: unknown) => this.deps.logger.error({ err: error }, 'alerts.tick_failed'))
      .finally(() => (this.evaluating = null));
  }
}
