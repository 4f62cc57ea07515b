import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { QueueSignals } from '../db/queue-listener.ts';
import type { Clock } from '../domain/clock.ts';
import { AppError, notFound } from '../domain/errors.ts';
import type { ApprovalDecision, RunDispatcher } from '../domain/execution/run-dispatcher.ts';
import { isTerminalRunStatus, isUnfinishedStepStatus, TERMINAL_RUN_STATUSES, UNFINISHED_STEP_STATUSES, type RunStatus } from '../domain/status.ts';
import type { WorkflowSpec } from '../domain/workflow/workflow-spec.ts';
import { matchesSelector } from '../domain/workflow/worker-selector.ts';
import { isRetryDue } from '../domain/execution/lost-run.ts';
import { onlyAwaitsApproval, stepStatesOf } from '../domain/execution/waiting-run.ts';
import type { ApprovalDecisionRepository } from '../repositories/approval-decision.repository.ts';
import type { ExecutorRepository } from '../repositories/executor.repository.ts';
import type { RunClaimRepository, TakenOverRun, TakeoverCursor } from '../repositories/run-claim.repository.ts';
import type { ClaimedRunRecord, RunRecord, RunRepository } from '../repositories/run.repository.ts';
import type { StepRunRecord, StepRunRepository } from '../repositories/step-run.repository.ts';
import type { WorkflowRepository } from '../repositories/workflow.repository.ts';
import type { RunRecorderService } from '../services/run-recorder.service.ts';
import type { StoredSpecs } from '../services/stored-specs.ts';
import { ExecutorPresence } from './executor-presence.ts';
import type { StepLogService } from '../services/step-log.service.ts';
import { RunExecution, type EngineSettings } from './run-execution.ts';
import { Semaphore } from './semaphore.ts';
import { SubWorkflowRuns } from './sub-workflow-runs.ts';
import { endStepProcesses, stepCookie } from './process-sweep.ts';
import { HostLeftovers } from './host-leftovers.ts';
import { resolveStepUser, type StepIdentity } from './step-user.ts';
import { lostRunVerdict, recordTakeovers, stepsAfterTakeover, type TakenOverRunState } from './takeover-changes.ts';
import { prepareWorkRoot, secureDataDir } from './work-dir.ts';
import { StepLauncher } from './step-launcher.ts';
import { NO_EXECUTOR_OBSERVER, type ExecutorObserver } from '../services/metrics/observers.ts';

export interface RunEngineSettings extends EngineSettings {
  /**
   * Runs executing at once, over all workflows and every executor of the database; more wait
   * QUEUED in arrival order. A run WAITING for approval executes nothing and holds no slot (here
   * or in its workflow's maxActiveRuns).
   */
  maxActiveRuns: number;
  /** Runs this process executes at once. */
  concurrency: number;
  /** This executor's name (see defaultExecutorName), the owner of its claims. */
  executorId: string;
  labels: Readonly<Record<string, string>>;
  /** How long a claim holds without renewal; renewed every third of it. */
  leaseMs: number;
  /** SQLite: the only executor of its database; at start, every claim but its own is a dead process's. */
  onlyExecutor: boolean;
  /** At a stop, how long executing runs may go on to finish by themselves (a worker's SIGTERM); 0: stopped at once. */
  drainMs: number;
  /**
   * At a stop, what becomes of runs still executing after the drain: handed back by their retry
   * policy (requeued for another executor, or FAILED "worker stopped") when true; otherwise they
   * end with the stop's message, their unfinished steps ABORTED.
   */
  handBackOnStop: boolean;
  /** Step processes at once, over all runs. */
  maxParallelSteps: number;
  /** STEP_USER as configured (a name or a uid); looked up when the engine starts. */
  stepUser: string | null;
}

interface RunEngineDeps {
  recorder: RunRecorderService;
  /** Another process queued runs: claim them now rather than at the next poll. */
  queueSignals: QueueSignals;
  claims: RunClaimRepository;
  executors: ExecutorRepository;
  approvalDecisions: ApprovalDecisionRepository;
  clock: Clock;
  runs: RunRepository;
  steps: StepRunRepository;
  workflows: WorkflowRepository;
  specs: StoredSpecs;
  logger: Logger;
  settings: RunEngineSettings;
  stepLogs: StepLogService;
  /** Told of each heartbeat and each claim lost; default: nobody. */
  observer?: ExecutorObserver;
}

export const EXECUTOR_LOST = 'executor lost';
/** Why a run whose executor stopped renewing its claim ended. */
export const WORKER_LOST = 'worker lost';
/** Why a run a stopping worker handed back was requeued or ended. */
export const WORKER_STOPPED = 'worker stopped before the run finished';
// Queued runs are looked for this often even when no wake-up came (another process queued them without a notice reaching us).
const QUEUE_POLL_MS = 1_000;
// A dispatch pass that failed (the database away) is tried again after this, so queued runs never wait for the next trigger.
const DISPATCH_RETRY_MS = 1_000;
// How often a process that stored a decision for a run another executor holds looks whether it was applied.
const DECISION_POLL_MS = 100;

