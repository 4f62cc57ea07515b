import type { StepStatus } from '../status.ts';
import type { StepSpec } from '../workflow/workflow-spec.ts';
import { decideStep, type StepState } from './step-readiness.ts';

/** The main steps of a run as its execution sees them: each step of the spec with its stored status, NOT_STARTED when it has no row. */
export function stepStatesOf(specs: readonly StepSpec[], rows: readonly { name: string; status: StepStatus; exitCode: number | null }[]): StepState[] {
  const byName = new Map(rows.map((row) => [row.name, row]));
  return specs.map((spec) => {
    const row = byName.get(spec.name);
    return { name: spec.name, status: row?.status ?? 'NOT_STARTED', depends: spec.depends, exitCode: row?.exitCode ?? null, continueOn: spec.continueOn };
  });
}

/**
 * Whether a WAITING run's execution would do nothing but wait for a person: a step waits for an
 * approval, none runs, and every step not started waits for one that has not finished. Such a
 * run needs no execution until a decision comes.
 */
export function onlyAwaitsApproval(steps: readonly StepState[]): boolean {
  const byName = new Map(steps.map((step) => [step.name, step]));
  if (!steps.some((step) => step.status === 'WAITING')) return false;
  return steps.every((step) => step.status !== 'RUNNING' && (step.status !== 'NOT_STARTED' || decideStep(step, byName).kind === 'wait'));
}
