import type { RunStatus } from '../status.ts';
import { MIN_BASELINE_RUNS, SWING_BASELINE_WEEKS, SWING_P_VALUE, type AlertCondition } from './alert-rule.ts';
import { binomialLowerTail, binomialUpperTail } from './binomial.ts';
import { wilsonLowerBound } from './wilson.ts';
import type { AnomalyKind } from '../insight/anomaly.ts';

/** A finished run of the workflow, as a condition reads it. */
export interface FinishedRun {
  id: string;
  status: RunStatus;
  finishedAt: Date | null;
  durationMs: number | null;
}

/** What the history holds for one workflow, enough for its rule's condition. */
export interface ConditionInput {
  /** The workflow's latest finished runs, newest first: as many as the condition looks back (1, or `count`). */
  latest: readonly FinishedRun[];
  /** FAILURE_RATE: runs that finished in the window, and how many of them in the rule's statuses. */
  window: { runs: number; failures: number } | null;
  /** DURATION_OVER: how long the last successful runs before the latest took, and the run of the workflow running longest now. */
  durations: { baselineMs: readonly number[]; running: { id: string; elapsedMs: number } | null } | null;
  /** MISSING_SUCCESS: the workflow's last expected cron fire (null: none yet, or no schedule), its usual duration, its latest success, and now. */
  schedule: { lastFireAt: Date | null; usualDurationMs: number | null; lastSuccessCreatedAt: Date | null; now: Date } | null;
  /** STATUS_SWING: runs of the window and of the same windows of past weeks, and how many of each in the rule's statuses. */
  swing: { current: { runs: number; matching: number }; baseline: { runs: number; matching: number } } | null;
  /** ANOMALY: the workflow's open, undismissed anomalies of the rule's kinds. */
  anomalies: readonly OpenAnomaly[] | null;
  /** INCIDENT: the open incidents the workflow's failures belong to. */
  incidents: readonly OpenIncident[] | null;
}

/** An open incident as an INCIDENT rule reads it: only what the rule's own project holds of it. */
export interface OpenIncident {
  id: string;
  openedAt: Date;
  /** The workflow's failed runs among its members. */
  failures: number;
}

/** An open anomaly as an ANOMALY rule reads it. */
export interface OpenAnomaly {
  kind: AnomalyKind;
  step: string | null;
  raisedAt: Date;
  expected: number;
  observed: number;
}

/** What a condition found: whether it holds to fire, holds to stay firing, and why in a sentence. */
export interface Observation {
  /** The firing condition holds. */
  firing: boolean;
  /** The alert stays firing (hysteresis: a bound below the firing one); implied by `firing`. */
  holding: boolean;
  summary: string;
  /** The run the observation is about, when one is. */
  runId: string | null;
}

/** How many of a workflow's latest finished runs the condition reads. */
export function latestRunsNeeded(condition: AlertCondition): number {
  return condition.kind === 'CONSECUTIVE_FAILURES' ? condition.count : 1;
}

/** Judges a rule's condition over one workflow's history. */
export function observe(condition: AlertCondition, input: ConditionInput): Observation {
  const [last] = input.latest;
  const failed = (run: FinishedRun) => condition.statuses.includes(run.status);
  switch (condition.kind) {
    case 'RUN_FAILED':
    case 'RUN_SUCCEEDED': {
      const firing = last !== undefined && failed(last);
      const summary = last === undefined ? 'no finished run' : `run ${last.id} ended ${last.status}${last.finishedAt ? ` at ${last.finishedAt.toISOString()}` : ''}`;
      return { firing, holding: firing, summary, runId: last?.id ?? null };
    }
    case 'CONSECUTIVE_FAILURES': {
      let streak = 0;
      for (const run of input.latest) {
        if (!failed(run)) break;
        streak += 1;
      }
      const firing = streak >= condition.count;
      const summary =
        streak === 0 ? `the last run ${last ? `${last.id} ended ${last.status}` : 'is missing'}` : `${streak}${streak >= condition.count ? '' : ` of ${condition.count}`} consecutive failures, the last ${last?.id} ended ${last?.status}`;
      return { firing, holding: firing, summary, runId: last?.id ?? null };
    }
    case 'FAILURE_RATE': {
      const { runs, failures } = input.window ?? { runs: 0, failures: 0 };
      const bound = wilsonLowerBound(failures, runs);
      const enough = runs >= condition.minRuns;
      const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
      const summary = `${failures} of ${runs} runs failed in the last ${condition.windowMinutes} min (at least ${percent(bound)} with 95% confidence; fires above ${percent(condition.threshold)}${enough ? '' : `, needs ${condition.minRuns} runs`})`;
      return { firing: enough && bound > condition.threshold, holding: enough && bound > condition.resolveThreshold, summary, runId: last?.id ?? null };
    }
    case 'DURATION_OVER':
      return observeDuration(condition, last ?? null, input.durations);
    case 'MISSING_SUCCESS':
      return observeMissingSuccess(condition, input.schedule, last?.id ?? null);
    case 'STATUS_SWING':
      return observeSwing(condition, input.swing, last?.id ?? null);
    case 'ANOMALY': {
      const open = input.anomalies ?? [];
      const [first] = open;
      const summary =
        first === undefined
          ? 'no open anomaly'
          : `${open.length === 1 ? '' : `${open.length} anomalies, the first: `}${first.kind}${first.step === null ? '' : ` of step ${first.step}`} since ${first.raisedAt.toISOString()} (observed ${round(first.observed)}, expected ${round(first.expected)})`;
      return { firing: first !== undefined, holding: first !== undefined, summary, runId: last?.id ?? null };
    }
    case 'INCIDENT': {
      const [incident] = input.incidents ?? [];
      const summary =
        incident === undefined
          ? 'in no open incident'
          : `${incident.failures} failure${incident.failures === 1 ? '' : 's'} of this workflow in incident ${incident.id}, open since ${incident.openedAt.toISOString()} (failures clustering across projects)`;
      return { firing: incident !== undefined, holding: incident !== undefined, summary, runId: last?.id ?? null };
    }
  }
}