/**
 * Runs (or steps) read per query by dispatch and by the settling of finished runs' steps. The
 * event loop gets a turn after each one too: SQLite answers synchronously, so awaiting it alone
 * would never let a request in.
 */
const PAGE_SIZE = 200;
/**
 * Runs taken over per batch, whose changes are recorded in one transaction: on SQLite that
 * transaction holds the event loop, so a batch stays a few milliseconds long. After each batch
 * the pass leaves the event loop alone as long as it was busy during the batch, so requests are
 * answered meanwhile however many runs a pass settles.
 */
const TAKEOVER_BATCH = 50;
// Claims renewed per statement: the held WAITING runs may be many.
const RENEW_BATCH = 500;

/** How far the settling of what a dead process left behind has come: runs done of those found. */
export interface RecoveryProgress {
  settled: number;
  total: number;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

interface ActiveRun {
  execution: RunExecution;
  done: Promise<RunStatus | null>;
  fence: number;
  lost: boolean;
}

/**
 * Starts QUEUED runs in arrival order within the global and per-workflow limits, keeps the
 * executions of this process, and settles what a dead process left behind.
 */
export class RunEngine implements RunDispatcher {
  private readonly active = new Map<string, ActiveRun>();
  /**
   * Runs WAITING for a person that this executor holds without an execution, each with the
   * fencing token of its claim: a few bytes a run, however many wait. A decision starts the
   * execution (see decideApproval).
   */
  private readonly held = new Map<string, number>();
  private readonly resuming = new Map<string, Promise<ActiveRun | null>>();
  private readonly presence: ExecutorPresence;
  private timers: NodeJS.Timeout[] = [];
  private beating: Promise<void> | null = null;
  private readonly stepSlots: Semaphore;
  private readonly launcher: StepLauncher;
  // Per version: what dispatch needs to start a run, without a query per queued run and pass.
  private readonly versions = new Map<string, { spec: WorkflowSpec; workflowName: string; workflowDir: string | null }>();
  private dispatching: Promise<void> | null = null;
  private applyingDecisions: Promise<void> | null = null;
  private applyDecisionsAgain = false;
  private dispatchAgain = false;
  // Not started: queued runs wait (the CLI's seed and validate, and tests that only queue).
  private running = false;
  // While set, nothing is dispatched: queued runs wait for recovery to end.
  private recovery: { progress: RecoveryProgress; done: Promise<void> } | null = null;
  private identity: StepIdentity | null = null;
  private readonly subWorkflows: SubWorkflowRuns;

  constructor(private readonly deps: RunEngineDeps) {
    this.stepSlots = new Semaphore(deps.settings.maxParallelSteps);
    this.launcher = new StepLauncher(deps.logger);
    this.subWorkflows = new SubWorkflowRuns({ ...deps, adopt: (runId) => this.adopt(runId), cancel: (runId) => this.cancel(runId, null) });
    const { executorId: id, labels, concurrency, leaseMs, onlyExecutor: onlyOne } = deps.settings;
    this.presence = new ExecutorPresence(deps, { id, labels, concurrency, leaseMs, onlyOne });
  }

  /**
   * Prepares where steps run (STEP_USER looked up, DATA_DIR private, WORK_DIR the server's),
   * then recovery, then the queue: runs left RUNNING by a dead process are requeued or end
   * FAILED ("executor lost") by their steps' retry policies (see takeoverChanges), their
   * processes killed; a finished run left
   * with an unfinished step gets it ABORTED; runs WAITING for approval are picked up again, held
   * without an execution until their decision comes when nothing else of them can go on. All of
   * it a batch at a time (see takeOver). Recovering counts from the call on (see
   * `recoveryProgress`), before its first await.
   */
  async start(options: { recover: boolean }): Promise<void> {
    const progress = { settled: 0, total: 0 };
    // Renewals go on during recovery too: the runs it picks up first stay this executor's however long the rest takes.
    this.addTimer(setInterval(() => this.beat(), Math.max(1, Math.floor(this.deps.settings.leaseMs / 3))));
    const done = this.prepareAndRecover(options.recover, progress);
    this.recovery = { progress, done };
    try {
      await done;
    } catch (error) {
      this.clearTimers();
      throw error;
    } finally {
      this.recovery = null;
    }
    if (!this.running) return;
    this.addTimer(setInterval(() => this.dispatch(), QUEUE_POLL_MS));
    this.addTimer(setInterval(() => this.applyDecisions(), QUEUE_POLL_MS));
    this.deps.queueSignals.onQueued(() => this.dispatch());
    this.deps.queueSignals.onApprovalDecided(() => this.applyDecisions());
    this.dispatch();
  }

  private addTimer(timer: NodeJS.Timeout): void {
    timer.unref();
    this.timers.push(timer);
  }

