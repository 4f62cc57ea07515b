import type { RunTrigger } from '../domain/vocabulary.ts';
import { FailureStreaks } from './failure-streaks.ts';
import { RHYTHMS, VolumeCalendar, type Rhythm } from './rhythm.ts';
import { planRun, SEED_PEOPLE, type PlannedRun, type RunOutcome } from './run-planner.ts';
import { createSeededRandom, type SeededRandom } from '../domain/seeded-random.ts';
import type { WorkflowProfile } from './workflow-profile.ts';

const TRIGGER_MIX: Readonly<Record<Exclude<RunTrigger, 'RETRY' | 'WEBHOOK' | 'SUBDAG'>, number>> = { SCHEDULER: 0.85, MANUAL: 0.09, API: 0.06 };
const RETRY_CHANCE = 0.4;
const MAX_ATTEMPT = 3;
/** Of the runs that reach an approval, the share a person rejects. */
const REJECTED_APPROVALS = 0.1;
const ABORTED_SHARE = 0.03;
/** Of the runs that do not fail outright, the share whose `continueOn: failure` step fails. */
const PARTIAL_SHARE = 0.04;

export interface SeedTarget {
  id: string;
  projectId: string;
  versionId: string;
  profile: WorkflowProfile;
}

export interface HistoryPlanOptions {
  total: number;
  /** Unix ms; runs are created in [from, to) and nothing happens after `to`. */
  from: number;
  to: number;
  seed: number;
  workflows: readonly SeedTarget[];
  makeId: (prefix: 'run' | 'step', at: Date) => string;
}

export interface SeedRun extends PlannedRun {
  /** Position in creation order: createdAt never decreases with it. */
  ordinal: number;
  id: string;
  projectId: string;
  workflowId: string;
  // Null for a run imported from another scheduler, which ran no version of ours.
  versionId: string | null;
  trigger: RunTrigger;
  params: Record<string, string> | null;
  attempt: number;
  retryOfId: string | null;
  createdAt: number;
  stepIds: string[];
}

interface RetryCandidate {
  id: string;
  finishedAt: number;
  attempt: number;
  params: Record<string, string> | null;
}

/** The workflows of one rhythm, to pick one in proportion to its schedule. */
interface RhythmGroup {
  targets: readonly SeedTarget[];
  cumulative: readonly number[];
}

/**
 * The runs of a seeded history, one at a time in creation order, so a writer can stream any
 * number of them in flat memory. Volume follows the workflows' schedules and rhythms (see
 * VolumeCalendar); failures come in streaks per workflow (see FailureStreaks); every run is
 * planned to its end, and the ones whose life goes on past `to` are the few still active.
 * Deterministic for a seed: the n-th run does not depend on how the caller batches them.
 */
export class HistoryPlan {
  private ordinal = 0;
  private nextCreatedAt: number | null = null;
  private readonly random: SeededRandom;
  private readonly calendar: VolumeCalendar;
  private readonly groups: readonly RhythmGroup[];
  private readonly rhythmWeights: number[] = RHYTHMS.map(() => 0);
  private readonly streaks = new FailureStreaks();
  private readonly retryable = new Map<string, RetryCandidate>();

  constructor(private readonly options: HistoryPlanOptions) {
    if (options.workflows.length === 0) throw new Error('A history needs at least one workflow');
    this.random = createSeededRandom(options.seed);
    this.groups = RHYTHMS.map((rhythm) => group(options.workflows.filter((target) => target.profile.rhythm === rhythm)));
    const firesPerDay: Record<Rhythm, number> = { workday: 0, 'nightly-batch': 0, 'office-hours': 0, 'night-window': 0 };
    for (const target of options.workflows) firesPerDay[target.profile.rhythm] += target.profile.firesPerDay;
    // Placement in time has its own stream, so peeking at the next createdAt changes nothing else.
    this.calendar = new VolumeCalendar({ total: options.total, from: options.from, to: options.to, firesPerDay, random: createSeededRandom(options.seed ^ 0x5bd1e995) });
  }

