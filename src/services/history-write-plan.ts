import type { Clock } from '../domain/clock.ts';
import { AppError, notFound } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import {
  allowedRunTransitions,
  allowedStepTransitions,
  canTransitionRun,
  canTransitionStep,
  INITIAL_RUN_STATUS,
  INITIAL_STEP_STATUS,
  isTerminalRunStatus,
  type RunStatus,
  type StepStatus,
} from '../domain/status.ts';
import type { RunEventKind, RunTrigger } from '../domain/vocabulary.ts';
import type { Prisma } from '../generated/sqlite/client.ts';
import { bucketKeyOf, cronTickKeyOf, stepKeyOf, type BucketMove, type CronTickKey, type HistoryWrites, type WriteReads, type WriteState } from '../repositories/history-write.repository.ts';
import type { RunEventRecord } from '../repositories/run-event.repository.ts';
import type { ClaimedRunRecord } from '../repositories/run.repository.ts';
import type { StepRunRecord } from '../repositories/step-run.repository.ts';

export interface CreateRunInput {
  projectId: string;
  workflowId: string;
  trigger: RunTrigger;
  params?: Prisma.InputJsonValue;
  steps: readonly string[];
  /** Steps a retry-from-failed-step takes over as SUCCEEDED from the run it repeats. */
  carriedOver?: readonly CarriedOverStep[];
  retryOfId?: string;
  /** A sub-workflow run: the run and the call step that started it. */
  parent?: { runId: string; stepName: string };
  versionId?: string;
  attempt?: number;
  actor?: string;
  /** The cron tick this run is queued for: refused (CONFLICT) when the tick fired already. */
  cronTick?: Date;
}

/** The cron tick a run was to be queued for has queued one already (maybe by another scheduler). */
export class TickFiredError extends AppError {
  constructor(tick: CronTickKey) {
    super('CONFLICT', `The tick of ${tick.fireAt.toISOString()} of workflow ${tick.workflowId} has fired already`, { workflowId: tick.workflowId, tick: tick.fireAt.toISOString() });
  }
}

export interface CarriedOverStep {
  name: string;
  fromRunId: string;
  exitCode: number | null;
  output: string | null;
}

/**
 * Written by an executor, a change carries the fencing token of its claim on the run: once the
 * claim was taken over (the executor was presumed dead), the run's token moved on and the
 * change is refused. Changes from elsewhere (an API cancel of a run nobody claimed) carry none.
 */
interface Fenced {
  fence?: number;
}

export interface RunTransitionInput extends Fenced {
  runId: string;
  to: RunStatus;
  message?: string;
  actor?: string;
  /** Stored on the run as its error when the run ends unsuccessfully. */
  error?: string;
}

export interface StepTransitionInput extends Fenced {
  runId: string;
  step: string;
  to: StepStatus;
  message?: string;
  actor?: string;
  exitCode?: number;
  error?: string;
  logPath?: string;
  /** The captured stdout of a step with `output`. */
  output?: string;
}

/**
 * One change the recorder was asked for. `attempt` counts how often it was tried: a repeat
 * after a broken connection that finds its status already there knows the first one committed
 * (no status has a transition to itself).
 */
export type HistoryCommand =
  | { kind: 'create'; input: CreateRunInput }
  | { kind: 'run'; input: RunTransitionInput; attempt: number }
  | { kind: 'step'; input: StepTransitionInput; attempt: number };

export type HistoryOutcome = { ok: true; run: ClaimedRunRecord; step: StepRunRecord | null } | { ok: false; error: unknown };

/** A recorded event and the run it belongs to, to publish once the transaction committed. */
export interface PlannedEvent {
  event: RunEventRecord;
  run: ClaimedRunRecord;
}

export interface PlannedBatch {
  outcomes: HistoryOutcome[];
  events: PlannedEvent[];
}

/** What a batch must read and lock before it can be planned. */
export function readsOf(commands: readonly HistoryCommand[]): WriteReads {
  const runIds: string[] = [];
  const steps: { runId: string; name: string }[] = [];
  const cronTicks: CronTickKey[] = [];
  for (const command of commands) {
    if (command.kind === 'create') {
      if (command.input.cronTick) cronTicks.push({ workflowId: command.input.workflowId, fireAt: command.input.cronTick });
      continue;
    }
    runIds.push(command.input.runId);
    if (command.kind === 'step') steps.push({ runId: command.input.runId, name: command.input.step });
  }
  return { runIds, steps, cronTicks };
}

/**
 * Plans a batch of commands against what the transaction read, in order: each sees what the
 * ones before it changed, and one that breaks a rule fails alone (its outcome holds the error)
 * while the rest are written.
 */
export function planBatch(commands: readonly HistoryCommand[], state: WriteState, clock: Clock): { writes: HistoryWrites; result: PlannedBatch } {
  const batch = new BatchPlan(state, clock);
  const outcomes = commands.map((command): HistoryOutcome => {
    try {
      return { ok: true, ...batch.apply(command) };
    } catch (error) {
      return { ok: false, error };
    }
  });
  return { writes: batch.writes(), result: { outcomes, events: batch.events } };
}