  private clearTimers(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  private async prepareAndRecover(recover: boolean, progress: RecoveryProgress): Promise<void> {
    const settings = this.deps.settings;
    if (recover) progress.total = await this.deps.runs.countByStatus(['RUNNING', 'WAITING']);
    this.identity = settings.stepUser === null ? null : await resolveStepUser(settings.stepUser);
    await secureDataDir(settings.dataDir);
    await prepareWorkRoot(settings.workDir, this.identity);
    await this.presence.register();
    this.running = true;
    if (recover) await this.recover(progress);
  }

  /** Null unless recovery is under way. */
  recoveryProgress(): RecoveryProgress | null {
    return this.recovery ? { ...this.recovery.progress } : null;
  }

  /** Starts whatever the limits allow now; safe to call any time, passes never overlap. */
  dispatch(): void {
    if (!this.running || this.recovery) return;
    if (this.dispatching) {
      this.dispatchAgain = true;
      return;
    }
    this.dispatching = this.dispatchPass()
      .catch((error: unknown) => {
        this.deps.logger.error({ err: error }, 'engine.dispatch_failed');
        setTimeout(() => this.dispatch(), DISPATCH_RETRY_MS).unref();
      })
      .finally(() => {
        this.dispatching = null;
        if (this.dispatchAgain) {
          this.dispatchAgain = false;
          this.dispatch();
        }
      });
  }

  /** Resolves when the run's execution in this process has ended (at once if it has none). */
  async settled(runId: string): Promise<void> {
    await this.active.get(runId)?.done;
  }

  /**
   * Aborts the run. One this process executes stops here; any other is taken from whoever holds
   * it (their next renewal finds the claim gone and kills its steps) and recorded ABORTED.
   */
  async cancel(runId: string, actor: string | null): Promise<void> {
    // The run may be one recovery has yet to settle or pick up.
    await this.recovery?.done.catch(() => {});
    const message = actor ? `Cancelled by ${actor}` : 'Cancelled';
    const active = this.active.get(runId);
    if (active) {
      active.execution.stop('cancel', message, actor);
      await active.done;
      return;
    }
    const run = await this.deps.runs.findById(runId);
    if (!run) throw notFound('Run', runId);
    if (isTerminalRunStatus(run.status)) {
      throw new AppError('CONFLICT', `Run ${runId} is already finished (${run.status})`, { runId, status: run.status });
    }
    const seized = await this.deps.claims.seize(runId, this.deps.settings.executorId, this.leaseEnd());
    if (!seized) throw notFound('Run', runId);
    this.held.delete(runId);
    const note = { message, actor: actor ?? undefined, fence: seized.fence };
    for (const step of await this.deps.steps.listByRunIds([runId])) {
      if (isUnfinishedStepStatus(step.status)) await this.deps.recorder.recordStepTransition({ runId, step: step.name, to: 'ABORTED', ...note });
    }
    await this.deps.recorder.recordTransition({ runId, to: 'ABORTED', error: message, ...note });
  }

  /**
   * Stores the decision (the first one about a step is kept), then applies it here when this
   * process executes or holds the run (a held run's execution starts for it); otherwise the executor holding the run applies it under its claim
   * (told through the database), or whoever takes the run over does. Waits until it was applied
   * (a rejection: until the run ended), a lease at most: after that it stays stored for the next holder.
   */
  async decideApproval(runId: string, step: string, decision: ApprovalDecision): Promise<void> {
    await this.recovery?.done.catch(() => {});
    const active = this.active.get(runId);
    const awaitedHere = active?.execution.approvalsAwaited.includes(step) ?? false;
    const stepRun = (await this.deps.steps.listByRunIds([runId])).find((candidate) => candidate.name === step);
    if (!stepRun || (!awaitedHere && stepRun.status !== 'WAITING')) {
      throw new AppError('CONFLICT', `Step "${step}" of run ${runId} is not waiting for approval`, { runId, step });
    }
    const outcome = await this.deps.approvalDecisions.record(stepRun.id, decision, this.deps.clock.now());
    if (!outcome.recorded) {
      const { kind, actor } = outcome.existing.decision;
      throw new AppError('CONFLICT', `Step "${step}" of run ${runId} was already ${kind === 'approve' ? 'approved' : 'rejected'}${actor ? ` by ${actor}` : ''}`, { runId, step });
    }
    // A run this executor holds without an execution gets one now, which takes the decision.
    const here = active && awaitedHere ? active : await this.resumeHeld(runId, step);
    if (here?.execution.approvalsAwaited.includes(step)) await here.execution.decideApproval(step, decision);
    else await this.awaitDecisionApplied(runId, step, decision.kind);
  }

  private async awaitDecisionApplied(runId: string, step: string, kind: ApprovalDecision['kind']): Promise<void> {
    for (let polls = Math.ceil(this.deps.settings.leaseMs / DECISION_POLL_MS); polls > 0; polls -= 1) {
      const [run, steps] = await Promise.all([this.deps.runs.findById(runId), this.deps.steps.listByRunIds([runId])]);
      const applied = steps.find((candidate) => candidate.name === step)?.status !== 'WAITING';
      if (!run || (applied && (kind === 'approve' || isTerminalRunStatus(run.status)))) return;
      await new Promise((resolve) => setTimeout(resolve, DECISION_POLL_MS));
    }
  }

  /**
   * Applies the stored decisions about steps this process's runs wait for: made elsewhere, or
   * before this process took the run over. A run held without an execution gets one for it.
   */
  private applyDecisions(): void {
    if (!this.running) return;
    if (this.applyingDecisions) {
      this.applyDecisionsAgain = true;
      return;
    }
    // No query while nothing here waits for a person.
    if (this.held.size === 0 && ![...this.active.values()].some(({ execution }) => execution.approvalsAwaited.length > 0)) return;
    this.applyingDecisions = this.applyStoredDecisions()
      .catch((error: unknown) => this.deps.logger.error({ err: error }, 'engine.decisions_failed'))
      .finally(() => {
        this.applyingDecisions = null;
        if (this.applyDecisionsAgain) {
          this.applyDecisionsAgain = false;
          this.applyDecisions();
        }
      });
  }

  private async applyStoredDecisions(): Promise<void> {
    for (const { runId, step, decision } of await this.deps.approvalDecisions.listPendingOnClaimsOf(this.deps.settings.executorId)) {
      const execution = this.active.get(runId)?.execution ?? (await this.resumeHeld(runId, step))?.execution;
      if (!execution?.approvalsAwaited.includes(step)) continue;
      // One that fails (its claim was taken over meanwhile) leaves the decision stored for the next holder.
      await execution.decideApproval(step, decision).catch((error: unknown) => this.deps.logger.warn({ err: error, runId, step }, 'engine.decision_not_applied'));
    }
  }

  /**
   * A held WAITING run whose decision came: its execution starts from the stored state, under the
   * claim still held. A decision about a step that does not wait leaves the run held.
   */
  private resumeHeld(runId: string, step: string): Promise<ActiveRun | null> {
    const fence = this.held.get(runId);
    // Two decisions at once (a run with two approvals) share one start.
    if (fence === undefined) return this.resuming.get(runId) ?? Promise.resolve(null);
    this.held.delete(runId);
    const resumed = (async () => {
      const run = await this.deps.claims.findHeld(runId, this.deps.settings.executorId);
      if (!run || run.fence !== fence || run.status !== 'WAITING') return null;
      const steps = await this.deps.steps.listByRunIds([runId]);
      if (!steps.some(({ name, status }) => name === step && status === 'WAITING')) {
        this.held.set(runId, fence);
        return null;
      }
      await this.launch(run, steps);
      return this.active.get(runId) ?? null;
    })().finally(() => this.resuming.delete(runId));
    this.resuming.set(runId, resumed);
    return resumed;
  }

  /**
   * Stops claiming, dispatching and recovery, before the database closes. Runs that execute are
   * aborted, recording why; runs that only wait for a person are let go unchanged: they stay
   * WAITING, and this executor's next start (or another executor, once the claim expired) picks
   * them up.
   */
  async stop(message: string): Promise<void> {
    const wasRunning = this.running;
    this.running = false;
    this.clearTimers();
    await Promise.all([this.dispatching, this.beating, this.applyingDecisions, this.recovery?.done.catch(() => {})]);
    await this.drain();
    const handedBack = this.deps.settings.handBackOnStop ? await this.seizeExecuting() : [];
    for (const { execution } of this.active.values()) {
      if (execution.waitingForPerson) execution.detach(message, 'keep');
      else execution.stop('shutdown', message);
    }
    await Promise.all([...this.active.values()].map(({ done }) => done));
    await this.launcher.stop();
    if (this.deps.settings.handBackOnStop) await this.handBack(handedBack);
    if (wasRunning) await this.presence.leave().catch((error: unknown) => this.deps.logger.warn({ err: error }, 'engine.leave_failed'));
  }

  /**
   * Takes this executor's own runs that still execute after the drain under new claims, so that
   * their executions, stopped next, record nothing more (their writes carry the old fence): what
   * becomes of each run is then recorded once, by handBack.
   */
  private async seizeExecuting(): Promise<ClaimedRunRecord[]> {
    const seized: ClaimedRunRecord[] = [];
    for (const [runId, active] of this.active) {
      if (active.execution.waitingForPerson || active.lost) continue;
      try {
        const run = await this.deps.claims.seize(runId, this.deps.settings.executorId, this.leaseEnd());
        active.lost = true;
        if (run && !isTerminalRunStatus(run.status)) seized.push(run);
      } catch (error) {
        // Stopped with the stop's message as before; its claim expires if that cannot be recorded.
        this.deps.logger.error({ err: error, runId }, 'engine.hand_back_failed');
      }
    }
    return seized;
  }

  /**
   * A stopping worker gives back what it could not finish, as a dead one's runs would be settled
   * but at once: each run its steps' retry policies allow is requeued for another executor (the
   * steps it had running FAILED for this attempt), the others end FAILED "worker stopped"; runs
   * waiting for a person have their claims ended, for any executor to take over now.
   */
  private async handBack(seized: readonly ClaimedRunRecord[]): Promise<void> {
    const leftovers = new HostLeftovers(this.deps.settings.workDir);
    const states: TakenOverRunState[] = [];
    const steps = seized.length === 0 ? [] : await this.deps.steps.listByRunIds(seized.map(({ id }) => id));
    await leftovers.endProcessesOf(steps);
    for (const run of seized) {
      const spec = (await this.versionOf(run))?.spec ?? null;
      states.push({ run, steps: steps.filter(({ runId }) => runId === run.id), spec, reason: WORKER_STOPPED });
    }
    const refused = await recordTakeovers(this.deps.recorder, states).catch((error: unknown) => new Map(states.map(({ run }) => [run.id, error])));
    for (const state of states) {
      const { run } = state;
      const verdict = lostRunVerdict(state);
      if (refused.has(run.id)) this.deps.logger.error({ err: refused.get(run.id), runId: run.id }, 'engine.hand_back_failed');
      else if (verdict?.kind === 'requeue') {
        await this.settleOne(run.id, () => this.deps.claims.release(run.id, run.fence));
        this.deps.logger.warn({ runId: run.id, retried: verdict.retried }, 'engine.run_handed_back');
      } else this.deps.logger.warn({ runId: run.id, because: verdict?.kind === 'fail' ? verdict.because : undefined }, 'engine.run_stopped');
    }
    await this.deps.claims.expireClaims({ executorId: this.deps.settings.executorId }).catch((error: unknown) => this.deps.logger.warn({ err: error }, 'engine.claims_not_ended'));
  }

  /** A worker's executing runs get `drainMs` to finish on their own before the rest are stopped; its claims are still renewed meanwhile. */
  private async drain(): Promise<void> {
    const executing = [...this.active.values()].filter(({ execution }) => !execution.waitingForPerson);
    if (this.deps.settings.drainMs <= 0 || executing.length === 0) return;
    this.deps.logger.info({ runs: executing.length, drainMs: this.deps.settings.drainMs }, 'engine.draining');
    const renewing = setInterval(() => void this.renewClaims().catch(() => undefined), Math.max(1, Math.floor(this.deps.settings.leaseMs / 3)));
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([Promise.all(executing.map(({ done }) => done)), new Promise((resolve) => (timer = setTimeout(resolve, this.deps.settings.drainMs)))]);
    } finally {
      clearInterval(renewing);
      clearTimeout(timer);
    }
  }

