import { canTransitionRun, canTransitionStep, isTerminalRunStatus, RUN_STATUSES, type RunStatus, type StepStatus } from '../domain/status.ts';
import { parseWorkflow } from '../domain/workflow/parse-workflow.ts';
import { HistoryPlan, SEED_ACTIVE_SHARE, SEED_TERMINAL_MIX, type SeedRun, type SeedTarget } from './history-plan.ts';
import { planRun, type PlannedRun } from './run-planner.ts';
import { createSeededRandom } from './seeded-random.ts';
import { seedWorkflowShape, seedWorkflowYaml, type SeedWorkflowShape } from './workflow-profile.ts';

const HOUR = 60 * 60 * 1000;
const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const deploy = seedWorkflowShape(0, 2);
const ci = seedWorkflowShape(0, 0);

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

function plan(outcome: RunStatus, shape: SeedWorkflowShape, seed: number, createdAt = NOW - 6 * HOUR, horizon = NOW): PlannedRun {
  return planRun({ createdAt, horizon, outcome, steps: shape.steps, random: createSeededRandom(seed), creator: null });
}

describe('planRun', () => {
  const cases = RUN_STATUSES.flatMap((outcome) => [1, 2, 3, 4, 5].map((seed) => [outcome, seed] as const));

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
    ['WAITING', ['WAITING']],
    ['RUNNING', ['RUNNING']],
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

  it('squeezes a run that would end after the horizon so that nothing happens later', () => {
    const createdAt = NOW - 2_000;

    const run = plan('SUCCEEDED', deploy, 5, createdAt, NOW);

    expectConsistent(run, createdAt, NOW);
    expect(run.finishedAt).toBeLessThanOrEqual(NOW);
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
    const shape = seedWorkflowShape(projectIndex, workflowIndex);

    const parsed = parseWorkflow(seedWorkflowYaml(shape));

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
  const targets: SeedTarget[] = [0, 1, 2, 3, 4].map((index) => ({ id: `wf${index}`, projectId: `prj${index % 2}`, versionId: `ver${index}`, shape: seedWorkflowShape(0, index) }));
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

  it('creates runs in time order within the range, the newest ones still active', () => {
    const runs = runsOf(1, 5_000);

    expect(runs.every((run, index) => index === 0 || run.createdAt >= (runs[index - 1]?.createdAt ?? 0))).toBe(true);
    expect(runs.every((run) => run.createdAt >= NOW - 30 * 24 * HOUR && run.createdAt <= NOW)).toBe(true);
    const active = runs.filter((run) => !isTerminalRunStatus(run.status));
    expect(active.length).toBe(Math.round(5_000 * SEED_ACTIVE_SHARE));
    expect(active.every((run) => run.ordinal >= 5_000 - active.length)).toBe(true);
  });

  it('draws statuses in the configured mix', () => {
    const runs = runsOf(2, 20_000);

    for (const [status, share] of Object.entries(SEED_TERMINAL_MIX)) {
      const actual = runs.filter((run) => run.status === status).length / runs.length;
      expect(Math.abs(actual - share)).toBeLessThan(Math.max(0.01, share * 0.2));
    }
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
