import type { AnomalyKind } from '../../domain/insight/anomaly.ts';
import { nextFireTimes } from '../../domain/workflow/schedule.ts';
import type { WorkflowSpec } from '../../domain/workflow/workflow-spec.ts';
import { dayOfWeek, rhythmFactor, RHYTHMS, type Rhythm } from '../rhythm.ts';
import { createSeededRandom, seedOf, type SeededRandom } from '../../domain/seeded-random.ts';

/**
 * A labelled history for the insight detectors and their benchmark: workflows with seasonal
 * volume, log-normal step durations and their own failure propensities, into which anomalies are
 * injected at known times and written down as labels. The labels are the ground truth the
 * benchmark scores findings against; nothing the server runs reads them.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** What was injected. A shared outage fails several workflows of several projects at once, for one named cause. */
export type LabelKind = AnomalyKind | 'SHARED_OUTAGE';

export interface ScenarioLabel {
  kind: LabelKind;
  workflowIds: string[];
  projectIds: string[];
  /** The step a duration spike slowed; null otherwise. */
  step: string | null;
  /** Unix ms; `end` exclusive. A flaky workflow's label spans the whole history. */
  start: number;
  end: number;
  /** The shared cause of an outage, as its failed runs' error says. */
  cause: string | null;
}

export interface ScenarioStepShape {
  name: string;
  medianMs: number;
  /** Log-normal shape: the standard deviation of the log duration. */
  sigma: number;
}

export interface ScenarioWorkflow {
  id: string;
  projectId: string;
  name: string;
  schedule: WorkflowSpec['schedule'];
  steps: ScenarioStepShape[];
  /** Runs people and API clients start per day on average, besides the schedule, by `rhythm`. */
  extraRunsPerDay: number;
  rhythm: Rhythm;
  failureRate: number;
  flaky: boolean;
}

export interface ScenarioStep {
  name: string;
  status: 'SUCCEEDED' | 'FAILED' | 'NOT_STARTED';
  /** Durations of its attempts, in order; empty when it did not start. */
  attemptsMs: number[];
}

export interface ScenarioRun {
  workflowId: string;
  projectId: string;
  trigger: 'SCHEDULE' | 'MANUAL';
  createdAt: number;
  finishedAt: number;
  status: 'SUCCEEDED' | 'FAILED';
  steps: ScenarioStep[];
  error: string | null;
  /** A step failed an attempt and succeeded on a retry. */
  succeededOnRetry: boolean;
}

export interface Scenario {
  start: number;
  end: number;
  workflows: ScenarioWorkflow[];
  /** Per workflow, in creation order. */
  runs: Map<string, ScenarioRun[]>;
  labels: ScenarioLabel[];
}

export interface ScenarioOptions {
  seed: number;
  projects: number;
  workflowsPerProject: number;
  days: number;
  /** Unix ms at a UTC midnight. */
  start: number;
  /** No injected anomaly (flaky workflows stay flaky: it is their trait): for false findings on clean history. */
  clean: boolean;
  /** Days before the first injection: detectors need weeks to learn seasonality. */
  learningDays: number;
}

export const DEFAULT_SCENARIO_OPTIONS: ScenarioOptions = {
  seed: 1,
  projects: 3,
  workflowsPerProject: 6,
  days: 60,
  start: Date.UTC(2026, 5, 1),
  clean: false,
  learningDays: 29,
};

const STEP_NAMES = ['connect', 'extract', 'transform', 'load', 'verify', 'publish'];
// Shared outages injected per scenario (each may fail to find members in two projects, or a clear hour).
const OUTAGES = 6;
const OUTAGE_CAUSES = ['connection refused: db-main.internal:5432', 'TLS handshake timeout: registry.internal:443', 'no space left on device: /var/lib/warehouse'];
const ORDINARY_ERRORS = ['exit status 1: assertion failed at row 4211', 'exit status 2: file /data/in/part-0093.csv not found', 'exit status 137: killed (out of memory) after 812 s'];

const INJECTED: readonly AnomalyKind[] = ['DURATION_SPIKE', 'FAILURE_BURST', 'LEVEL_SHIFT', 'VOLUME_DROP', 'MISSED_SCHEDULE'];
// How long each injected anomaly lasts.
const LENGTH_MS: Readonly<Record<Exclude<AnomalyKind, 'FLAKY'>, number>> = {
  DURATION_SPIKE: 6 * HOUR_MS,
  FAILURE_BURST: 2 * HOUR_MS,
  LEVEL_SHIFT: 4 * DAY_MS,
  VOLUME_DROP: DAY_MS,
  MISSED_SCHEDULE: 2 * HOUR_MS,
};

