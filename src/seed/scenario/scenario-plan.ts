import type { RunTrigger } from '../../domain/vocabulary.ts';
import type { SeedRun } from '../history-plan.ts';
import { RunLife, type PlannedRun } from '../run-planner.ts';
import type { Scenario, ScenarioRun, ScenarioWorkflow } from './labelled-scenario.ts';

/** Where a scenario workflow's runs go: the saved workflow, its project and version. */
export interface ScenarioTarget {
  id: string;
  projectId: string;
  versionId: string;
}

const TRIGGERS: Readonly<Record<ScenarioRun['trigger'], RunTrigger>> = { SCHEDULE: 'SCHEDULER', MANUAL: 'MANUAL' };
// The scenario's runs start this long after they are created (its durations count from creation).
const START_DELAY_MS = 1_000;

/**
 * The runs of a labelled scenario, in creation order across its workflows, as the seeder's
 * writer takes them: each replayed through the recorder's moves (RunLife), so its steps, events
 * and final row keep every invariant a run the engine recorded keeps.
 */
export class ScenarioPlan {
  private readonly runs: ScenarioRun[];
  private position = 0;

  constructor(
    scenario: Scenario,
    private readonly targets: ReadonlyMap<string, ScenarioTarget>,
    /** "Now": a run whose life goes on past it stays as it is here. */
    private readonly horizon: number,
    private readonly makeId: (prefix: 'run' | 'step', at: Date) => string,
  ) {
    this.runs = [...scenario.runs.values()].flat().sort((a, b) => a.createdAt - b.createdAt);
  }

  get total(): number {
    return this.runs.length;
  }

  get done(): boolean {
    return this.position >= this.runs.length;
  }

  peekCreatedAt(): number | null {
    return this.runs[this.position]?.createdAt ?? null;
  }

  next(): SeedRun | null {
    const run = this.runs[this.position];
    if (run === undefined) return null;
    const ordinal = this.position;
    this.position += 1;
    const target = this.targets.get(run.workflowId);
    if (target === undefined) throw new Error(`The scenario workflow ${run.workflowId} was not saved`);
    const createdAt = new Date(run.createdAt);
    return {
      ...replay(run, this.horizon),
      ordinal,
      id: this.makeId('run', createdAt),
      projectId: target.projectId,
      workflowId: target.id,
      versionId: target.versionId,
      trigger: TRIGGERS[run.trigger],
      params: null,
      attempt: 1,
      retryOfId: null,
      createdAt: run.createdAt,
      stepIds: run.steps.map(() => this.makeId('step', createdAt)),
    };
  }
}

/** A scenario run as the recorder would have moved it: attempt by attempt, steps after a failure aborted. */
export function replay(run: ScenarioRun, horizon: number): PlannedRun {
  const life = new RunLife(
    run.steps.map((step) => step.name),
    run.trigger === 'SCHEDULE' ? null : 'scenario',
    horizon - run.createdAt,
  );
  let t = START_DELAY_MS;
  life.run('RUNNING', t);
  for (const [index, step] of run.steps.entries()) {
    if (step.status === 'NOT_STARTED') {
      life.step(index, 'ABORTED', t, { message: 'upstream step failed' });
      continue;
    }
    for (const [attempt, durationMs] of step.attemptsMs.entries()) {
      life.step(index, 'RUNNING', t, { message: attempt > 0 ? `Retry ${attempt} of ${step.attemptsMs.length - 1}` : null });
      t += durationMs;
      const last = attempt === step.attemptsMs.length - 1;
      if (last && step.status === 'SUCCEEDED') life.step(index, 'SUCCEEDED', t, { exitCode: 0 });
      else life.step(index, 'FAILED', t, { exitCode: 1, error: last ? run.error : 'exit code 1' });
    }
  }
  life.run(run.status, Math.max(t, run.finishedAt - run.createdAt), { error: run.error });
  return life.place(run.createdAt);
}

/** The workflow file a scenario workflow is saved as: its schedule and steps (a flaky one's retried once). */
export function scenarioWorkflowYaml(workflow: ScenarioWorkflow): string {
  const lines = [`name: ${workflow.name}`, 'description: A labelled scenario workflow (runtrail seed --scenario)', 'tags: [scenario]'];
  if (workflow.schedule.length > 0) lines.push('schedule:', ...workflow.schedule.map((entry) => `  - "${entry.expression}"`));
  lines.push('steps:');
  for (const step of workflow.steps) {
    lines.push(`  - name: ${step.name}`, '    command: "true"');
    if (workflow.flaky) lines.push('    retryPolicy:', '      limit: 1', '      intervalSec: 1');
  }
  return `${lines.join('\n')}\n`;
}
