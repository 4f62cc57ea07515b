import type { RunStatus } from '../status.ts';
import type { AlertCondition } from './alert-rule.ts';
import { wilsonLowerBound } from './wilson.ts';

/** A finished run of the workflow, as a condition reads it. */
export interface FinishedRun {
  id: string;
  status: RunStatus;
  finishedAt: Date | null;
}

/** What the history holds for one workflow, enough for its rule's condition. */
export interface ConditionInput {
  /** The workflow's latest finished runs, newest first: as many as the condition looks back (1, or `count`). */
  latest: readonly FinishedRun[];
  /** FAILURE_RATE: runs that finished in the window, and how many of them in the rule's statuses. */
  window: { runs: number; failures: number } | null;
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
    case 'RUN_FAILED': {
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
  }
}