class BatchPlan {
  readonly events: PlannedEvent[] = [];
  private readonly runs: Map<string, ClaimedRunRecord>;
  private readonly steps: Map<string, StepRunRecord>;
  private readonly createdRunIds = new Set<string>();
  private readonly createdStepIds = new Set<string>();
  private readonly touchedRuns = new Set<string>();
  private readonly touchedSteps = new Set<string>();
  private readonly moves: BucketMove[] = [];
  private readonly firedTicks: Set<string>;
  private readonly cronTicks: HistoryWrites['cronTicks'] = [];
  private seq: bigint;

  constructor(
    state: WriteState,
    private readonly clock: Clock,
  ) {
    this.runs = new Map(state.runs);
    this.steps = new Map(state.steps);
    this.seq = state.headSeq;
    this.firedTicks = new Set(state.firedTicks);
  }

  apply(command: HistoryCommand): { run: ClaimedRunRecord; step: StepRunRecord | null } {
    switch (command.kind) {
      case 'create':
        return { run: this.create(command.input), step: null };
      case 'run':
        return { run: this.transitionRun(command.input, command.attempt), step: null };
      case 'step':
        return this.transitionStep(command.input, command.attempt);
    }
  }

  writes(): HistoryWrites {
    const runs = [...this.touchedRuns].map((id) => this.knownRun(id));
    const steps = [...this.touchedSteps].map((key) => this.knownStep(key));
    return {
      createdRuns: runs.filter((run) => this.createdRunIds.has(run.id)),
      runUpdates: runs.filter((run) => !this.createdRunIds.has(run.id)),
      createdSteps: steps.filter((step) => this.createdStepIds.has(step.id)),
      stepUpdates: steps.filter((step) => !this.createdStepIds.has(step.id)),
      events: this.events.map(({ event }) => event),
      bucketMoves: this.moves,
      cronTicks: this.cronTicks,
    };
  }

  private create(input: CreateRunInput): ClaimedRunRecord {
    const tick = input.cronTick ? { workflowId: input.workflowId, fireAt: input.cronTick } : null;
    if (tick && this.firedTicks.has(cronTickKeyOf(tick))) throw new TickFiredError(tick);
    const now = this.clock.now();
    const seq = this.nextSeq();
    const run: ClaimedRunRecord = {
      id: newId('run', now),
      projectId: input.projectId,
      workflowId: input.workflowId,
      status: INITIAL_RUN_STATUS,
      trigger: input.trigger,
      params: input.params === undefined ? null : jsonOf(input.params),
      createdAt: now,
      startedAt: null,
      finishedAt: null,
      durationMs: null,
      attempt: input.attempt ?? 1,
      retryOfId: input.retryOfId ?? null,
      parentRunId: input.parent?.runId ?? null,
      parentStepName: input.parent?.stepName ?? null,
      versionId: input.versionId ?? null,
      error: null,
      lastSeq: seq,
      leaseOwner: null,
      leaseExpiresAt: null,
      fence: 0,
      archived: false,
    };
    this.createdRunIds.add(run.id);
    this.putRun(run);
    if (tick) {
      this.firedTicks.add(cronTickKeyOf(tick));
      this.cronTicks.push({ ...tick, runId: run.id });
    }
    input.steps.forEach((name, position) => {
      const step: StepRunRecord = {
        // A step's id carries its run's creation time: PostgreSQL keeps it in its run's partition.
        id: newId('step', run.createdAt),
        runId: run.id,
        name,
        position,
        status: INITIAL_STEP_STATUS,
        startedAt: null,
        finishedAt: null,
        exitCode: null,
        attempt: 0,
        error: null,
        output: null,
        pid: null,
        logPath: null,
      };
      this.createdStepIds.add(step.id);
      this.putStep(step);
    });
    this.moves.push({ key: bucketKeyOf(run), status: INITIAL_RUN_STATUS, delta: 1 });
    this.record(seq, run, 'RUN', null, null, INITIAL_RUN_STATUS, now, { message: 'Run created', actor: input.actor });
    for (const carried of input.carriedOver ?? []) {
      const step = this.steps.get(stepKeyOf(run.id, carried.name));
      if (!step) throw new Error(`Carried-over step "${carried.name}" is not a step of run ${run.id}`);
      this.putStep({ ...step, status: 'SUCCEEDED', exitCode: carried.exitCode, output: carried.output, finishedAt: now });
      const stepSeq = this.nextSeq();
      this.putRun({ ...this.knownRun(run.id), lastSeq: stepSeq });
      this.record(stepSeq, run, 'STEP', step.id, INITIAL_STEP_STATUS, 'SUCCEEDED', now, { message: `Reused from run ${carried.fromRunId}` });
    }
    return this.knownRun(run.id);
  }

