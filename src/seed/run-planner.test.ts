import { canTransitionRun, canTransitionStep, isTerminalRunStatus, type RunStatus, type StepStatus } from '../domain/status.ts';
import { parseWorkflow } from '../domain/workflow/parse-workflow.ts';
import { HistoryPlan, type SeedRun, type SeedTarget } from './history-plan.ts';
import { planRun, type PlannedRun, type RunOutcome } from './run-planner.ts';
import { rhythmFactor } from './rhythm.ts';
import { createSeededRandom } from '../domain/seeded-random.ts';
import { workflowProfile, workflowYaml, type WorkflowProfile } from './workflow-profile.ts';

const HOUR = 60 * 60 * 1000;
const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const deploy = workflowProfile(0, 2);
const ci = workflowProfile(0, 0);
const OUTCOMES: readonly RunOutcome[] = ['SUCCEEDED', 'FAILED', 'PARTIALLY_SUCCEEDED', 'ABORTED', 'REJECTED'];

/** Replays the events the way RunRecorderService would apply them and checks the rows they leave. */
function expectConsistent(run: PlannedRun, createdAt: number, horizon: number): void {
  let runStatus: RunStatus | null = null;
  const stepStatuses: StepStatus[] = run.steps.map(() => 'NOT_STARTED');
  let previousAt = createdAt;
  for (const event of run.events) {
    expect(event.at).toBeGreaterThanOrEqual(previousAt);
    expect(event.at).toBeLessThanOrEqual(horizon);
    previousAt = event.at;
    if (event.kind === 'RUN') {
      if (runStatus === null) expect([event.from, event.to]).toEqual([null, 'QUEUED']);
      else expect(canTransitionRun(runStatus, event.to as RunStatus)).toBe(true);
      expect(event.from).toBe(runStatus);
      runStatus = event.to as RunStatus;
    } else {
      const index = event.step ?? -1;
      const from = stepStatuses[index];
      expect(from).toBeDefined();
      expect(event.from).toBe(from);
      expect(canTransitionStep(from ?? 'NOT_STARTED', event.to as StepStatus)).toBe(true);
      stepStatuses[index] = event.to as StepStatus;
    }
  }
  expect(run.events[0]?.at).toBe(createdAt);
  expect(run.status).toBe(runStatus);
  expect(run.steps.map((step) => step.status)).toEqual(stepStatuses);
  const started = run.events.find((event) => event.kind === 'RUN' && event.to === 'RUNNING');
  expect(run.startedAt).toBe(started?.at ?? null);
  if (isTerminalRunStatus(run.status)) {
    expect(run.finishedAt).toBe(run.events.at(-1)?.at);
    expect(run.durationMs).toBe((run.finishedAt ?? 0) - (run.startedAt ?? createdAt));
  } else {
    expect([run.finishedAt, run.durationMs]).toEqual([null, null]);
  }
}

function plan(outcome: RunOutcome, shape: WorkflowProfile, seed: number, createdAt = NOW - 6 * HOUR, horizon = NOW): PlannedRun {
  return planRun({ createdAt, horizon, outcome, steps: shape.steps, random: createSeededRandom(seed), creator: null });
}

