import {
  canTransitionRun,
  canTransitionStep,
  INITIAL_RUN_STATUS,
  INITIAL_STEP_STATUS,
  isTerminalRunStatus,
  type RunStatus,
  type StepStatus,
} from '../domain/status.ts';
import type { RunEventKind } from '../domain/vocabulary.ts';
import type { SeededRandom } from '../domain/seeded-random.ts';
import { SEED_RETRY_INTERVAL_SEC, type SeedStepShape } from './workflow-profile.ts';

/** How a run ends, unless the horizon comes first. */
export type RunOutcome = Extract<RunStatus, 'SUCCEEDED' | 'FAILED' | 'PARTIALLY_SUCCEEDED' | 'ABORTED' | 'REJECTED'>;

/** A StepRun row as the recorder leaves it after the planned events. Times are unix ms. */
export interface PlannedStep {
  name: string;
  status: StepStatus;
  startedAt: number | null;
  finishedAt: number | null;
  exitCode: number | null;
  attempt: number;
  error: string | null;
}

export interface PlannedEvent {
  kind: RunEventKind;
  /** Index into the run's steps for a STEP event. */
  step: number | null;
  from: string | null;
  to: string;
  at: number;
  message: string | null;
  actor: string | null;
}

/** One run as the recorder would have written it: its final row, its steps, its events in order. */
export interface PlannedRun {
  status: RunStatus;
  startedAt: number | null;
  finishedAt: number | null;
  durationMs: number | null;
  error: string | null;
  steps: PlannedStep[];
  /** In the order they happened; `at` never decreases. */
  events: PlannedEvent[];
}

export interface PlanRunInput {
  createdAt: number;
  /** "Now": nothing happens later, so a run whose life goes on past it is left as it is here, still active. */
  horizon: number;
  /** How the run ends if it ends before the horizon; REJECTED needs an approval step. */
  outcome: RunOutcome;
  steps: readonly SeedStepShape[];
  random: SeededRandom;
  /** Who created the run; null for the scheduler. */
  creator: string | null;
}

export const SEED_PEOPLE = ['alice', 'bob', 'carol', 'dave', 'erin'] as const;

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const FAILURE_EXIT_CODES = [1, 1, 1, 2, 127, 137] as const;
/** Most runs start at once; a few wait for a free slot behind the workflow's other runs. */
const WAITS_FOR_SLOT = 0.03;

/**
 * Plans the whole life of one run, following the engine's rules (steps chained in order, a
 * failure aborts what follows, `continueOn: failure` lets the run go on, an approval makes the
 * run WAITING). Every move is checked against src/domain/status.ts, so an illegal history
 * cannot be planned. A run still going at the horizon keeps the status it has there (QUEUED,
 * RUNNING or WAITING). Pure: the same input and random state give the same run.
 */
export function planRun(input: PlanRunInput): PlannedRun {
  return new RunPlanner(input).plan();
}

/** One planning: the clock `t` (ms after createdAt) moves forward as the run's life is written. */
class RunPlanner {
  private t = 0;
  private readonly life: RunLife;

  constructor(private readonly input: PlanRunInput) {
    this.life = new RunLife(
      input.steps.map((step) => step.name),
      input.creator,
      input.horizon - input.createdAt,
    );
  }