  /**
   * What a dead process left, a batch at a time: runs this executor's earlier life held, runs
   * whose claim expired (on SQLite: every claim, the database has no other executor), then the
   * steps of finished runs left unfinished.
   */
  private async recover(progress: RecoveryProgress): Promise<void> {
    const { onlyExecutor, executorId } = this.deps.settings;
    await this.deps.claims.expireClaims(onlyExecutor ? 'every' : { executorId });
    const started = performance.now();
    await this.takeOver((runs) => (progress.settled += runs));
    await this.settleStepsOfFinishedRuns();
    this.deps.logger.info({ runs: progress.settled, held: this.held.size, ms: Math.round(performance.now() - started) }, 'engine.recovered');
  }

  /**
   * One pass over the runs with dead claims, a batch at a time: each batch is taken over, then
   * settled (a queued run back to the queue, a lost one requeued or FAILED, a waiting one held or picked up)
   * with every change of the batch in one transaction. A run this executor's earlier life held
   * (or nobody's) was lost with its executor; one of another executor, with that worker.
   */
  private async takeOver(onSettled: (runs: number) => void = () => {}): Promise<void> {
    const leftovers = new HostLeftovers(this.deps.settings.workDir);
    let after: TakeoverCursor | null = null;
    for (;;) {
      const started = performance.eventLoopUtilization();
      const page = await this.deps.claims.takeOverExpired({
        executorId: this.deps.settings.executorId,
        now: this.deps.clock.now(),
        leaseExpiresAt: this.leaseEnd(),
        limit: TAKEOVER_BATCH,
        after,
      });
      if (page.taken.length > 0) onSettled(await this.settleTakenOver(page.taken, leftovers));
      if (!page.next || !this.running) return;
      after = page.next;
      // As long as the event loop was busy meanwhile: SQLite's transactions hold it, PostgreSQL's are awaited.
      await new Promise((resolve) => setTimeout(resolve, performance.eventLoopUtilization(started).active));
    }
  }