export function generateScenario(options: ScenarioOptions): Scenario {
  const random = createSeededRandom(options.seed * 7919 + 17);
  const end = options.start + options.days * DAY_MS;
  const workflows = Array.from({ length: options.projects * options.workflowsPerProject }, (_, index) =>
    workflowOf(random, `prj-${Math.floor(index / options.workflowsPerProject) + 1}`, index),
  );
  const labels = [
    ...workflows.filter((workflow) => workflow.flaky).map((workflow) => label('FLAKY', [workflow], null, options.start, end, null)),
    ...(options.clean ? [] : injectAnomalies(random, workflows, options, end)),
  ];
  const runs = new Map(workflows.map((workflow) => [workflow.id, runsOf(createSeededRandom(options.seed * 104_729 + seedOf(workflow.id)), workflow, labels, options.start, end)]));
  return { start: options.start, end, workflows, runs, labels };
}

function workflowOf(random: SeededRandom, projectId: string, index: number): ScenarioWorkflow {
  const stepCount = random.int(3, 5);
  return {
    id: `wf-${index + 1}`,
    projectId,
    name: `pipeline-${index + 1}`,
    schedule: [{ expression: '*/15 * * * *', timezone: null }],
    steps: STEP_NAMES.slice(0, stepCount).map((name) => ({ name, medianMs: Math.round(random.logNormal(20_000, 1)), sigma: 0.15 + random.next() * 0.15 })),
    extraRunsPerDay: random.int(80, 160),
    rhythm: random.pick(RHYTHMS.filter((rhythm) => rhythm !== 'night-window')),
    failureRate: 0.005 + random.next() * 0.03,
    flaky: index % 7 === 3,
  };
}

/** Two or three anomalies per workflow, days apart, after the learning days; and outages shared across projects. */
function injectAnomalies(random: SeededRandom, workflows: readonly ScenarioWorkflow[], options: ScenarioOptions, end: number): ScenarioLabel[] {
  const labels: ScenarioLabel[] = [];
  const firstDay = options.learningDays;
  const lastDay = options.days - 6;
  for (const workflow of workflows) {
    const count = random.int(2, 3);
    const slot = Math.floor((lastDay - firstDay) / count);
    for (let index = 0; index < count; index += 1) {
      const kind = random.pick(INJECTED.filter((candidate) => !(workflow.flaky && (candidate === 'FAILURE_BURST' || candidate === 'LEVEL_SHIFT'))));
      if (kind === 'FLAKY') continue;
      const candidate = firstDay + index * slot + random.int(0, Math.max(slot - 5, 0));
      // A drop on a day of few runs (a weekend of an office-hours workflow) would be no drop at all: drops fall on Tuesdays to Thursdays.
      const day = kind === 'VOLUME_DROP' ? midweekFrom(options.start, candidate) : candidate;
      const start = kind === 'VOLUME_DROP' ? options.start + day * DAY_MS : options.start + day * DAY_MS + random.int(1, 20) * HOUR_MS;
      const step = kind === 'DURATION_SPIKE' ? random.pick(workflow.steps).name : null;
      labels.push(label(kind, [workflow], step, start, Math.min(start + LENGTH_MS[kind], end), null));
    }
  }
  for (let outage = 0; outage < OUTAGES; outage += 1) {
    const cause = OUTAGE_CAUSES[outage % OUTAGE_CAUSES.length] ?? null;
    const candidates = workflows.filter((workflow) => !workflow.flaky);
    const members = candidates.filter(() => random.chance(0.3));
    if (new Set(members.map((workflow) => workflow.projectId)).size < 2 || members.length < 3) continue;
    // An outage is kept clear of the members' own injections (a day either side), so each label has one cause.
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const start = options.start + random.int(firstDay, lastDay) * DAY_MS + random.int(9, 17) * HOUR_MS;
      const clear = members.every((workflow) => labels.every((other) => !other.workflowIds.includes(workflow.id) || other.end + DAY_MS < start || other.start > start + HOUR_MS + DAY_MS));
      if (!clear) continue;
      labels.push(label('SHARED_OUTAGE', members, 'connect', start, start + HOUR_MS, cause));
      break;
    }
  }
  return labels;
}

/** The first day from `day` (days after `start`) that is a Tuesday, Wednesday or Thursday. */
function midweekFrom(start: number, day: number): number {
  let midweek = day;
  while (![2, 3, 4].includes(dayOfWeek(start + midweek * DAY_MS))) midweek += 1;
  return midweek;
}

function label(kind: LabelKind, workflows: readonly ScenarioWorkflow[], step: string | null, start: number, end: number, cause: string | null): ScenarioLabel {
  return { kind, workflowIds: workflows.map((workflow) => workflow.id), projectIds: [...new Set(workflows.map((workflow) => workflow.projectId))], step, start, end, cause };
}

