import type { StepStatus } from '../status.ts';
import { HANDLER_STEP_NAMES, type StepSpec, type WorkflowSpec } from '../workflow/workflow-spec.ts';

/** A step of a run as its store holds it: what is needed to judge it once the run's executor is gone. */
export interface StoredStep {
  name: string;
  status: StepStatus;
  /** Attempts started so far, the running one included. */
  attempt: number;
}

/** What becomes of a run whose executor was lost (it died, or stopped renewing its claim). */
export type LostRunVerdict =
  /** Back to the queue: whoever claims it continues it, and each step it had running runs again as its next attempt. */
  | { kind: 'requeue'; retried: { name: string; attempt: number }[] }
  /** It ends FAILED with its unfinished steps ABORTED; `because` says why it could not be requeued. */
  | { kind: 'fail'; because: string };

/** Whether a step that has started `attempt` attempts may start one more under its retry policy. */
export function hasAttemptLeft(attempt: number, spec: Pick<StepSpec, 'retryPolicy'>): boolean {
  return attempt <= spec.retryPolicy.limit;
}

/**
 * A failed step its policy still retries. A live execution retries such a step itself, so one
 * stored like this lost its executor between two attempts: whoever continues the run retries it.
 */
export function isRetryDue(step: StoredStep, spec: Pick<StepSpec, 'retryPolicy'>): boolean {
  return step.status === 'FAILED' && hasAttemptLeft(step.attempt, spec);
}

/**
 * The retry policy applied to a lost run: it is requeued when every step it had running may run
 * again (a run with none running lost no work and is requeued too); finished steps are kept and
 * never run again. It fails when its definition is gone (nothing could continue it), when a
 * running step had no attempt left, or once its handlers began: its outcome was decided, and a
 * handler must not run half twice.
 */
export function judgeLostRun(steps: readonly StoredStep[], spec: WorkflowSpec | null): LostRunVerdict {
  if (!spec) return { kind: 'fail', because: 'its workflow definition is gone' };
  const handlerNames = new Set(Object.values(HANDLER_STEP_NAMES));
  const handler = steps.find((step) => handlerNames.has(step.name) && step.status !== 'NOT_STARTED');
  if (handler) return { kind: 'fail', because: `its handler ${handler.name} had begun` };
  const specs = new Map(spec.steps.map((step) => [step.name, step]));
  const retried: { name: string; attempt: number }[] = [];
  for (const step of steps) {
    if (step.status !== 'RUNNING') continue;
    const stepSpec = specs.get(step.name);
    if (!stepSpec) return { kind: 'fail', because: `step "${step.name}" is not in its workflow definition` };
    // A call step lost no work: its children are runs of their own, which it follows again once the run is picked up.
    if (stepSpec.call !== null) continue;
    if (!hasAttemptLeft(step.attempt, stepSpec)) {
      return { kind: 'fail', because: `step "${step.name}" had no attempt left (attempt ${step.attempt}, retry limit ${stepSpec.retryPolicy.limit})` };
    }
    retried.push({ name: step.name, attempt: step.attempt });
  }
  return { kind: 'requeue', retried };
}
