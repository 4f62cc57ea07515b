import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { isConnectionError, RECONNECT_DELAYS_MS } from '../db/connection-errors.ts';
import type { Clock } from '../domain/clock.ts';
import type { RunEventBus } from '../events/run-event-bus.ts';
import { toRunEventMessage } from '../domain/run-event-message.ts';
import { isTerminalRunStatus, isTerminalStepStatus } from '../domain/status.ts';
import type { HistoryWriteRepository } from '../repositories/history-write.repository.ts';
import type { RunRecord } from '../repositories/run.repository.ts';
import type { StepRunRecord } from '../repositories/step-run.repository.ts';
import { GroupCommit } from './group-commit.ts';
import { NO_HISTORY_WRITE_OBSERVER, type HistoryWriteObserver } from './metrics/observers.ts';
import {
  planBatch,
  readsOf,
  type CreateRunInput,
  type HistoryCommand,
  type HistoryOutcome,
  type RunTransitionInput,
  type StepTransitionInput,
} from './history-write-plan.ts';

interface RunRecorderDeps {
  clock: Clock;
  bus: RunEventBus;
  historyWrites: HistoryWriteRepository;
  logger: Logger;
  /** Told of every change committed and of every run and step that ended; default: nobody. */
  observer?: HistoryWriteObserver;
}

/** A change of a run's or a step's status, as recordAll takes them. */
export type StatusChange = { kind: 'run'; input: RunTransitionInput } | { kind: 'step'; input: StepTransitionInput };

// Commands written in one transaction at most: bounds a transaction's size and how long it holds the write lock.
const MAX_BATCH = 256;

/**
 * The one writer of status history. Every change of a run's or step's status appends a
 * RunEvent, updates the row and moves the rollups in ONE transaction, and is published to the
 * bus only after that transaction committed. Changes asked for while a transaction is being
 * written go together in the next one (group commit); each is still checked on its own.
 *
 * A transition whose database connection breaks is tried again on a new one (RECONNECT_DELAYS_MS):
 * the transaction committed whole or not at all, and a later attempt that finds the status
 * already there knows the earlier one committed (no status has a transition to itself), so
 * the engine's record of a run never stops at a broken connection. Creating a run is not
 * repeated: its caller sees the error (a repeat after an unseen commit would be a second run).
 */
export class RunRecorderService {
  private readonly commits: GroupCommit<HistoryCommand, HistoryOutcome>;
  private readonly observer: HistoryWriteObserver;

  constructor(private readonly deps: RunRecorderDeps) {
    this.observer = deps.observer ?? NO_HISTORY_WRITE_OBSERVER;
    this.commits = new GroupCommit((commands) => this.writeBatch(commands), MAX_BATCH);
  }

  async createRun(input: CreateRunInput): Promise<RunRecord> {
    return (await this.submit({ kind: 'create', input })).run;
  }

  async recordTransition(input: RunTransitionInput): Promise<RunRecord> {
    return (await this.submit({ kind: 'run', input, attempt: 0 })).run;
  }

  async recordStepTransition(input: StepTransitionInput): Promise<StepRunRecord> {
    const { step } = await this.submit({ kind: 'step', input, attempt: 0 });
    if (!step) throw new Error(`Recording step "${input.step}" of run ${input.runId} gave no step`);
    return step;
  }

  /**
   * Records the changes in one transaction of their own, in order, each checked on its own as in
   * a group commit (a refused one fails alone; its outcome holds the error): for a caller with a
   * whole batch at hand, which bounds the batch's size.
   */
  async recordAll(changes: readonly StatusChange[]): Promise<HistoryOutcome[]> {
    if (changes.length === 0) return [];
    const started = performance.now();
    const commands = changes.map((change): HistoryCommand => ({ ...change, attempt: 0 }));
    const outcomes = await this.writeBatch(commands);
    const seconds = (performance.now() - started) / 1000;
    commands.forEach((command, index) => {
      const outcome = outcomes[index];
      if (outcome) this.observe(command, outcome, seconds);
    });
    return outcomes;
  }

  private async submit(command: HistoryCommand): Promise<{ run: RunRecord; step: StepRunRecord | null }> {
    const started = performance.now();
    const outcome = await this.commits.submit(command);
    this.observe(command, outcome, (performance.now() - started) / 1000);
    if (!outcome.ok) throw outcome.error;
    return outcome;
  }

  private observe(command: HistoryCommand, outcome: HistoryOutcome, seconds: number): void {
    if (!outcome.ok) return;
    const { observer } = this;
    observer.committed(command.kind, seconds);
    if (command.kind === 'run' && isTerminalRunStatus(outcome.run.status) && outcome.run.durationMs !== null) {
      observer.runEnded(outcome.run.status, outcome.run.durationMs / 1000);
    }
    const step = outcome.step;
    if (command.kind === 'step' && step && isTerminalStepStatus(step.status) && step.startedAt && step.finishedAt) {
      observer.stepEnded(step.status, (step.finishedAt.getTime() - step.startedAt.getTime()) / 1000);
    }
  }

  /**
   * Writes a batch, and again on a new connection while its connection breaks: then a create
   * fails (its caller sees the error) and the transitions are tried again, as repeats.
   */
  private async writeBatch(commands: readonly HistoryCommand[]): Promise<HistoryOutcome[]> {
    const outcomes: HistoryOutcome[] = [];
    let remaining = commands.map((command, index) => ({ command, index }));
    for (let attempt = 0; remaining.length > 0; attempt += 1) {
      const batch = remaining.map(({ command }) => command);
      try {
        const planned = await this.deps.historyWrites.transact(readsOf(batch), (state) => planBatch(batch, state, this.deps.clock));
        remaining.forEach(({ index }, position) => (outcomes[index] = planned.outcomes[position] ?? { ok: false, error: new Error('No outcome planned') }));
        this.deps.bus.publish(planned.events.map(({ event, run }) => toRunEventMessage(event, run)));
        break;
      } catch (error) {
        const delay = RECONNECT_DELAYS_MS[attempt];
        if (delay === undefined || !isConnectionError(error)) throw error;
        this.deps.logger.warn({ err: error }, 'db.transition_retry');
        for (const { command, index } of remaining) if (command.kind === 'create') outcomes[index] = { ok: false, error };
        remaining = remaining.flatMap(({ command, index }) => (command.kind === 'create' ? [] : [{ command: { ...command, attempt: attempt + 1 }, index }]));
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
    return commands.map((_, index) => outcomes[index] ?? { ok: false, error: new Error('No outcome recorded') });
  }
}
