import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.ts';
import { latestFireTime } from '../domain/workflow/schedule.ts';
import type { WorkflowRepository } from '../repositories/workflow.repository.ts';
import type { RunControlService } from '../services/run-control.service.ts';
import type { StoredSpecs } from '../services/stored-specs.ts';

/** A tick found this late is "missed" (the server was down), not merely a slow timer. */
export const MISSED_TICK_AFTER_MS = 60_000;

interface SchedulerDeps {
  workflows: WorkflowRepository;
  control: RunControlService;
  specs: StoredSpecs;
  clock: Clock;
  logger: Logger;
}

/**
 * Fires cron ticks. Each workflow's last fired tick is stored, and a tick is claimed with a
 * compare-and-set on it before its run is queued, so a tick fires once even across restarts
 * and processes. Ticks missed while down are skipped, or the latest one run (`missedTicks: latest`).
 */
export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;

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
      if (!(await this.deps.workflows.claimTick(workflow.id, workflow.lastFiredAt, due))) continue;
      if (missed && spec.missedTicks === 'skip') {
        this.deps.logger.info({ workflowId: workflow.id, tick: due.toISOString() }, 'scheduler.missed_tick_skipped');
        continue;
      }
      await this.deps.control.start(workflow, {}, 'SCHEDULER', null);
      fired.push(workflow.id);
    }
    return fired;
  }
}
