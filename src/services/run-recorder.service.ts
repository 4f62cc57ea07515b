import type { Logger } from 'pino';
import type { Db, Tx } from '../db/client.ts';
import { RECONNECT_DELAYS_MS, retryOnConnectionError } from '../db/connection-errors.ts';
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
  isStepStatus,
  isTerminalRunStatus,
  type RunStatus,
  type StepStatus,
} from '../domain/status.ts';
import type { RunEventKind, RunTrigger } from '../domain/vocabulary.ts';
import type { RunEventBus } from '../events/run-event-bus.ts';
import { toRunEventMessage } from '../domain/run-event-message.ts';
import type { Prisma } from '../generated/sqlite/client.ts';
import type { RunEventRecord, RunEventRepository } from '../repositories/run-event.repository.ts';
import type { RunRecord, RunRepository } from '../repositories/run.repository.ts';
import { bucketKeyOf, type StatusBucketRepository } from '../repositories/status-bucket.repository.ts';
import type { StepRunRecord, StepRunRepository } from '../repositories/step-run.repository.ts';

export interface CreateRunInput {
  projectId: string;
  workflowId: string;
  trigger: RunTrigger;
  params?: Prisma.InputJsonValue;
  steps: readonly string[];
  /** Steps a retry-from-failed-step takes over as SUCCEEDED from the run it repeats. */
  carriedOver?: readonly CarriedOverStep[];
  retryOfId?: string;
  versionId?: string;
  attempt?: number;
  actor?: string;
}

export interface CarriedOverStep {
  name: string;
  fromRunId: string;
  exitCode: number | null;
  output: string | null;
}

export interface RunTransitionInput {
  runId: string;
  to: RunStatus;
  message?: string;
  actor?: string;
  /** Stored on the run as its error when the run ends unsuccessfully. */
  error?: string;
}

export interface StepTransitionInput {
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

interface RunRecorderDeps {
  db: Db;
  clock: Clock;
  bus: RunEventBus;
  runs: RunRepository;
  steps: StepRunRepository;
  events: RunEventRepository;
  buckets: StatusBucketRepository;
  logger: Logger;
}

/**
 * The one writer of status history. Every change of a run's or step's status appends a
 * RunEvent, updates the row and moves the StatusBucket rollup in ONE transaction, and is
 * published to the bus only after that transaction committed.
 *
 * A transition whose database connection breaks is tried again on a new one (RECONNECT_DELAYS_MS):
 * the transaction committed whole or not at all, and a later attempt that finds the status
 * already there knows the earlier one committed (no status has a transition to itself), so
 * the engine's record of a run never stops at a broken connection. Creating a run is not
 * repeated: its caller sees the error (a repeat after an unseen commit would be a second run).
 */
export class RunRecorderService {
  constructor(private readonly deps: RunRecorderDeps) {}

  async createRun(input: CreateRunInput): Promise<RunRecord> {
    const { run, events } = await this.deps.db.$transaction(async (tx) => {
      const seq = await this.deps.events.nextSeq(tx);
      const now = this.deps.clock.now();
      const created = await this.deps.runs.create(tx, {
        id: newId('run', now),
        projectId: input.projectId,
        workflowId: input.workflowId,
        status: INITIAL_RUN_STATUS,
        trigger: input.trigger,
        params: input.params,
        createdAt: now,
        attempt: input.attempt ?? 1,
        retryOfId: input.retryOfId,
        versionId: input.versionId,
        lastSeq: seq,
      });
      if (input.steps.length > 0) {
        await this.deps.steps.createMany(
          tx,
          input.steps.map((name, position) => ({ id: newId('step', now), runId: created.id, name, position, status: INITIAL_STEP_STATUS })),
        );
      }
      await this.deps.buckets.increment(tx, bucketKeyOf(created), INITIAL_RUN_STATUS);
      const appended = [
        await this.appendEvent(tx, seq, created, 'RUN', null, null, INITIAL_RUN_STATUS, now, { message: 'Run created', actor: input.actor }),
      ];
      for (const carried of input.carriedOver ?? []) {
        const step = await this.deps.steps.findByRunAndName(created.id, carried.name, tx);
        if (!step) throw new Error(`Carried-over step "${carried.name}" is not a step of run ${created.id}`);
        await this.deps.steps.update(tx, step.id, { status: 'SUCCEEDED', exitCode: carried.exitCode, output: carried.output, finishedAt: now });
        const stepSeq = await this.deps.events.nextSeq(tx);
        appended.push(
          await this.appendEvent(tx, stepSeq, created, 'STEP', step.id, INITIAL_STEP_STATUS, 'SUCCEEDED', now, { message: `Reused from run ${carried.fromRunId}` }),
        );
        await this.deps.runs.setLastSeq(tx, created.id, stepSeq);
      }
      return { run: created, events: appended };
    });
    this.publish(events, run);
    return run;
  }

