import type { RunStatus } from '../domain/status.ts';
import type { RunTrigger } from '../domain/vocabulary.ts';
import { planRun, SEED_PEOPLE, type PlannedRun } from './run-planner.ts';
import { createSeededRandom, type SeededRandom } from './seeded-random.ts';
import type { SeedWorkflowShape } from './workflow-profile.ts';

type TerminalOutcome = Extract<RunStatus, 'SUCCEEDED' | 'FAILED' | 'PARTIALLY_SUCCEEDED' | 'ABORTED' | 'REJECTED'>;
type ActiveOutcome = Extract<RunStatus, 'QUEUED' | 'RUNNING' | 'WAITING'>;

/** Shares of all runs; the runs left over (2%) are still active at the end of the range. */
export const SEED_TERMINAL_MIX: Readonly<Record<TerminalOutcome, number>> = {
  SUCCEEDED: 0.8,
  FAILED: 0.1,
  PARTIALLY_SUCCEEDED: 0.04,
  ABORTED: 0.03,
  REJECTED: 0.01,
};
export const SEED_ACTIVE_MIX: Readonly<Record<ActiveOutcome, number>> = { QUEUED: 0.3, RUNNING: 0.5, WAITING: 0.2 };
export const SEED_ACTIVE_SHARE = 1 - Object.values<number>(SEED_TERMINAL_MIX).reduce((sum, share) => sum + share, 0);

const TRIGGER_MIX: Readonly<Record<Exclude<RunTrigger, 'RETRY' | 'WEBHOOK' | 'SUBDAG'>, number>> = { SCHEDULER: 0.85, MANUAL: 0.09, API: 0.06 };
const RETRY_CHANCE = 0.4;
const MAX_ATTEMPT = 3;
/** The active runs are the newest ones, created within this window before the end of the range. */
const MAX_ACTIVE_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface SeedTarget {
  id: string;
  projectId: string;
  versionId: string;
  shape: SeedWorkflowShape;
}

export interface HistoryPlanOptions {
  total: number;
  /** Unix ms; runs are created in [from, to] and nothing happens after `to`. */
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
  versionId: string;
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

interface WeightedTargets {
  targets: readonly SeedTarget[];
  cumulative: readonly number[];
}

/**
 * The runs of a seeded history, one at a time in creation order, so a writer can stream any
 * number of them in flat memory. Deterministic for a seed: the outcome, workflow, trigger and
 * timeline of the n-th run do not depend on how the caller batches them.
 */
export class HistoryPlan {
  private ordinal = 0;
  private nextCreatedAt: number | null = null;
  private readonly random: SeededRandom;
  /** Placement in time has its own stream, so peeking at the next createdAt changes nothing else. */
  private readonly timeRandom: SeededRandom;
  private readonly terminalCount: number;
  private readonly activeFrom: number;
  private readonly allTargets: WeightedTargets;
  private readonly approvalTargets: WeightedTargets;
  private readonly retryable = new Map<string, RetryCandidate>();

  constructor(private readonly options: HistoryPlanOptions) {
    if (options.workflows.length === 0) throw new Error('A history needs at least one workflow');
    this.random = createSeededRandom(options.seed);
    this.timeRandom = createSeededRandom(options.seed ^ 0x5bd1e995);
    const activeCount = Math.round(options.total * SEED_ACTIVE_SHARE);
    this.terminalCount = options.total - activeCount;
    const window = activeCount > 0 ? Math.min((options.to - options.from) * SEED_ACTIVE_SHARE, MAX_ACTIVE_WINDOW_MS) : 0;
    this.activeFrom = options.to - Math.floor(window);
    this.allTargets = weighted(options.workflows);
    this.approvalTargets = weighted(options.workflows.filter((target) => target.shape.hasApproval));
  }

  get done(): boolean {
    return this.ordinal >= this.options.total;
  }

  /** When the next run is created: no later run can have an event before it. Null at the end. */
  peekCreatedAt(): number | null {
    if (this.done) return null;
    this.nextCreatedAt ??= this.placeInTime(this.ordinal);
    return this.nextCreatedAt;
  }

  next(): SeedRun | null {
    const createdAt = this.peekCreatedAt();
    if (createdAt === null) return null;
    const ordinal = this.ordinal;
    this.ordinal += 1;
    this.nextCreatedAt = null;
    const random = this.random;

    let outcome: RunStatus = ordinal < this.terminalCount ? random.weighted(SEED_TERMINAL_MIX) : random.weighted(SEED_ACTIVE_MIX);
    const needsApproval = outcome === 'REJECTED' || outcome === 'WAITING';
    if (needsApproval && this.approvalTargets.targets.length === 0) outcome = outcome === 'REJECTED' ? 'FAILED' : 'RUNNING';
    const target = pickTarget(needsApproval && this.approvalTargets.targets.length > 0 ? this.approvalTargets : this.allTargets, random);

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
      if (trigger !== 'SCHEDULER' && random.chance(0.5)) params = { ...random.pick(target.shape.paramOverrides) };
    }
    const creator = trigger === 'SCHEDULER' ? null : trigger === 'API' ? 'deploy-bot' : random.pick(SEED_PEOPLE);

    const planned = planRun({ createdAt, horizon: this.options.to, outcome, steps: target.shape.steps, random, creator });
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

  /**
   * Terminal runs spread evenly (with jitter) over [from, activeFrom), the still-active ones over
   * [activeFrom, to]: creation times never decrease with the ordinal.
   */
  private placeInTime(ordinal: number): number {
    const { from, to, total } = this.options;
    const jitter = this.timeRandom.next();
    if (ordinal < this.terminalCount) {
      return from + Math.floor(((ordinal + jitter) * (this.activeFrom - from)) / this.terminalCount);
    }
    const activeCount = total - this.terminalCount;
    return this.activeFrom + Math.floor(((ordinal - this.terminalCount + jitter) * (to - this.activeFrom)) / activeCount);
  }
}

function weighted(targets: readonly SeedTarget[]): WeightedTargets {
  let sum = 0;
  return { targets, cumulative: targets.map((target) => (sum += target.shape.weight)) };
}

function pickTarget({ targets, cumulative }: WeightedTargets, random: SeededRandom): SeedTarget {
  const point = random.next() * (cumulative.at(-1) ?? 0);
  const index = cumulative.findIndex((bound) => point < bound);
  const target = targets[index === -1 ? targets.length - 1 : index];
  if (!target) throw new Error('No workflow to seed');
  return target;
}