describe('planRun', () => {
  const cases = OUTCOMES.flatMap((outcome) => [1, 2, 3, 4, 5].map((seed) => [outcome, seed] as const));

  it.each(cases)('plans a legal, self-consistent %s run (seed %i)', (outcome, seed) => {
    const run = plan(outcome, deploy, seed);

    expect(run.status).toBe(outcome);
    expectConsistent(run, NOW - 6 * HOUR, NOW);
  });

  it.each([
    ['SUCCEEDED', ['SUCCEEDED']],
    ['FAILED', ['FAILED']],
    ['PARTIALLY_SUCCEEDED', ['FAILED']],
    ['REJECTED', ['REJECTED']],
  ] as const)('leaves a %s run with a step that shows why', (outcome, stepStatuses) => {
    const run = plan(outcome, deploy, 11);

    expect(run.steps.some((step) => (stepStatuses as readonly string[]).includes(step.status))).toBe(true);
  });

  it('aborts the steps after a failed one, naming the upstream step', () => {
    const run = plan('FAILED', ci, 3);

    const failedAt = run.steps.findIndex((step) => step.status === 'FAILED');
    expect(run.steps.slice(failedAt + 1).every((step) => step.status === 'ABORTED')).toBe(true);
    expect(run.error).toMatch(/^Step ".+" failed with exit code \d+$/);
  });

  it.each(['QUEUED', 'RUNNING', 'WAITING'] as const)('leaves a run whose life goes on past the horizon as it is there: %s', (status) => {
    const createdAt = NOW - 10 * HOUR;
    const whole = plan('SUCCEEDED', deploy, 5, createdAt, NOW + 10 * HOUR);
    const entered = whole.events.findIndex((event) => event.kind === 'RUN' && event.to === status);
    const horizon = whole.events[entered]?.at ?? NaN;
    expect(whole.events[entered + 1]?.at).toBeGreaterThan(horizon);

    const cut = plan('SUCCEEDED', deploy, 5, createdAt, horizon);

    expectConsistent(cut, createdAt, horizon);
    expect(cut.status).toBe(status);
    expect(cut.events).toEqual(whole.events.filter((event) => event.at <= horizon));
  });

  it('plans the same run for the same random state', () => {
    expect(plan('FAILED', deploy, 42)).toEqual(plan('FAILED', deploy, 42));
  });
});

describe('seed workflows', () => {
  it.each([
    [0, 0],
    [0, 1],
    [0, 2],
    [1, 3],
    [2, 4],
  ])('project %i workflow %i is valid YAML whose steps match its shape', (projectIndex, workflowIndex) => {
    const shape = workflowProfile(projectIndex, workflowIndex);

    const parsed = parseWorkflow(workflowYaml(shape));

    if (!parsed.ok) throw new Error(parsed.problems.map((problem) => problem.message).join('\n'));
    expect(parsed.spec.name).toBe(shape.name);
    expect(shape.steps.length).toBeGreaterThanOrEqual(2);
    expect(shape.steps.length).toBeLessThanOrEqual(6);
    expect(parsed.spec.steps.map((step) => [step.name, step.type, step.continueOn.failure, step.retryPolicy.limit])).toEqual(
      shape.steps.map((step) => [step.name, step.approval ? 'approval' : 'command', step.continueOnFailure, step.retryLimit]),
    );
  });
});