  async recordTransition(input: RunTransitionInput): Promise<RunRecord> {
    const { run, event } = await this.retried(async (tx, attempt) => {
      // The seq comes first: it takes the writers' lock, so the status read below is current.
      const seq = await this.deps.events.nextSeq(tx);
      const current = await this.deps.runs.findById(input.runId, tx);
      if (!current) throw notFound('Run', input.runId);
      const from = current.status;
      if (attempt > 0 && from === input.to) return { run: current, event: null };
      if (!canTransitionRun(from, input.to)) {
        throw new AppError(
          'CONFLICT',
          `Run ${current.id} cannot go from ${from} to ${input.to}; allowed from ${from}: ${allowedRunTransitions(from).join(', ') || 'none (finished)'}`,
          { runId: current.id, from, to: input.to },
        );
      }
      const now = this.deps.clock.now();
      const startedAt = current.startedAt ?? (input.to === 'RUNNING' ? now : null);
      const finishing = isTerminalRunStatus(input.to);
      const updated: RunRecord = {
        ...current,
        status: input.to,
        startedAt,
        finishedAt: finishing ? now : null,
        durationMs: finishing ? now.getTime() - (startedAt ?? current.createdAt).getTime() : null,
        error: input.error ?? current.error,
        lastSeq: seq,
      };
      await this.deps.runs.updateState(tx, updated);
      await this.deps.buckets.decrement(tx, bucketKeyOf(current), from);
      await this.deps.buckets.increment(tx, bucketKeyOf(current), input.to);
      const appended = await this.appendEvent(tx, seq, current, 'RUN', null, from, input.to, now, input);
      return { run: updated, event: appended };
    });
    if (event) this.publish([event], run);
    return run;
  }

  async recordStepTransition(input: StepTransitionInput): Promise<StepRunRecord> {
    const { step, event, run } = await this.retried(async (tx, attempt) => {
      const seq = await this.deps.events.nextSeq(tx);
      const run = await this.deps.runs.findById(input.runId, tx);
      if (!run) throw notFound('Run', input.runId);
      const current = await this.deps.steps.findByRunAndName(run.id, input.step, tx);
      if (!current) throw new AppError('NOT_FOUND', `Run ${run.id} has no step named "${input.step}"`, { runId: run.id });
      const from = knownStepStatus(current.status);
      if (attempt > 0 && from === input.to) return { step: current, event: null, run };
      if (!canTransitionStep(from, input.to)) {
        throw new AppError(
          'CONFLICT',
          `Step "${current.name}" of run ${run.id} cannot go from ${from} to ${input.to}; allowed from ${from}: ${allowedStepTransitions(from).join(', ') || 'none (finished)'}`,
          { runId: run.id, step: current.name, from, to: input.to },
        );
      }
      const now = this.deps.clock.now();
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
      await this.deps.steps.updateState(tx, updated);
      await this.deps.runs.setLastSeq(tx, run.id, seq);
      const appended = await this.appendEvent(tx, seq, run, 'STEP', current.id, from, input.to, now, input);
      return { step: updated, event: appended, run };
    });
    if (event) this.publish([event], run);
    return step;
  }

  /** Notes the process group of a running step (not a status change, so no event). */
  async recordStepProcess(runId: string, step: string, pid: number): Promise<void> {
    await this.onNewConnections(() => this.deps.steps.setPid(runId, step, pid));
  }

  private retried<T>(work: (tx: Tx, attempt: number) => Promise<T>): Promise<T> {
    return this.onNewConnections((attempt) => this.deps.db.$transaction((tx) => work(tx, attempt)));
  }

  private onNewConnections<T>(work: (attempt: number) => Promise<T>): Promise<T> {
    return retryOnConnectionError(work, RECONNECT_DELAYS_MS, (error) => this.deps.logger.warn({ err: error }, 'db.transition_retry'));
  }

  private appendEvent(
    tx: Tx,
    seq: bigint,
    run: RunRecord,
    kind: RunEventKind,
    stepRunId: string | null,
    from: string | null,
    to: string,
    at: Date,
    note: { message?: string; actor?: string },
  ): Promise<RunEventRecord> {
    return this.deps.events.append(tx, {
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
    });
  }

  private publish(events: readonly RunEventRecord[], run: RunRecord): void {
    this.deps.bus.publish(events.map((event) => toRunEventMessage(event, run)));
  }
}

function knownStepStatus(status: string): StepStatus {
  if (!isStepStatus(status)) throw new Error(`Stored step status "${status}" is not a StepStatus`);
  return status;
}