  /**
   * Settles a batch of runs just taken over; answers how many RUNNING and WAITING runs were
   * settled (what recovery's progress counts). A lost RUNNING run is requeued or FAILED by the
   * retry policy of its steps (see takeoverChanges); a requeued one's claim is let go at once,
   * for any executor to continue it. A WAITING run whose decision was stored meanwhile takes it.
   */
  private async settleTakenOver(taken: readonly TakenOverRun[], leftovers: HostLeftovers): Promise<number> {
    await leftovers.endProcessesOf(taken.flatMap(({ steps }) => steps));
    const runs: TakenOverRunState[] = [];
    for (const { run, steps, previousOwner } of taken) {
      const reason = previousOwner === null || previousOwner === this.deps.settings.executorId ? EXECUTOR_LOST : WORKER_LOST;
      const spec = run.status === 'QUEUED' ? null : ((await this.versionOf(run))?.spec ?? null);
      runs.push({ run, steps, spec, reason });
    }
    for (const { run } of runs) if (run.status === 'QUEUED') await this.settleOne(run.id, () => this.deps.claims.release(run.id, run.fence));
    let settled = 0;
    let requeued = false;
    const lost: TakenOverRunState[] = [];
    const refused = await recordTakeovers(this.deps.recorder, runs);
    for (const state of runs) {
      const { run } = state;
      // Changed meanwhile (cancelled, say): one run must not stop the rest.
      if (refused.has(run.id)) this.deps.logger.error({ err: refused.get(run.id), runId: run.id }, 'engine.recovery_failed');
      else if (run.status === 'RUNNING') {
        settled += 1;
        const verdict = lostRunVerdict(state);
        if (verdict?.kind !== 'requeue') lost.push(state);
        else if (await this.settleOne(run.id, () => this.deps.claims.release(run.id, run.fence))) {
          requeued = true;
          this.deps.logger.warn({ runId: run.id, reason: state.reason, retried: verdict.retried }, 'engine.run_requeued');
        }
      } else if (run.status === 'WAITING' && (await this.settleOne(run.id, () => this.holdOrResume(run, stepsAfterTakeover(state))))) settled += 1;
    }
    await Promise.all(lost.map((state) => this.afterLost(state, leftovers)));
    if (runs.some(({ run }) => run.status === 'WAITING' && !refused.has(run.id))) await this.applyStoredDecisions().catch((error: unknown) => this.deps.logger.error({ err: error }, 'engine.decisions_failed'));
    if (requeued) this.dispatch();
    return settled;
  }