describe('HistoryPlan', () => {
  const targets: SeedTarget[] = [0, 1, 2, 3, 4].map((index) => ({ id: `wf${index}`, projectId: `prj${index % 2}`, versionId: `ver${index}`, profile: workflowProfile(index % 2, index) }));
  let counter = 0;
  const makeId = (prefix: 'run' | 'step') => `${prefix}_${(counter += 1)}`;

  function runsOf(seed: number, total: number, peekEvery = 0): SeedRun[] {
    const history = new HistoryPlan({ total, from: NOW - 30 * 24 * HOUR, to: NOW, seed, workflows: targets, makeId });
    const runs: SeedRun[] = [];
    for (let run = history.next(); run; run = history.next()) {
      runs.push(run);
      if (peekEvery > 0 && runs.length % peekEvery === 0) history.peekCreatedAt();
    }
    return runs;
  }

  it('creates runs in time order within the range, each with its workflow\'s steps, only the newest still active', () => {
    const runs = runsOf(1, 5_000);

    expect(runs.every((run, index) => index === 0 || run.createdAt >= (runs[index - 1]?.createdAt ?? 0))).toBe(true);
    expect(runs.every((run) => run.createdAt >= NOW - 30 * 24 * HOUR && run.createdAt <= NOW)).toBe(true);
    const stepsOf = new Map(targets.map((target) => [target.id, target.profile.steps.map((step) => step.name)]));
    expect(runs.every((run) => run.steps.map((step) => step.name).join() === stepsOf.get(run.workflowId)?.join())).toBe(true);
    const active = runs.filter((run) => !isTerminalRunStatus(run.status));
    expect(active.length).toBeLessThan(10);
    expect(active.every((run) => run.createdAt > NOW - 9 * HOUR)).toBe(true);
  });

  it('leaves a realistic handful still going at the end of a busy history', () => {
    const runs = runsOf(6, 20_000).filter((run) => !isTerminalRunStatus(run.status));

    expect(runs.length).toBeGreaterThan(0);
    expect(runs.length).toBeLessThan(200);
  });

  it('draws a plausible status mix', () => {
    const runs = runsOf(2, 20_000);
    const share = (status: RunStatus) => runs.filter((run) => run.status === status).length / runs.length;

    expect(share('SUCCEEDED')).toBeGreaterThan(0.7);
    expect(share('FAILED')).toBeGreaterThan(0.04);
    expect(share('FAILED')).toBeLessThan(0.2);
    expect(share('PARTIALLY_SUCCEEDED')).toBeGreaterThan(0.01);
    expect(share('ABORTED')).toBeGreaterThan(0.01);
    expect(share('REJECTED')).toBeGreaterThan(0);
  });

  it('makes failures come in streaks: after a failed run, the next run of that workflow fails far more often', () => {
    const runs = runsOf(7, 20_000).filter((run) => run.trigger !== 'RETRY');
    const previous = new Map<string, RunStatus>();
    let afterFailure = 0;
    let failedAfterFailure = 0;
    for (const run of runs) {
      if (previous.get(run.workflowId) === 'FAILED') {
        afterFailure += 1;
        if (run.status === 'FAILED') failedAfterFailure += 1;
      }
      previous.set(run.workflowId, run.status);
    }
    const failed = runs.filter((run) => run.status === 'FAILED').length / runs.length;

    expect(failedAfterFailure / afterFailure).toBeGreaterThan(2.5 * failed);
  });

  it('puts more runs in the busy hours of a rhythm than in its quiet ones', () => {
    const runs = runsOf(8, 20_000);
    const ci = new Set(targets.filter((target) => target.profile.rhythm === 'workday').map((target) => target.id));
    const ciRuns = runs.filter((run) => ci.has(run.workflowId));
    const busy = ciRuns.filter((run) => rhythmFactor('workday', run.createdAt) >= 0.8).length;
    const quiet = ciRuns.filter((run) => rhythmFactor('workday', run.createdAt) <= 0.1).length;

    expect(busy).toBeGreaterThan(4 * quiet);
  });

  it('retries only failed runs of the same workflow that had finished', () => {
    const runs = runsOf(3, 5_000);
    const byId = new Map(runs.map((run) => [run.id, run]));

    const retries = runs.filter((run) => run.retryOfId !== null);

    expect(retries.length).toBeGreaterThan(20);
    for (const retry of retries) {
      const original = byId.get(retry.retryOfId ?? '');
      expect(retry.trigger).toBe('RETRY');
      expect(original?.status).toBe('FAILED');
      expect(original?.workflowId).toBe(retry.workflowId);
      expect(original?.finishedAt ?? Infinity).toBeLessThanOrEqual(retry.createdAt);
      expect(retry.attempt).toBe((original?.attempt ?? 0) + 1);
    }
  });

  it('gives the same history for the same seed however often the next createdAt is peeked at', () => {
    const summary = (runs: SeedRun[]) => runs.map((run) => [run.createdAt, run.status, run.workflowId, run.trigger, run.events.length].join());

    expect(summary(runsOf(4, 2_000, 7))).toEqual(summary(runsOf(4, 2_000)));
    expect(summary(runsOf(5, 2_000))).not.toEqual(summary(runsOf(4, 2_000)));
  });
});