  get done(): boolean {
    return this.ordinal >= this.options.total;
  }

  /** When the next run is created: no later run can have an event before it. Null at the end. */
  peekCreatedAt(): number | null {
    if (this.done) return null;
    this.nextCreatedAt ??= this.calendar.next();
    return this.nextCreatedAt;
  }

  next(): SeedRun | null {
    const createdAt = this.peekCreatedAt();
    if (createdAt === null) return null;
    const ordinal = this.ordinal;
    this.ordinal += 1;
    this.nextCreatedAt = null;
    const random = this.random;
    const target = this.pickTarget(createdAt);

    const candidate = this.retryable.get(target.id);
    let trigger: RunTrigger;
    let params: Record<string, string> | null = null;
    let attempt = 1;
    let retryOfId: string | null = null;
    if (candidate && candidate.finishedAt <= createdAt && random.chance(RETRY_CHANCE)) {
      this.retryable.delete(target.id);
      trigger = 'RETRY';
      params = candidate.params;
      attempt = candidate.attempt + 1;
      retryOfId = candidate.id;
    } else {
      trigger = random.weighted(TRIGGER_MIX);
      if (trigger !== 'SCHEDULER' && random.chance(0.5)) params = { ...random.pick(target.profile.paramOverrides) };
    }
    const creator = trigger === 'SCHEDULER' ? null : trigger === 'API' ? 'deploy-bot' : random.pick(SEED_PEOPLE);

    const outcome = this.outcome(target);
    const planned = planRun({ createdAt, horizon: this.options.to, outcome, steps: target.profile.steps, random, creator });
    const at = new Date(createdAt);
    const id = this.options.makeId('run', at);
    if (planned.status === 'FAILED' && planned.finishedAt !== null && attempt < MAX_ATTEMPT) {
      this.retryable.set(target.id, { id, finishedAt: planned.finishedAt, attempt, params });
    }
    return {
      status: planned.status,
      startedAt: planned.startedAt,
      finishedAt: planned.finishedAt,
      durationMs: planned.durationMs,
      error: planned.error,
      steps: planned.steps,
      events: planned.events,
      ordinal,
      id,
      projectId: target.projectId,
      workflowId: target.id,
      versionId: target.versionId,
      trigger,
      params,
      attempt,
      retryOfId,
      createdAt,
      stepIds: planned.steps.map(() => this.options.makeId('step', at)),
    };
  }

  /** A rhythm in proportion to its volume in this hour, then one of its workflows by schedule. */
  private pickTarget(createdAt: number): SeedTarget {
    const weights = this.calendar.rhythmWeights(createdAt, this.rhythmWeights);
    let point = this.random.next() * weights.reduce((sum, weight) => sum + weight, 0);
    let chosen = -1;
    for (let index = 0; index < weights.length; index += 1) {
      const weight = weights[index] ?? 0;
      if (weight === 0) continue;
      chosen = index;
      if (point < weight) break;
      point -= weight;
    }
    const { targets, cumulative } = this.groups[chosen] ?? { targets: [], cumulative: [] };
    const at = this.random.next() * (cumulative.at(-1) ?? 0);
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (at < (cumulative[middle] ?? 0)) high = middle;
      else low = middle + 1;
    }
    const target = targets[low];
    if (!target) throw new Error('No workflow to seed');
    return target;
  }

  private outcome(target: SeedTarget): RunOutcome {
    const random = this.random;
    const failureOdds = this.streaks.nextFailureOdds(target.id, target.profile.failure, random);
    if (target.profile.hasApproval && random.chance(REJECTED_APPROVALS)) return 'REJECTED';
    if (random.chance(ABORTED_SHARE)) return 'ABORTED';
    if (random.chance(failureOdds)) return 'FAILED';
    return random.chance(PARTIAL_SHARE) ? 'PARTIALLY_SUCCEEDED' : 'SUCCEEDED';
  }
}

function group(targets: readonly SeedTarget[]): RhythmGroup {
  let sum = 0;
  return { targets, cumulative: targets.map((target) => (sum += target.profile.firesPerDay)) };
}