  private async settleOne(runId: string, settle: () => Promise<void>): Promise<boolean> {
    try {
      await settle();
      return true;
    } catch (error) {
      this.deps.logger.error({ err: error, runId }, 'engine.recovery_failed');
      return false;
    }
  }

  /**
   * Every third of the lease: this executor's row and its claims are renewed; an execution whose
   * claim was taken over meanwhile (this process was presumed dead, or a cancel came from another
   * process) stops, recording nothing; then, unless recovery is under way, the runs of executors
   * that stopped renewing are taken over.
   */
  private beat(): void {
    if (!this.running || this.beating) return;
    const observer = this.deps.observer ?? NO_EXECUTOR_OBSERVER;
    this.beating = (this.recovery ? this.renewClaims() : this.renewAndSweep())
      .then(
        () => observer.heartbeat(true),
        (error: unknown) => {
          observer.heartbeat(false);
          this.deps.logger.error({ err: error }, 'engine.heartbeat_failed');
        },
      )
      .finally(() => (this.beating = null));
  }

  /** The runs this executor holds a claim on now: executing here, or waiting for a person. */
  claimsHeld(): { executing: number; waiting: number } {
    return { executing: this.active.size, waiting: this.held.size };
  }

  private async renewAndSweep(): Promise<void> {
    await this.renewClaims();
    await this.takeOver();
  }

  private async renewClaims(): Promise<void> {
    await this.presence.renew();
    const ids = [...this.active.keys(), ...this.held.keys()];
    for (let start = 0; start < ids.length; start += RENEW_BATCH) {
      const batch = ids.slice(start, start + RENEW_BATCH);
      const kept = await this.deps.claims.renew(this.deps.settings.executorId, batch, this.leaseEnd());
      for (const id of batch) if (!kept.has(id)) await this.claimNotRenewed(id);
      await yieldToEventLoop();
    }
  }

  /**
   * A claim the renewal did not find: the run finished elsewhere (a finished run is nobody's) or
   * its claim was taken. Either way its execution here ends recording nothing: one that only
   * waits for a person is let go, one that executes stops (its writes are refused by the fence).
   */
  private async claimNotRenewed(id: string): Promise<void> {
    const active = this.active.get(id);
    const held = this.held.delete(id);
    if ((!active || active.lost) && !held) return;
    const current = await this.deps.runs.findById(id);
    const finishedElsewhere = !current || isTerminalRunStatus(current.status);
    if (!finishedElsewhere) this.deps.logger.warn({ runId: id }, 'engine.claim_lost');
    (this.deps.observer ?? NO_EXECUTOR_OBSERVER).claimLost();
    if (!active || active.lost) return;
    active.lost = true;
    const message = finishedElsewhere ? 'This run finished in another process' : 'The claim on this run was taken over';
    if (active.execution.waitingForPerson) active.execution.detach(message, 'remove');
    else active.execution.stop('shutdown', message);
  }

