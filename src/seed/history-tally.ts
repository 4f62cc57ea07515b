import { ACTIVE_RUN_STATUSES, RUN_STATUSES, type RunStatus } from '../domain/status.ts';
import type { RunTrigger } from '../domain/vocabulary.ts';
import type { SeedRun } from './history-plan.ts';
import { dayOfWeek, hourOfDay } from './rhythm.ts';

/** What a seeded history holds, counted run by run as it is planned: the numbers of the summary. */
export class HistoryTally {
  readonly statuses = new Map<RunStatus, number>(RUN_STATUSES.map((status) => [status, 0]));
  readonly triggers = new Map<RunTrigger, number>();
  /** Runs by UTC hour of day, 0 to 23. */
  readonly byHour: number[] = new Array<number>(24).fill(0);
  /** Runs by UTC day of week, Sunday first. */
  readonly byWeekday: number[] = new Array<number>(7).fill(0);
  runs = 0;
  /** The longest run of consecutive FAILED runs of one workflow, and whose. */
  longestFailureStreak = { runs: 0, workflowId: '' };
  private readonly currentStreaks = new Map<string, number>();

  add(run: SeedRun): void {
    this.runs += 1;
    this.statuses.set(run.status, (this.statuses.get(run.status) ?? 0) + 1);
    this.triggers.set(run.trigger, (this.triggers.get(run.trigger) ?? 0) + 1);
    const hour = hourOfDay(run.createdAt);
    this.byHour[hour] = (this.byHour[hour] ?? 0) + 1;
    const weekday = dayOfWeek(run.createdAt);
    this.byWeekday[weekday] = (this.byWeekday[weekday] ?? 0) + 1;
    if (ACTIVE_RUN_STATUSES.has(run.status)) return;
    const streak = run.status === 'FAILED' ? (this.currentStreaks.get(run.workflowId) ?? 0) + 1 : 0;
    this.currentStreaks.set(run.workflowId, streak);
    if (streak > this.longestFailureStreak.runs) this.longestFailureStreak = { runs: streak, workflowId: run.workflowId };
  }

  get active(): number {
    let active = 0;
    for (const status of ACTIVE_RUN_STATUSES) active += this.statuses.get(status) ?? 0;
    return active;
  }
}
