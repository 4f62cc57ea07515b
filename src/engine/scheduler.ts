import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.ts';
import { latestFireTime } from '../domain/workflow/schedule.ts';
import type { WorkflowRecord, WorkflowRepository } from '../repositories/workflow.repository.ts';
import type { RunControlService } from '../services/run-control.service.ts';
import type { StoredSpecs } from '../services/stored-specs.ts';

/** A tick found this late is "missed" (the server was down), not merely a slow timer. */
export const MISSED_TICK_AFTER_MS = 60_000;
export const RETRY_FAILED_TICK_MS = 5 * 60_000;

interface SchedulerDeps {
  workflows: WorkflowRepository;
  control: Pick<RunControlService, 'startTick'>;
  specs: StoredSpecs;
  clock: Clock;
  logger: Logger;
}

/**
 * Fires cron ticks. A tick's run is queued together with a row keyed by (workflow, fire time),
 * so a tick fires once even with two schedulers (a leader failover) or a crash between the two
 * writes; the workflow's lastFiredAt then says where to look for the next tick. Ticks missed
 * while down are skipped, or the latest one run (`missedTicks: latest`).
 */
export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  // When each tick that failed to fire first failed, by workflow and tick.
  private readonly failedSince = new Map<string, number>();

  constructor(private readonly deps: SchedulerDeps) {}

  start(intervalMs = 1_000): void {
    this.timer = setInterval(() => {
      this.ticking ??= this.tick()
        .then(() => undefined)
        .catch((error: unknown) => this.deps.logger.error({ err: error }, 'scheduler.tick_failed'))
        .finally(() => (this.ticking = null));
    }, intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
  }

  /** Fires every tick due now; returns the workflows it queued a run for. */
  async tick(): Promise<string[]> {
    const now = this.deps.clock.now();
    const fired: string[] = [];
    for (const workflow of await this.deps.workflows.listScheduled()) {
      const spec = this.deps.specs.of(workflow, workflow.name);
      if (!spec) continue;
      const since = workflow.lastFiredAt ?? workflow.updatedAt;
      const due = latestFireTime(spec.schedule, since, now);
      if (!due) continue;
      const missed = now.getTime() - due.getTime() > MISSED_TICK_AFTER_MS;
      if (missed && spec.missedTicks === 'skip') {
        this.deps.logger.info({ workflowId: workflow.id, tick: due.toISOString() }, 'scheduler.missed_tick_skipped');
      } else {
        const outcome = await this.fire(workflow, due, now);
        if (outcome === 'retry') continue;
        if (outcome === 'fired') fired.push(workflow.id);
      }
      await this.deps.workflows.markTickHandled(workflow.id, due);
    }
    return fired;
  }

  /**
   * A tick whose run could not be queued (the database away, say) is tried again at each pass,
   * when it fires unless it fired meanwhile; after RETRY_FAILED_TICK_MS it is given up, so a
   * tick that can never fire is not tried every second for ever.
   */
  private async fire(workflow: WorkflowRecord, due: Date, now: Date): Promise<'fired' | 'fired already' | 'given up' | 'retry'> {
    const key = `${workflow.id} ${due.getTime()}`;
    try {
      const run = await this.deps.control.startTick(workflow, due);
      this.failedSince.delete(key);
      return run ? 'fired' : 'fired already';
    } catch (error) {
      const since = this.failedSince.get(key) ?? now.getTime();
      const givingUp = now.getTime() - since >= RETRY_FAILED_TICK_MS;
      this.deps.logger.error({ err: error, workflowId: workflow.id, tick: due.toISOString() }, givingUp ? 'scheduler.tick_given_up' : 'scheduler.tick_failed');
      if (givingUp) this.failedSince.delete(key);
      else this.failedSince.set(key, since);
      return givingUp ? 'given up' : 'retry';
    }
  }
}