  /**
   * Claims queued runs, oldest first, while this executor has room and a global place is free,
   * skipping those whose workflow is at its own limit or selects workers this executor's labels
   * do not match. Runs waiting for a person do not count.
   */
  private async dispatchPass(): Promise<void> {
    const { concurrency, maxActiveRuns, executorId, labels } = this.deps.settings;
    let after: RunRecord | null = null;
    for (;;) {
      const executing = [...this.active.values()].filter(({ execution }) => !execution.waitingForPerson).length;
      const want = concurrency - executing;
      if (!this.running || want <= 0) return;
      const page = await this.deps.claims.listClaimable(this.deps.clock.now(), after, PAGE_SIZE);
      const candidates = [];
      for (const run of page) {
        const version = await this.versionOf(run);
        // A run that cannot start (its definition is gone) is settled at once and takes no place.
        // One whose workflow selects other workers is left to them: QUEUED while none is alive (see queuedReason).
        if (!version) await this.failWithoutDefinition(run.id);
        else if (matchesSelector(labels, version.spec.workerSelector)) candidates.push({ id: run.id, workflowId: run.workflowId, workflowLimit: version.spec.maxActiveRuns });
      }
      const claimed = await this.deps.claims.claim({ executorId, now: this.deps.clock.now(), leaseExpiresAt: this.leaseEnd(), want, globalLimit: maxActiveRuns, candidates });
      for (const run of claimed) {
        if (!this.running) {
          await this.deps.claims.release(run.id, run.fence);
          continue;
        }
        await this.launch(run, await this.deps.steps.listByRunIds([run.id]));
        await yieldToEventLoop();
      }
      if (page.length < PAGE_SIZE || claimed.length >= want) return;
      after = page.at(-1) ?? null;
      await yieldToEventLoop();
    }
  }

  private async failWithoutDefinition(runId: string): Promise<void> {
    await this.deps.recorder
      .recordTransition({ runId, to: 'FAILED', error: 'The workflow definition of this run is missing' })
      .catch((error: unknown) => this.deps.logger.warn({ err: error, runId }, 'engine.settle_failed'));
  }

  /**
   * A run WAITING for approval, picked up: held until a decision comes when it only waits for a
   * person, otherwise its execution starts now (a step beside the approval can start, must be
   * settled, or is due for a retry after it was lost with the dead executor).
   */
  private async holdOrResume(run: ClaimedRunRecord, steps: readonly StepRunRecord[]): Promise<void> {
    const version = await this.versionOf(run);
    if (version && !hasRetryDue(version.spec, steps) && onlyAwaitsApproval(stepStatesOf(version.spec.steps, steps))) this.held.set(run.id, run.fence);
    else await this.launch(run, steps);
  }

  /**
   * Executes a QUEUED sub-workflow run here, under this executor's claim and outside the queue
   * (see SubWorkflowRuns): the executor of its parent's call step runs it.
   */
  private async adopt(runId: string): Promise<void> {
    if (this.active.has(runId) || !this.running) return;
    const run = await this.deps.claims.seize(runId, this.deps.settings.executorId, this.leaseEnd());
    if (!run || run.status !== 'QUEUED') return;
    await this.launch(run, await this.deps.steps.listByRunIds([run.id]));
  }

  /** Starts the run's execution under this executor's claim; a run whose definition is gone is recorded FAILED instead. */
  private async launch(run: ClaimedRunRecord, steps: readonly StepRunRecord[]): Promise<void> {
    const version = await this.versionOf(run);
    if (!version) {
      await this.deps.recorder.recordTransition({ runId: run.id, to: 'FAILED', error: 'The workflow definition of this run is missing', fence: run.fence });
      return;
    }
    const execution = new RunExecution(
      {
        recorder: this.deps.recorder,
        logger: this.deps.logger.child({ runId: run.id }),
        stepSlots: this.stepSlots,
        settings: this.deps.settings,
        stepLogs: this.deps.stepLogs,
        launcher: this.launcher,
        identity: this.identity,
        subWorkflows: this.subWorkflows,
        // A run that starts waiting for a person frees its place for the queue.
        onRunStatus: (status) => {
          if (status === 'WAITING') this.dispatch();
        },
      },
      { run, fence: run.fence, workflowName: version.workflowName, spec: version.spec, steps, workflowDir: version.workflowDir },
    );
    const entry = { execution, done: Promise.resolve<RunStatus | null>(null), fence: run.fence, lost: false };
    entry.done = execution
      .execute()
      .catch(async (error: unknown) => {
        // Taken over: the new holder records what happens to the run now.
        if (entry.lost) return null;
        this.deps.logger.error({ err: error, runId: run.id }, 'engine.run_crashed');
        await this.settleCrashedRun(run.id, run.fence, error);
        return null;
      })
      .finally(() => {
        this.active.delete(run.id);
        this.dispatch();
      });
    this.active.set(run.id, entry);
  }

