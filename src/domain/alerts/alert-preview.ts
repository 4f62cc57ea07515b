import type { RunStatus } from '../status.ts';
import { observe, type FinishedRun } from './alert-conditions.ts';
import { advance, NEW_ALERT, type AlertProgress } from './alert-lifecycle.ts';
import type { AlertRuleSpec } from './alert-rule.ts';

/** A finished run as the preview replays it. */
export interface ReplayedRun {
  id: string;
  workflowId: string;
  status: RunStatus;
  createdAt: Date;
  finishedAt: Date;
  durationMs: number | null;
}

/** One time the rule's alert about a workflow would have fired over the range, and when it would have resolved (null: still firing at the end). */
export interface AlertEpisode {
  workflowId: string;
  firedAt: Date;
  resolvedAt: Date | null;
  /** What the rule found when it fired. */
  summary: string;
}

/**
 * Replays a workflow's finished runs through the rule as the evaluator would have judged them:
 * at each run's end, and at the moments its lifecycle moves with time (a PENDING alert's `for`,
 * a firing one's keepFiringFor), over [from, to). Runs finished before `from` are history the
 * conditions read (a streak, a window), not evaluations. Answers the episodes that fired within
 * the range.
 */
export function replayWorkflow(spec: AlertRuleSpec, workflowId: string, runs: readonly ReplayedRun[], from: Date, to: Date): AlertEpisode[] {
  const byEnd = [...runs].sort((a, b) => a.finishedAt.getTime() - b.finishedAt.getTime());
  const { condition, lifecycle } = spec;
  const episodes: AlertEpisode[] = [];
  // The runs ended so far, by creation (what the evaluator's reads order by), and the failed ones among them.
  const ended = new CreationOrder();
  const endedFailed = new CreationOrder();
  const endedSucceeded = new CreationOrder();
  let progress: AlertProgress = NEW_ALERT;
  const judgeAt = (at: Date) => {
    const latest = ended.newest(condition.kind === 'CONSECUTIVE_FAILURES' ? condition.count : 1).map((run): FinishedRun => ({ id: run.id, status: run.status, finishedAt: run.finishedAt, durationMs: run.durationMs }));
    const since = condition.kind === 'FAILURE_RATE' ? new Date(at.getTime() - condition.windowMinutes * 60_000) : null;
    const window = since ? { runs: ended.countSince(since), failures: endedFailed.countSince(since) } : null;
    const durations =
      condition.kind === 'DURATION_OVER'
        ? {
            baselineMs: endedSucceeded
              .newest(condition.baselineRuns + 1)
              .filter((run) => run.id !== latest[0]?.id)
              .slice(0, condition.baselineRuns)
              .flatMap((run) => (run.durationMs === null ? [] : [run.durationMs])),
            // Runs still running are not replayed: a preview judges runs by how long they took.
            running: null,
          }
        : null;
    const { next, transition } = advance(progress, observe(condition, { latest, window, durations, schedule: null, swing: null, anomalies: null, incidents: null }), at, lifecycle);
    progress = next;
    if (transition?.to === 'FIRING') episodes.push({ workflowId, firedAt: at, resolvedAt: null, summary: next.summary });
    const open = episodes.at(-1);
    if (transition?.to === 'RESOLVED' && open && open.resolvedAt === null) open.resolvedAt = at;
  };
  /** When the lifecycle moves with time alone, if it does. */
  const deadline = (): Date | null => {
    if (progress.state === 'PENDING' && progress.activeSince) return new Date(progress.activeSince.getTime() + lifecycle.forMs);
    if (progress.state === 'FIRING' && lifecycle.keepFiringForMs > 0 && progress.lastActiveAt) return new Date(progress.lastActiveAt.getTime() + lifecycle.keepFiringForMs);
    return null;
  };
  for (const run of byEnd) {
    if (run.finishedAt.getTime() >= to.getTime()) break;
    const evaluated = run.finishedAt.getTime() >= from.getTime();
    const due = evaluated ? deadline() : null;
    if (due && due.getTime() < run.finishedAt.getTime()) judgeAt(due);
    ended.add(run);
    if (condition.statuses.includes(run.status)) endedFailed.add(run);
    if (run.status === 'SUCCEEDED') endedSucceeded.add(run);
    if (evaluated) judgeAt(run.finishedAt);
  }
  const due = deadline();
  if (due && due.getTime() < to.getTime()) judgeAt(due);
  return episodes;
}

/** Runs kept sorted by creation (then id), for the newest few and for how many were created since a time. */
class CreationOrder {
  private readonly runs: ReplayedRun[] = [];

  add(run: ReplayedRun): void {
    this.runs.splice(this.indexAfter(run.createdAt.getTime(), run.id), 0, run);
  }

  newest(count: number): ReplayedRun[] {
    return this.runs.slice(Math.max(0, this.runs.length - count)).reverse();
  }

  countSince(since: Date): number {
    return this.runs.length - this.indexAfter(since.getTime() - 1, '\uffff');
  }

  /** The first index whose run sorts after (time, id). */
  private indexAfter(time: number, id: string): number {
    let low = 0;
    let high = this.runs.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      const run = this.runs[middle];
      if (run && (run.createdAt.getTime() < time || (run.createdAt.getTime() === time && run.id <= id))) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