function runsOf(random: SeededRandom, workflow: ScenarioWorkflow, labels: readonly ScenarioLabel[], start: number, end: number): ScenarioRun[] {
  const active = activeLabels(labels, workflow.id);
  const creations: { at: number; trigger: ScenarioRun['trigger'] }[] = [];
  for (const fire of fireTimes(workflow.schedule, start, end)) {
    if (!active('MISSED_SCHEDULE', fire)) creations.push({ at: fire + random.int(0, 2_000), trigger: 'SCHEDULE' });
  }
  const meanFactor = averageFactor(workflow.rhythm);
  for (let hour = start; hour < end; hour += HOUR_MS) {
    const dropped = active('VOLUME_DROP', hour) ? 0.1 : 1;
    const rate = (workflow.extraRunsPerDay / 24) * (rhythmFactor(workflow.rhythm, hour) / meanFactor) * dropped;
    for (let count = poisson(random, rate); count > 0; count -= 1) creations.push({ at: hour + Math.floor(random.next() * HOUR_MS), trigger: 'MANUAL' });
  }
  creations.sort((a, b) => a.at - b.at);
  return creations.map((creation) => runAt(random, workflow, creation.at, creation.trigger, active));
}

function runAt(
  random: SeededRandom,
  workflow: ScenarioWorkflow,
  createdAt: number,
  trigger: ScenarioRun['trigger'],
  active: (kind: LabelKind, at: number) => ScenarioLabel | undefined,
): ScenarioRun {
  const outage = active('SHARED_OUTAGE', createdAt);
  const failing = random.chance(failureRateAt(workflow, createdAt, active));
  const failAt = outage ? 0 : random.int(0, workflow.steps.length - 1);
  const spike = active('DURATION_SPIKE', createdAt);
  const steps: ScenarioStep[] = [];
  let elapsed = 2_000;
  let succeededOnRetry = false;
  let error: string | null = null;
  for (const [index, shape] of workflow.steps.entries()) {
    if (error !== null) {
      steps.push({ name: shape.name, status: 'NOT_STARTED', attemptsMs: [] });
      continue;
    }
    const slowdown = spike?.step === shape.name ? 3 : 1;
    const attempt = () => Math.round(random.logNormal(shape.medianMs, shape.sigma) * slowdown);
    const attemptsMs = [attempt()];
    if (failing && index === failAt) {
      error = outage?.cause ?? `${shape.name}: ${random.pick(ORDINARY_ERRORS)}`;
      steps.push({ name: shape.name, status: 'FAILED', attemptsMs });
    } else {
      // A flaky step fails an attempt now and then and passes when tried again.
      if (random.chance(workflow.flaky ? 0.12 : 0.002)) {
        attemptsMs.push(attempt());
        succeededOnRetry = true;
      }
      steps.push({ name: shape.name, status: 'SUCCEEDED', attemptsMs });
    }
    elapsed += attemptsMs.reduce((sum, ms) => sum + ms, 0);
  }
  return {
    workflowId: workflow.id,
    projectId: workflow.projectId,
    trigger,
    createdAt,
    finishedAt: createdAt + elapsed,
    status: error === null ? 'SUCCEEDED' : 'FAILED',
    steps,
    error,
    succeededOnRetry: succeededOnRetry && error === null,
  };
}

/** The schedule's fires in [start, end), asked of croner in batches (each call parses the pattern). */
function fireTimes(schedule: WorkflowSpec['schedule'], start: number, end: number): number[] {
  const fires: number[] = [];
  let after = new Date(start - 1);
  for (;;) {
    const batch = nextFireTimes(schedule, after, 1024);
    for (const fire of batch) {
      if (fire.getTime() >= end) return fires;
      fires.push(fire.getTime());
    }
    const last = batch.at(-1);
    if (last === undefined) return fires;
    after = last;
  }
}

/** The true chance that a run of the workflow created at `at` fails: its own rate, or what an injected anomaly makes it. */
export function failureRateAt(workflow: ScenarioWorkflow, at: number, active: (kind: LabelKind, at: number) => ScenarioLabel | undefined): number {
  if (active('SHARED_OUTAGE', at)) return 0.9;
  if (active('FAILURE_BURST', at)) return 0.6;
  return workflow.failureRate + (active('LEVEL_SHIFT', at) ? 0.2 : 0);
}

/** The labels of the scenario active for a workflow, by kind and time. */
export function activeLabels(labels: readonly ScenarioLabel[], workflowId: string): (kind: LabelKind, at: number) => ScenarioLabel | undefined {
  const own = labels.filter((candidate) => candidate.workflowIds.includes(workflowId));
  return (kind, at) => own.find((candidate) => candidate.kind === kind && candidate.start <= at && at < candidate.end);
}

function averageFactor(rhythm: Rhythm): number {
  let total = 0;
  for (let hour = 0; hour < 7 * 24; hour += 1) total += rhythmFactor(rhythm, hour * HOUR_MS);
  return total / (7 * 24);
}

/** Knuth's method: fine for the small rates of one hour. */
function poisson(random: SeededRandom, rate: number): number {
  const limit = Math.exp(-rate);
  let count = 0;
  for (let product = random.next(); product > limit; product *= random.next()) count += 1;
  return count;
}