  plan(): PlannedRun {
    const { random, steps, outcome } = this.input;
    const life = this.life;
    if (outcome === 'ABORTED' && random.chance(0.25)) {
      this.t += clamp(Math.round(random.logNormal(20 * SECOND, 1)), SECOND, 10 * MINUTE);
      const actor = this.person();
      const message = `Cancelled by ${actor}`;
      this.abortFrom(0, message, true);
      life.run('ABORTED', this.t, { message, error: message, actor });
      return this.placed();
    }

    this.t += random.chance(WAITS_FOR_SLOT) ? clamp(Math.round(random.logNormal(30 * SECOND, 1)), SECOND, 15 * MINUTE) : clamp(Math.round(random.logNormal(400, 1)), 1, MINUTE);
    life.run('RUNNING', this.t);
    const turn = turningStep(outcome, steps, random);
    let partialFailure: string | null = null;
    for (let index = 0; index < steps.length; index += 1) {
      const step = steps[index];
      if (!step) break;
      this.pause(2, 120);
      if (index !== turn) {
        if (step.approval) {
          this.waitForApproval(index, step);
          this.t += this.approvalDelay();
          const actor = this.person();
          life.step(index, 'SUCCEEDED', this.t, { message: 'Approved', actor });
          this.pause(1, 20);
          life.run('RUNNING', this.t, { actor });
        } else {
          this.runCommand(index, step, 'succeed', step.retryLimit > 0 && random.chance(0.05) ? 2 : 1);
        }
        continue;
      }
      switch (outcome) {
        case 'PARTIALLY_SUCCEEDED': {
          const exitCode = this.runCommand(index, step, 'fail', step.retryLimit + 1);
          partialFailure = `Step "${step.name}" failed with exit code ${exitCode}`;
          continue;
        }
        case 'FAILED': {
          const exitCode = this.runCommand(index, step, 'fail', step.retryLimit + 1);
          this.abortFrom(index + 1, `upstream step "${step.name}" ended FAILED`, false);
          this.pause(2, 50);
          life.run('FAILED', this.t, { error: `Step "${step.name}" failed with exit code ${exitCode}` });
          return this.placed();
        }
        case 'REJECTED': {
          this.waitForApproval(index, step);
          this.t += this.approvalDelay();
          const actor = this.person();
          life.step(index, 'REJECTED', this.t, { message: 'Rejected', actor });
          const message = `Step "${step.name}" was rejected`;
          this.abortFrom(index + 1, message, true);
          life.run('REJECTED', this.t, { message, error: message, actor });
          return this.placed();
        }
        case 'ABORTED': {
          const actor = this.person();
          const message = `Cancelled by ${actor}`;
          if (step.approval) {
            this.waitForApproval(index, step);
            this.t += this.approvalDelay();
          } else {
            life.step(index, 'RUNNING', this.t, {});
            this.t += this.duration(step, random.next());
          }
          life.step(index, 'ABORTED', this.t, { message, actor });
          this.abortFrom(index + 1, message, true);
          life.run('ABORTED', this.t, { message, error: message, actor });
          return this.placed();
        }
        case 'SUCCEEDED':
          throw new Error('A run planned to succeed has no turning step');
      }
    }
    this.pause(2, 50);
    if (outcome === 'PARTIALLY_SUCCEEDED') {
      life.run('PARTIALLY_SUCCEEDED', this.t, { error: partialFailure });
    } else if (outcome === 'SUCCEEDED') {
      life.run('SUCCEEDED', this.t);
    } else {
      throw new Error(`The steps of a run planned to be ${outcome} ran out before it got there`);
    }
    return this.placed();
  }

  /**
   * Runs a command step; the last of `attempts` succeeds or fails as asked, the ones before it
   * fail, each retried after the retry policy's interval. Returns the last exit code.
   */
  private runCommand(index: number, step: SeedStepShape, result: 'succeed' | 'fail', attempts: number): number {
    let exitCode = 0;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      if (attempt > 1) this.pause(SEED_RETRY_INTERVAL_SEC * SECOND, SEED_RETRY_INTERVAL_SEC * SECOND + 50);
      this.life.step(index, 'RUNNING', this.t, { message: attempt > 1 ? `Retry ${attempt - 1} of ${step.retryLimit}` : null });
      if (attempt === attempts && result === 'succeed') {
        this.t += this.duration(step, 1);
        this.life.step(index, 'SUCCEEDED', this.t, { exitCode: 0 });
      } else {
        this.t += this.duration(step, 0.5);
        exitCode = this.input.random.pick(FAILURE_EXIT_CODES);
        this.life.step(index, 'FAILED', this.t, { exitCode, error: `exit code ${exitCode}` });
      }
    }
    return exitCode;
  }

  private waitForApproval(index: number, step: SeedStepShape): void {
    this.life.step(index, 'WAITING', this.t, { message: 'Waiting for approval' });
    this.pause(1, 20);
    this.life.run('WAITING', this.t, { message: `Step "${step.name}" waits for approval` });
  }

  /** What the engine does after a failure, rejection or cancel: the steps not started are ABORTED. */
  private abortFrom(first: number, firstMessage: string, sameMessage: boolean): void {
    const { steps } = this.input;
    let message = firstMessage;
    for (let index = first; index < steps.length; index += 1) {
      this.pause(1, 10);
      this.life.step(index, 'ABORTED', this.t, { message });
      if (!sameMessage) message = `upstream step "${steps[index]?.name ?? ''}" ended ABORTED`;
    }
  }

  private pause(min: number, max: number): void {
    this.t += this.input.random.int(min, max);
  }

  private duration(step: SeedStepShape, scale: number): number {
    return clamp(Math.round(this.input.random.logNormal(step.medianMs, 0.6) * scale), 20, 30 * MINUTE);
  }

  private approvalDelay(): number {
    return clamp(Math.round(this.input.random.logNormal(15 * MINUTE, 1)), MINUTE, 8 * HOUR);
  }

  private person(): string {
    return this.input.random.pick(SEED_PEOPLE);
  }

  private placed(): PlannedRun {
    return this.life.place(this.input.createdAt);
  }
}

