import type { StepStatus } from '../status.ts';
import { createSeededRandom, seedOf } from '../seeded-random.ts';

/** One step of a running run as the estimate reads it. Times are unix ms. */
export interface EtaStep {
  name: string;
  /** Steps that must finish before this one starts (resolved, as the spec holds them). */
  depends: readonly string[];
  status: StepStatus;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface EtaInput {
  now: number;
  steps: readonly EtaStep[];
  /** Durations of each step's successful attempts in the workflow's recent runs (ms). */
  history: ReadonlyMap<string, readonly number[]>;
  /** Makes the estimate of one run at one moment the same every time it is asked (the run's id). */
  seed: string;
}

export interface Eta {
  /** The median finish over the simulated futures (unix ms). */
  expectedAt: number;
  /** 90 of 100 simulated futures finish by then. */
  p90At: number;
  /** The fewest past durations any unfinished step was estimated from. */
  basedOn: number;
}

/** Each unfinished step needs this many past durations, or there is no estimate. */
export const ETA_MIN_HISTORY = 5;
const SAMPLES = 400;
// A step already running longer than any past duration of it is given this share of its elapsed time more.
const OVERRUN_SHARE = 0.25;
const FINISHED: ReadonlySet<StepStatus> = new Set(['SUCCEEDED', 'PARTIALLY_SUCCEEDED', 'FAILED', 'ABORTED', 'SKIPPED', 'REJECTED']);

/**
 * When a running run will finish: its remaining steps simulated along the workflow's graph,
 * each from its own past durations (resampled), the running ones conditioned on how long they
 * have already run (only past durations longer than that are drawn, less what has passed). The
 * run ends when its last step does: the median of the simulated ends is the estimate, their 90th
 * percentile the bound. Null when a step waits for a person (nobody can tell when) or has too
 * little history.
 */
export function estimateEta(input: EtaInput): Eta | null {
  const unfinished = input.steps.filter((step) => !FINISHED.has(step.status));
  if (unfinished.length === 0 || unfinished.some((step) => step.status === 'WAITING')) return null;
  let basedOn = Number.POSITIVE_INFINITY;
  for (const step of unfinished) {
    const past = input.history.get(step.name)?.length ?? 0;
    if (past < ETA_MIN_HISTORY) return null;
    basedOn = Math.min(basedOn, past);
  }
  const order = topologicalOrder(input.steps);
  if (order === null) return null;
  const random = createSeededRandom(seedOf(input.seed));
  const draw = (durations: readonly number[]) => durations[Math.floor(random.next() * durations.length)] ?? 0;
  const ends: number[] = [];
  for (let sample = 0; sample < SAMPLES; sample += 1) {
    const finishes = new Map<string, number>();
    for (const step of order) {
      finishes.set(step.name, finishOf(step, input, finishes, draw));
    }
    ends.push(Math.max(...finishes.values()));
  }
  ends.sort((a, b) => a - b);
  return { expectedAt: quantile(ends, 0.5), p90At: quantile(ends, 0.9), basedOn };
}

function finishOf(step: EtaStep, input: EtaInput, finishes: ReadonlyMap<string, number>, draw: (durations: readonly number[]) => number): number {
  // A step skipped or aborted before it started has no times: it holds nothing up.
  if (FINISHED.has(step.status)) return step.finishedAt ?? input.now;
  const past = input.history.get(step.name) ?? [];
  if (step.status === 'RUNNING' && step.startedAt !== null) {
    const elapsed = input.now - step.startedAt;
    const longer = past.filter((duration) => duration > elapsed);
    const remaining = longer.length > 0 ? draw(longer) - elapsed : elapsed * OVERRUN_SHARE;
    return input.now + remaining;
  }
  const ready = Math.max(input.now, ...step.depends.map((name) => finishes.get(name) ?? input.now));
  return ready + draw(past);
}

/** The steps with every step before the ones that depend on it; null for a cycle (a spec never has one). */
function topologicalOrder(steps: readonly EtaStep[]): EtaStep[] | null {
  const byName = new Map(steps.map((step) => [step.name, step]));
  const order: EtaStep[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (step: EtaStep): boolean => {
    const seen = state.get(step.name);
    if (seen === 'done') return true;
    if (seen === 'visiting') return false;
    state.set(step.name, 'visiting');
    for (const name of step.depends) {
      const before = byName.get(name);
      if (before && !visit(before)) return false;
    }
    state.set(step.name, 'done');
    order.push(step);
    return true;
  };
  return steps.every(visit) ? order : null;
}

function quantile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
}