function observeSwing(condition: Extract<AlertCondition, { kind: 'STATUS_SWING' }>, swing: ConditionInput['swing'], runId: string | null): Observation {
  const { current, baseline } = swing ?? { current: { runs: 0, matching: 0 }, baseline: { runs: 0, matching: 0 } };
  const what = condition.statuses.join('/');
  if (baseline.runs < condition.minRuns) return { firing: false, holding: false, summary: `learning: ${baseline.runs} of ${condition.minRuns} runs in the same hours of the last ${SWING_BASELINE_WEEKS} weeks`, runId };
  if (current.runs === 0) return { firing: false, holding: false, summary: `no run in the last ${condition.windowMinutes} min`, runId };
  const expected = baseline.matching / baseline.runs;
  const share = current.matching / current.runs;
  const delta = share - expected;
  const tail = delta >= 0 ? binomialUpperTail(current.matching, current.runs, expected) : binomialLowerTail(current.matching, current.runs, expected);
  const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
  const summary = `${what} ${percent(share)} of ${current.runs} runs in the last ${condition.windowMinutes} min against ${percent(expected)} in the same hours of the last ${SWING_BASELINE_WEEKS} weeks (p = ${tail.toPrecision(2)})`;
  const firing = Math.abs(delta) >= condition.minDelta && tail < SWING_P_VALUE;
  // Hysteresis: it stays firing while half the departure holds and it remains unlikely at 1%.
  const holding = firing || (Math.abs(delta) >= condition.minDelta / 2 && tail < SWING_P_VALUE * 10);
  return { firing, holding, summary, runId };
}

function observeMissingSuccess(condition: Extract<AlertCondition, { kind: 'MISSING_SUCCESS' }>, schedule: ConditionInput['schedule'], runId: string | null): Observation {
  if (!schedule?.lastFireAt) return { firing: false, holding: false, summary: 'no expected run yet (the workflow has no schedule, or it has not fired)', runId };
  const dueAt = new Date(schedule.lastFireAt.getTime() + (schedule.usualDurationMs ?? 0) + condition.graceMinutes * 60_000);
  const succeeded = schedule.lastSuccessCreatedAt !== null && schedule.lastSuccessCreatedAt.getTime() >= schedule.lastFireAt.getTime();
  if (succeeded) return { firing: false, holding: false, summary: `succeeded since the run expected at ${schedule.lastFireAt.toISOString()}`, runId };
  const missing = schedule.now.getTime() >= dueAt.getTime();
  return {
    firing: missing,
    holding: missing,
    summary: `no success since the run expected at ${schedule.lastFireAt.toISOString()}${missing ? `, due by ${dueAt.toISOString()}` : ` yet (due by ${dueAt.toISOString()})`}`,
    runId,
  };
}

function observeDuration(condition: Extract<AlertCondition, { kind: 'DURATION_OVER' }>, last: FinishedRun | null, durations: ConditionInput['durations']): Observation {
  const baseline = durations?.baselineMs ?? [];
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  let limitMs: number;
  let basis: string;
  if (condition.limitSeconds !== null) {
    limitMs = condition.limitSeconds * 1000;
    basis = `the limit of ${seconds(limitMs)}`;
  } else if (baseline.length >= MIN_BASELINE_RUNS && condition.factor !== null) {
    limitMs = condition.factor * percentile95(baseline);
    basis = `${condition.factor} × the p95 of the last ${baseline.length} successful runs (${seconds(limitMs)})`;
  } else {
    return { firing: false, holding: false, summary: `learning: ${baseline.length} of ${MIN_BASELINE_RUNS} successful runs needed for a baseline`, runId: last?.id ?? null };
  }
  const running = durations?.running ?? null;
  if (running && running.elapsedMs > limitMs) {
    return { firing: true, holding: true, summary: `run ${running.id} has been running ${seconds(running.elapsedMs)}, over ${basis}`, runId: running.id };
  }
  if (last?.durationMs !== null && last?.durationMs !== undefined && last.durationMs > limitMs) {
    return { firing: true, holding: true, summary: `run ${last.id} took ${seconds(last.durationMs)}, over ${basis}`, runId: last.id };
  }
  return { firing: false, holding: false, summary: last?.durationMs !== null && last?.durationMs !== undefined ? `run ${last.id} took ${seconds(last.durationMs)}, within ${basis}` : `within ${basis}`, runId: last?.id ?? null };
}

/** The nearest-rank 95th percentile. */
function percentile95(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(0.95 * sorted.length) - 1)] ?? 0;
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}