  private transitionRun(input: RunTransitionInput, attempt: number): ClaimedRunRecord {
    const current = this.runs.get(input.runId);
    if (!current) throw notFound('Run', input.runId);
    checkFence(current, input);
    const from = current.status;
    if (attempt > 0 && from === input.to) return current;
    if (!canTransitionRun(from, input.to)) {
      throw new AppError(
        'CONFLICT',
        `Run ${current.id} cannot go from ${from} to ${input.to}; allowed from ${from}: ${allowedRunTransitions(from).join(', ') || 'none (finished)'}`,
        { runId: current.id, from, to: input.to },
      );
    }
    const now = this.clock.now();
    const seq = this.nextSeq();
    const startedAt = current.startedAt ?? (input.to === 'RUNNING' ? now : null);
    const finishing = isTerminalRunStatus(input.to);
    const updated: ClaimedRunRecord = {
      ...current,
      // A finished run is nobody's any more.
      leaseOwner: finishing ? null : current.leaseOwner,
      leaseExpiresAt: finishing ? null : current.leaseExpiresAt,
      status: input.to,
      startedAt,
      finishedAt: finishing ? now : null,
      durationMs: finishing ? now.getTime() - (startedAt ?? current.createdAt).getTime() : null,
      error: input.error ?? current.error,
      lastSeq: seq,
    };
    this.putRun(updated);
    this.moves.push({ key: bucketKeyOf(current), status: from, delta: -1 }, { key: bucketKeyOf(current), status: input.to, delta: 1 });
    this.record(seq, updated, 'RUN', null, from, input.to, now, input);
    return updated;
  }

  private transitionStep(input: StepTransitionInput, attempt: number): { run: ClaimedRunRecord; step: StepRunRecord } {
    const run = this.runs.get(input.runId);
    if (!run) throw notFound('Run', input.runId);
    checkFence(run, input);
    const current = this.steps.get(stepKeyOf(run.id, input.step));
    if (!current) throw new AppError('NOT_FOUND', `Run ${run.id} has no step named "${input.step}"`, { runId: run.id });
    const from = current.status;
    if (attempt > 0 && from === input.to) return { run, step: current };
    if (!canTransitionStep(from, input.to)) {
      throw new AppError(
        'CONFLICT',
        `Step "${current.name}" of run ${run.id} cannot go from ${from} to ${input.to}; allowed from ${from}: ${allowedStepTransitions(from).join(', ') || 'none (finished)'}`,
        { runId: run.id, step: current.name, from, to: input.to },
      );
    }
    const now = this.clock.now();
    const seq = this.nextSeq();
    const entersRunning = input.to === 'RUNNING';
    const updated: StepRunRecord = {
      ...current,
      status: input.to,
      startedAt: entersRunning ? now : current.startedAt,
      finishedAt: entersRunning || input.to === 'WAITING' ? null : now,
      attempt: entersRunning ? current.attempt + 1 : current.attempt,
      exitCode: input.exitCode ?? (entersRunning ? null : current.exitCode),
      error: input.error ?? (entersRunning ? null : current.error),
      logPath: input.logPath ?? current.logPath,
      output: input.output ?? (entersRunning ? null : current.output),
      pid: null,
    };
    this.putStep(updated);
    const updatedRun = { ...run, lastSeq: seq };
    this.putRun(updatedRun);
    this.record(seq, updatedRun, 'STEP', current.id, from, input.to, now, input);
    return { run: updatedRun, step: updated };
  }

  private nextSeq(): bigint {
    this.seq += 1n;
    return this.seq;
  }

  private putRun(run: ClaimedRunRecord): void {
    this.runs.set(run.id, run);
    this.touchedRuns.add(run.id);
  }

  private putStep(step: StepRunRecord): void {
    const key = stepKeyOf(step.runId, step.name);
    this.steps.set(key, step);
    this.touchedSteps.add(key);
  }

  private knownRun(id: string): ClaimedRunRecord {
    const run = this.runs.get(id);
    if (!run) throw new Error(`Run ${id} was planned but is not in the batch`);
    return run;
  }

  private knownStep(key: string): StepRunRecord {
    const step = this.steps.get(key);
    if (!step) throw new Error(`Step ${key} was planned but is not in the batch`);
    return step;
  }

  private record(
    seq: bigint,
    run: ClaimedRunRecord,
    kind: RunEventKind,
    stepRunId: string | null,
    from: string | null,
    to: string,
    at: Date,
    note: { message?: string; actor?: string },
  ): void {
    const event: RunEventRecord = {
      seq,
      runId: run.id,
      stepRunId,
      projectId: run.projectId,
      workflowId: run.workflowId,
      kind,
      from,
      to,
      at,
      message: note.message ?? null,
      actor: note.actor ?? null,
    };
    this.events.push({ event, run });
  }
}

/** Params as the database gives them back: plain JSON. */
function jsonOf(value: Prisma.InputJsonValue): Prisma.JsonValue {
  const parsed: Prisma.JsonValue = JSON.parse(JSON.stringify(value));
  return parsed;
}

function checkFence(run: ClaimedRunRecord, input: Fenced): void {
  if (input.fence === undefined || input.fence === run.fence) return;
  throw new AppError('CONFLICT', `Run ${run.id} was taken over by ${run.leaseOwner ?? 'nobody'} (claim ${run.fence}); a write of claim ${input.fence} is refused`, {
    runId: run.id,
    fence: input.fence,
    currentFence: run.fence,
  });
}