  /**
   * An execution that could not record its progress (its writes failed even after their
   * retries) leaves no run RUNNING: what is unfinished ends ABORTED and the run FAILED with the
   * reason. Its step processes have ended already (an execution ends after its steps).
   */
  private async settleCrashedRun(runId: string, fence: number, cause: unknown): Promise<void> {
    const reason = `execution failed: ${cause instanceof Error ? cause.message : String(cause)}`;
    try {
      for (const step of await this.deps.steps.listByRunIds([runId])) {
        if (isUnfinishedStepStatus(step.status)) await this.deps.recorder.recordStepTransition({ runId, step: step.name, to: 'ABORTED', message: reason, fence });
      }
      const run = await this.deps.runs.findById(runId);
      if (run && !isTerminalRunStatus(run.status)) await this.deps.recorder.recordTransition({ runId, to: 'FAILED', error: reason, message: reason, fence });
    } catch (error) {
      // The claim expires and another executor (or this one's next start) settles it as lost.
      this.deps.logger.error({ err: error, runId }, 'engine.settle_failed');
    }
  }

  /**
   * After the end of a run whose executor is gone was recorded FAILED (what its steps left running
   * on this host was killed with its batch). A requeued run keeps its working directory, for
   * when this host continues it.
   */
  private async afterLost(state: TakenOverRunState, leftovers: HostLeftovers): Promise<void> {
    const { run, reason } = state;
    const verdict = lostRunVerdict(state);
    this.deps.logger.warn({ runId: run.id, reason, because: verdict?.kind === 'fail' ? verdict.because : undefined }, 'engine.run_lost');
    if (this.deps.settings.keepWorkDirs) return;
    await leftovers.removeWorkDirOf(run.id).catch((error: unknown) => this.deps.logger.warn({ err: error, runId: run.id }, 'engine.work_dir_not_removed'));
  }

  /** The invariant "a finished run has no unfinished step", restored where anything broke it. */
  private async settleStepsOfFinishedRuns(): Promise<void> {
    while (this.running) {
      const steps = await this.deps.steps.listByStatusInRunsOf(UNFINISHED_STEP_STATUSES, [...TERMINAL_RUN_STATUSES], PAGE_SIZE);
      if (steps.length === 0) return;
      await this.endProcessesOf(steps);
      for (const step of steps) {
        await this.deps.recorder.recordStepTransition({ runId: step.runId, step: step.name, to: 'ABORTED', message: `${EXECUTOR_LOST}: the run had already finished` });
        this.deps.logger.warn({ runId: step.runId, step: step.name, status: step.status }, 'engine.step_of_finished_run_settled');
        await yieldToEventLoop();
      }
    }
  }

  /**
   * Kills what a dead process's steps left running on this host, found by their cookies (not by
   * the stored process group, whose number may belong to someone else by now).
   */
  private async endProcessesOf(steps: readonly StepRunRecord[]): Promise<void> {
    const cookies = new Set(steps.filter((step) => step.status === 'RUNNING').map((step) => stepCookie(step.runId, step.name)));
    await endStepProcesses({ cookies, groups: new Set() }, 0);
  }

  private leaseEnd(): Date {
    return new Date(this.deps.clock.now().getTime() + this.deps.settings.leaseMs);
  }

  private async versionOf(run: RunRecord): Promise<{ spec: WorkflowSpec; workflowName: string; workflowDir: string | null } | null> {
    if (!run.versionId) return null;
    const known = this.versions.get(run.versionId);
    if (known) return known;
    const [workflow, [version]] = await Promise.all([this.deps.workflows.findById(run.workflowId), this.deps.workflows.listVersionsByIds([run.versionId])]);
    const spec = workflow && version ? this.deps.specs.of(version, workflow.name) : null;
    if (!workflow || !spec) return null;
    // A workflow loaded from a file keeps `file:<absolute path>` as its source; its dotenv files sit beside it.
    const entry = { spec, workflowName: workflow.name, workflowDir: workflow.source.startsWith('file:') ? path.dirname(workflow.source.slice('file:'.length)) : null };
    this.versions.set(run.versionId, entry);
    return entry;
  }
}

/** Whether a step lost with its executor between two attempts is due for its next one (see isRetryDue). */
function hasRetryDue(spec: WorkflowSpec, steps: readonly StepRunRecord[]): boolean {
  const specs = new Map(spec.steps.map((step) => [step.name, step]));
  return steps.some((step) => {
    const stepSpec = specs.get(step.name);
    return stepSpec !== undefined && isRetryDue(step, stepSpec);
  });
}