/** The index of the step where the run leaves the happy path; steps.length when it never does. */
function turningStep(outcome: RunOutcome, steps: readonly SeedStepShape[], random: SeededRandom): number {
  switch (outcome) {
    case 'SUCCEEDED':
      return steps.length;
    case 'ABORTED':
      return random.int(0, steps.length - 1);
    case 'FAILED':
      return pickStep(steps, random, outcome, 'a command step without continueOn: failure', (step) => !step.approval && !step.continueOnFailure);
    case 'PARTIALLY_SUCCEEDED':
      return pickStep(steps, random, outcome, 'a step with continueOn: failure', (step) => step.continueOnFailure);
    case 'REJECTED':
      return pickStep(steps, random, outcome, 'an approval step', (step) => step.approval);
  }
}

function pickStep(steps: readonly SeedStepShape[], random: SeededRandom, outcome: RunOutcome, what: string, fits: (step: SeedStepShape) => boolean): number {
  const candidates: number[] = [];
  steps.forEach((step, index) => {
    if (fits(step)) candidates.push(index);
  });
  if (candidates.length === 0) throw new Error(`A ${outcome} run needs ${what}`);
  return random.pick(candidates);
}

export interface Note {
  message?: string | null;
  actor?: string | null;
  error?: string | null;
  exitCode?: number;
}

/**
 * A run and its steps moved the way RunRecorderService moves them, at offsets from createdAt.
 * Moves after the cutoff (the horizon) do not happen: the run stays as it was there.
 */
export class RunLife {
  private status: RunStatus = INITIAL_RUN_STATUS;
  private startedAt: number | null = null;
  private finishedAt: number | null = null;
  private error: string | null = null;
  private readonly steps: PlannedStep[];
  private readonly events: PlannedEvent[];

  constructor(
    stepNames: readonly string[],
    creator: string | null,
    private readonly cutoff: number,
  ) {
    this.steps = stepNames.map((name) => ({
      name,
      status: INITIAL_STEP_STATUS,
      startedAt: null,
      finishedAt: null,
      exitCode: null,
      attempt: 0,
      error: null,
    }));
    this.events = [{ kind: 'RUN', step: null, from: null, to: INITIAL_RUN_STATUS, at: 0, message: 'Run created', actor: creator }];
  }

  run(to: RunStatus, at: number, note: Note = {}): void {
    if (at > this.cutoff) return;
    if (!canTransitionRun(this.status, to)) throw new Error(`Planned an illegal run move ${this.status} → ${to}`);
    if (this.startedAt === null && to === 'RUNNING') this.startedAt = at;
    if (isTerminalRunStatus(to)) this.finishedAt = at;
    if (note.error) this.error = note.error;
    this.events.push({ kind: 'RUN', step: null, from: this.status, to, at, message: note.message ?? null, actor: note.actor ?? null });
    this.status = to;
  }

  step(index: number, to: StepStatus, at: number, note: Note): void {
    if (at > this.cutoff) return;
    const step = this.steps[index];
    if (!step) throw new Error(`No step ${index}`);
    if (!canTransitionStep(step.status, to)) throw new Error(`Planned an illegal move of step "${step.name}" ${step.status} → ${to}`);
    this.events.push({ kind: 'STEP', step: index, from: step.status, to, at, message: note.message ?? null, actor: note.actor ?? null });
    if (to === 'RUNNING') {
      step.startedAt = at;
      step.finishedAt = null;
      step.attempt += 1;
      step.exitCode = note.exitCode ?? null;
      step.error = note.error ?? null;
    } else {
      step.finishedAt = to === 'WAITING' ? null : at;
      step.exitCode = note.exitCode ?? step.exitCode;
      step.error = note.error ?? step.error;
    }
    step.status = to;
  }

  /** Turns offsets into times from createdAt. */
  place(createdAt: number): PlannedRun {
    const time = (offset: number) => createdAt + offset;
    const timeOrNull = (offset: number | null) => (offset === null ? null : time(offset));
    const startedAt = timeOrNull(this.startedAt);
    const finishedAt = timeOrNull(this.finishedAt);
    return {
      status: this.status,
      startedAt,
      finishedAt,
      durationMs: finishedAt === null ? null : finishedAt - (startedAt ?? createdAt),
      error: this.error,
      steps: this.steps.map((step) => ({ ...step, startedAt: timeOrNull(step.startedAt), finishedAt: timeOrNull(step.finishedAt) })),
      events: this.events.map((event) => ({ ...event, at: time(event.at) })),
    };
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
