import type { Logger } from 'pino';
import type { RunEventMessage } from '../domain/run-event-message.ts';
import type { RunEventBus } from '../events/run-event-bus.ts';

/** A leader duty that reads the run event feed after its own cursor, and has work that moves with time. */
export interface RunFeedFollower {
  catchUp(): Promise<unknown>;
  tick(): Promise<void>;
}

/** Several duties on one feed job, one after the other; one that fails does not hold back the others. */
export function inTurn(followers: readonly RunFeedFollower[]): RunFeedFollower {
  const each = async (step: (follower: RunFeedFollower) => Promise<unknown>) => {
    const failures: unknown[] = [];
    for (const follower of followers) await step(follower).catch((error: unknown) => failures.push(error));
    if (failures.length > 0) throw new AggregateError(failures, `${failures.length} of ${followers.length} duties failed`);
  };
  return { catchUp: () => each((follower) => follower.catchUp()), tick: () => each((follower) => follower.tick()) };
}

/**
 * Runs a leader duty that follows the run event feed (alert evaluation, anomaly detection): it
 * catches up when a run event it cares for is published (and every `pollMs`, for events
 * published by processes whose notices did not reach this one), and ticks every `tickMs` for
 * what moves with time. One pass at a time; a wake-up during one runs another after it, so none
 * is lost and none piles up.
 */
export class RunFeedJob {
  private timers: NodeJS.Timeout[] = [];
  private events: AsyncIterator<unknown> | null = null;
  private evaluating: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly deps: { follower: RunFeedFollower; bus: RunEventBus; logger: Logger },
    private readonly settings: { pollMs: number; tickMs: number; wakesOn: (event: RunEventMessage) => boolean; name: string },
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
      if (this.settings.wakesOn(next.value)) this.wake();
    }
  }

  private wake(): void {
    if (this.timers.length === 0) return;
    if (this.evaluating) {
      this.again = true;
      return;
    }
    this.evaluating = this.deps.follower
      .catchUp()
      .then(() => undefined)
      .catch((error: unknown) => this.deps.logger.error({ err: error }, `${this.settings.name}.catch_up_failed`))
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
    this.evaluating = this.deps.follower
      .tick()
      .catch((error: unknown) => this.deps.logger.error({ err: error }, `${this.settings.name}.tick_failed`))
      .finally(() => (this.evaluating = null));
  }
}
