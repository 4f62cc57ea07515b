import { types } from 'node:util';
import { open, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Logger } from 'pino';
import { AppError, systemErrorCode } from '../domain/errors.ts';
import { isRetryDue } from '../domain/execution/lost-run.ts';
import { runOutcome } from '../domain/execution/run-outcome.ts';
import { decideStep, type StepState } from '../domain/execution/step-readiness.ts';
import { isStepStatus, isUnfinishedStepStatus, type RunStatus, type StepStatus } from '../domain/status.ts';
import { bindReferences, escapeRegExp, expandValue, expandVariables, readJsonPath, type ReferenceLookup } from '../domain/workflow/expand.ts';
import { paramRuleProblem, POSITIONAL_PARAM } from '../domain/workflow/parse-params.ts';
import { DEFAULT_SHELL, HANDLER_STEP_NAMES, type HandlerKind, type RepeatPolicy, type StepSpec, type WorkflowSpec } from '../domain/workflow/workflow-spec.ts';
import type { RunRecord } from '../repositories/run.repository.ts';
import type { StepRunRecord } from '../repositories/step-run.repository.ts';
import type { RunRecorderService } from '../services/run-recorder.service.ts';
import type { StepLauncher } from './step-launcher.ts';
import type { StepLogService, StepLogTarget } from '../services/step-log.service.ts';
import { conditionMet, evaluateCondition } from './condition.ts';
import type { Semaphore } from './semaphore.ts';
import { endStepProcesses, markPids, STEP_COOKIE_VARIABLE, stepCookie } from './process-sweep.ts';
import { startStepExecutor } from './executors/step-executor.ts';
import type { StepProcess, StepProcessResult } from './step-process.ts';
import type { StepIdentity } from './step-user.ts';
import { backoffDelaySec, loadDotenv, outputMatches, substituteCommands } from './run-variables.ts';
import { createRunWorkDir, removeRunWorkDir, reuseRunWorkDir, runWorkDir } from './work-dir.ts';
import { callOutcome, callItems, childParams, runInPool } from './call-step.ts';
import { CANCEL_CHILDREN, LEAVE_CHILDREN, type ChildOutcome, type SubWorkflowRunner } from './sub-workflow-runs.ts';

export interface EngineSettings {
  dataDir: string;
  maxParallelStepsPerRun: number;
  stepLogMaxBytes: number;
  killGraceMs: number;
  workDir: string;
  keepWorkDirs: boolean;
  /** What a step inherits from the server's environment (the allow-list, see EngineConfig). */
  stepEnv: Readonly<Record<string, string>>;
  /** Where `dotenv` files of a workflow saved through the API (not from a file) are looked for. */
  workflowsDir: string;
}

export interface RunExecutionDeps {
  recorder: RunRecorderService;
  logger: Logger;
  stepSlots: Semaphore;
  settings: EngineSettings;
  stepLogs: StepLogService;
  launcher: StepLauncher;
  /** STEP_USER, looked up; null: steps run as the server's user. */
  identity: StepIdentity | null;
  /** Told of every status the run takes, after it is recorded. */
  onRunStatus?: (status: RunStatus) => void;
  /** Runs the children of call steps. */
  subWorkflows: SubWorkflowRunner;
}

export interface RunExecutionInput {
  run: RunRecord;
  /** The fencing token of this executor's claim on the run: every change it records carries it. */
  fence: number;
  workflowName: string;
  spec: WorkflowSpec;
  steps: readonly StepRunRecord[];
  /** The directory of the workflow's file (relative `dotenv` paths start there); null: saved through the API, WORKFLOWS_DIR instead. */
  workflowDir: string | null;
}

type Decision =
  | { kind: 'approve'; actor: string | null }
  | { kind: 'reject'; actor: string | null; reason: string | null }
  | { kind: 'stop' }
  // The server lets go of the run without a decision: it stays WAITING for the next start.
  | { kind: 'detach' };

interface PendingApproval {
  decide(decision: Decision): void;
  recorded: Promise<void>;
}

interface LiveStep extends StepState {
  output: string | null;
  spec: StepSpec;
  /** Its place in the workflow (handlers after every step): decisions are taken in this order. */
  position: number;
}

const OUTPUT_MAX_BYTES = 1024 * 1024;

/**
 * Drives one run to its end: starts steps as their dependencies allow (in parallel up to the
 * per-run and global limits), retries, waits for approvals, runs handlers, and records every
 * change through the RunRecorderService before acting on it. It can pick up a run from its
 * stored state (a run WAITING for approval survives a restart).
 */
export class RunExecution {
  readonly runId: string;
  readonly workflowId: string;
  private readonly steps = new Map<string, LiveStep>();
  /** The steps that wait on each step: what may be decided anew once it changes. */
  private readonly dependents = new Map<string, LiveStep[]>();
  /**
   * Steps not started whose fate may be decidable: all of them at first, then those a change of
   * a dependency concerns. Looking only at these keeps a step's end from costing a look at
   * every step of the workflow (a 1,000-step chain looked at half a million).
   */
  private readonly undecided = new Set<LiveStep>();
  private readonly handlerRows = new Map<string, StepRunRecord>();
  /** Each step's row id: its log is stored under it. */
  private readonly stepRunIds: ReadonlyMap<string, string>;
  private readonly tasks = new Map<string, Promise<void>>();
  /** Ends of steps counted SUCCEEDED before their record committed (see transitionStep), until it did, or that failed to. */
  private readonly endsUnrecorded = new Map<string, Promise<void>>();
  private readonly processes = new Set<StepProcess>();
  private readonly approvals = new Map<string, PendingApproval>();
  /** The approvals a run picked up WAITING already waits for, taking decisions from the construction on. */
  private readonly resumedApprovals = new Map<string, { decision: Promise<Decision>; markRecorded: () => void }>();
  private readonly sleepers = new Set<() => void>();
  private wake: (() => void) | null = null;
  private runStatus: RunStatus;
  /** Why the run is stopping, and who stopped it (recorded as the actor of what the stop causes). */
  private stopRequest: { reason: 'cancel' | 'reject' | 'shutdown' | 'timeout'; message: string; actor: string | null } | null = null;
  /** What every step of the run sees alike (dotenv, the workflow's env, params), read when the first step needs it. */
  private runVariables: Promise<{ env: Map<string, string>; args: string[] }> | null = null;
  private commandTasks = 0;
  private readonly workDir: string;
  /** Set by `detach`: the message for what must still stop should an approval come in meanwhile. */
  private detached: { message: string; workDir: 'keep' | 'remove' } | null = null;
  /** Steps whose executor was lost between two attempts, with the attempts they had: retried first (see isRetryDue). */
  private readonly retriesDue = new Map<string, number>();
  /** Call steps a lost execution left RUNNING: their children are followed, not started again. */
  private readonly resumedCalls = new Set<string>();
  /** Aborted on a stop: each call step's children are cancelled with it. */
  private readonly callStops = new Set<AbortController>();

  constructor(
    private readonly deps: RunExecutionDeps,
    private readonly input: RunExecutionInput,
  ) {
    this.runId = input.run.id;
    this.workflowId = input.run.workflowId;
    this.runStatus = input.run.status;
    this.workDir = runWorkDir(deps.settings.workDir, this.runId);
    const rows = new Map(input.steps.map((row) => [row.name, row]));
    this.stepRunIds = new Map(input.steps.map((row) => [row.name, row.id]));
    for (const spec of input.spec.steps) {
      const row = rows.get(spec.name);
      this.steps.set(spec.name, {
        name: spec.name,
        status: row && isStepStatus(row.status) ? row.status : 'NOT_STARTED',
        depends: spec.depends,
        exitCode: row?.exitCode ?? null,
        continueOn: spec.continueOn,
        output: row?.output ?? null,
        spec,
        position: this.steps.size,
      });
      if (row && isRetryDue(row, spec)) this.retriesDue.set(spec.name, row.attempt);
      if (row?.status === 'RUNNING' && spec.call) this.resumedCalls.add(spec.name);
    }
    for (const step of this.steps.values()) {
      if (step.status === 'NOT_STARTED') this.undecided.add(step);
      for (const name of step.depends) {
        const waiting = this.dependents.get(name);
        if (waiting) waiting.push(step);
        else this.dependents.set(name, [step]);
      }
    }
    for (const name of Object.values(HANDLER_STEP_NAMES)) {
      const row = rows.get(name);
      if (row) this.handlerRows.set(name, row);
    }
    for (const step of this.steps.values()) {
      if (step.status === 'WAITING') this.resumedApprovals.set(step.name, this.registerApproval(step.name));
    }
  }

  /** Runs to the end and returns the final status; the run's working directory lives as long. */
  async execute(): Promise<RunStatus> {
    // A run that began before (it waits for approval, or was requeued after its executor was lost) goes on where its steps left their files.
    const prepare = this.input.run.startedAt === null ? createRunWorkDir : reuseRunWorkDir;
    try {
      await prepare(this.deps.settings.workDir, this.runId, this.deps.identity);
    } catch (error) {
      // Its steps then fail to start, each saying that the working directory does not exist.
      this.deps.logger.error({ err: error, workDir: this.workDir }, 'engine.work_dir_failed');
    }
    let status: RunStatus | null = null;
    try {
      status = await this.executeSteps();
      return status;
    } finally {
      // A run let go while it waits for a person continues in the same directory on the next start.
      if (!this.deps.settings.keepWorkDirs && (status !== 'WAITING' || this.detached?.workDir === 'remove')) {
        await removeRunWorkDir(this.deps.settings.workDir, this.runId).catch((error: unknown) => this.deps.logger.warn({ err: error, workDir: this.workDir }, 'engine.work_dir_not_removed'));
      }
    }
  }

  private async executeSteps(): Promise<RunStatus> {
    const timeoutSec = this.input.spec.timeoutSec;
    const timer = timeoutSec === null ? undefined : setTimeout(() => this.stop('timeout', `The run timed out after ${timeoutSec}s (timeout_sec)`), timeoutSec * 1000);
    try {
      return await this.executeStepsInTime();
    } finally {
      clearTimeout(timer);
    }
  }

  private async executeStepsInTime(): Promise<RunStatus> {
    if (this.runStatus === 'QUEUED') await this.transitionRun('RUNNING');
    if (this.input.run.startedAt === null && this.input.spec.preconditions.length > 0) await this.checkWorkflowPreconditions();
    // Dagu's delay_sec, before the first step of a fresh run (a stop ends the wait).
    if (this.input.run.startedAt === null && this.input.spec.delaySec > 0) await this.sleep(this.input.spec.delaySec * 1000);
    for (const [name, pending] of this.resumedApprovals) {
      const step = this.steps.get(name);
      if (step) this.launch(step, () => this.settleApproval(step, pending));
    }
    for (const [name, attemptsDone] of this.retriesDue) {
      const step = this.steps.get(name);
      if (!step) continue;
      this.commandTasks += 1;
      this.launch(step, () => this.runCommandStep(step, attemptsDone).finally(() => (this.commandTasks -= 1)));
    }
    for (const name of this.resumedCalls) {
      const step = this.steps.get(name);
      if (!step) continue;
      this.commandTasks += 1;
      this.launch(step, () => this.runCallStep(step).finally(() => (this.commandTasks -= 1)));
    }
    await this.driveSteps();
    if (this.detached && !this.stopRequest && this.runStatus === 'WAITING') return 'WAITING';
    await this.settleStrandedSteps();
    const mainSteps = [...this.steps.values()];
    const cancelled = this.stopRequest?.reason === 'cancel' || this.stopRequest?.reason === 'shutdown';
    const timedOut = this.stopRequest?.reason === 'timeout';
    let outcome = timedOut ? 'FAILED' : runOutcome(mainSteps, { cancelled });
    let error = cancelled || timedOut ? (this.stopRequest?.message ?? null) : this.failureSummary(mainSteps);
    const stop = this.stopRequest;
    this.stopRequest = null;
    if (this.runStatus === 'WAITING') await this.transitionRun('RUNNING');
    const handlerKind: HandlerKind = outcome === 'ABORTED' ? 'abort' : outcome === 'SUCCEEDED' || outcome === 'PARTIALLY_SUCCEEDED' ? 'success' : 'failure';
    for (const kind of [handlerKind, 'exit'] as const) {
      const failed = await this.runHandler(kind);
      if (failed && (outcome === 'SUCCEEDED' || outcome === 'PARTIALLY_SUCCEEDED')) {
        outcome = 'FAILED';
        error = `handler ${HANDLER_STEP_NAMES[kind]} failed`;
      }
    }
    await this.skipUntriggeredHandlers();
    this.stopRequest = stop;
    await this.transitionRun(outcome, { error: error ?? undefined, message: stop?.message, actor: stop?.actor ?? undefined });
    return outcome;
  }

  /** Stops the run: running steps get SIGTERM (SIGKILL after the grace period), the rest never start. */
  stop(reason: 'cancel' | 'shutdown' | 'timeout', message: string, actor: string | null = null): void {
    this.stopRequest ??= { reason, message, actor };
    for (const process of this.processes) process.terminate();
    for (const call of this.callStops) call.abort(reason === 'cancel' ? CANCEL_CHILDREN : LEAVE_CHILDREN);
    for (const approval of this.approvals.values()) approval.decide({ kind: 'stop' });
    for (const wakeSleeper of this.sleepers) wakeSleeper();
    this.notify();
  }

  /** The run only waits for a person: WAITING with no step process running or due. It needs no execution slot. */
  get waitingForPerson(): boolean {
    return this.runStatus === 'WAITING' && this.commandTasks === 0 && this.processes.size === 0;
  }

  /**
   * Lets go of a run that waits for a person, recording nothing. At shutdown it stays WAITING and
   * the next start picks it up in the same working directory (`keep`); a run another process
   * finished or took over is not this host's to continue (`remove`). Should a decision have come in just before, what
   * it leaves to run stops as on `stop('shutdown', message)`.
   */
  detach(message: string, workDir: 'keep' | 'remove'): void {
    this.detached = { message, workDir };
    for (const approval of this.approvals.values()) approval.decide({ kind: 'detach' });
    this.notify();
  }

  /** The steps of this run that await a decision here now (registered before their WAITING is recorded). */
  get approvalsAwaited(): readonly string[] {
    return [...this.approvals.keys()];
  }

  async decideApproval(stepName: string, decision: Exclude<Decision, { kind: 'stop' }>): Promise<void> {
    const approval = this.approvals.get(stepName);
    if (!approval) {
      throw new AppError('CONFLICT', `Step "${stepName}" of run ${this.runId} is not waiting for approval`, { runId: this.runId, step: stepName });
    }
    approval.decide(decision);
    await approval.recorded;
  }

  private async driveSteps(): Promise<void> {
    for (;;) {
      const progressed = await this.settleNotStartedSteps();
      if (progressed) continue;
      if (this.tasks.size === 0) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** Starts, skips or aborts what can be decided now; true when a decision was recorded. */
  private async settleNotStartedSteps(): Promise<boolean> {
    if (this.detached && !this.stopRequest) {
      if (this.runStatus === 'WAITING') return false;
      this.stopRequest = { reason: 'shutdown', message: this.detached.message, actor: null };
    }
    // Once stopping, every step not started ends ABORTED, decided or not; otherwise in file order.
    const candidates = this.stopRequest ? [...this.steps.values()] : [...this.undecided].sort((a, b) => a.position - b.position);
    for (const step of candidates) {
      if (step.status !== 'NOT_STARTED' || this.tasks.has(step.name)) {
        this.undecided.delete(step);
        continue;
      }
      if (this.stopRequest) {
        await this.transitionStep(step, 'ABORTED', { message: this.stopRequest.message, actor: this.stopRequest.actor ?? undefined });
        return true;
      }
      // A dependency still in hand is not done, even FAILED: its retry policy may run it again. SUCCEEDED is final.
      if (step.depends.some((name) => this.tasks.has(name) && this.steps.get(name)?.status !== 'SUCCEEDED')) continue;
      const decision = decideStep(step, this.steps);
      if (decision.kind === 'skip') {
        await this.transitionStep(step, 'SKIPPED', { message: decision.reason });
        return true;
      }
      if (decision.kind === 'abort') {
        await this.transitionStep(step, 'ABORTED', { message: decision.reason });
        return true;
      }
      if (decision.kind === 'wait') this.undecided.delete(step);
      if (decision.kind === 'start') {
        if (step.spec.type === 'approval') {
          this.launch(step, () => this.requestApproval(step));
        } else if (step.spec.call && this.commandTasks < this.deps.settings.maxParallelStepsPerRun) {
          this.commandTasks += 1;
          this.launch(step, () => this.runCallStep(step).finally(() => (this.commandTasks -= 1)));
        } else if (step.spec.call) {
          continue;
        } else if (this.commandTasks < this.deps.settings.maxParallelStepsPerRun) {
          this.commandTasks += 1;
          this.launch(step, () => this.runCommandStep(step).finally(() => (this.commandTasks -= 1)));
        }
      }
    }
    return false;
  }

  private launch(step: LiveStep, body: () => Promise<void>): void {
    const task = body()
      .catch(async (error: unknown) => {
        this.deps.logger.error({ err: error, runId: this.runId, step: step.name }, 'engine.step_crashed');
        if (step.status === 'RUNNING') await this.transitionStep(step, 'FAILED', { error: `internal error: ${types.isNativeError(error) ? error.message : String(error)}` });
      })
      .catch((error: unknown) => this.deps.logger.error({ err: error, runId: this.runId, step: step.name }, 'engine.step_not_settled'))
      .finally(() => {
        this.tasks.delete(step.name);
        // A task that ended without starting its step leaves the step to be decided again.
        if (step.status === 'NOT_STARTED') this.undecided.add(step);
        this.notify();
      });
    this.tasks.set(step.name, task);
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /**
   * A finished run has no active step: a step whose task ended without settling it (the
   * database failed while it was recorded) ends ABORTED here, which the run's outcome counts.
   */
  private async settleStrandedSteps(): Promise<void> {
    for (const step of this.steps.values()) {
      if (!isUnfinishedStepStatus(step.status)) continue;
      await this.transitionStep(step, 'ABORTED', { message: 'The engine lost track of this step', error: 'The engine lost track of this step' });
    }
  }

  private async requestApproval(step: LiveStep): Promise<void> {
    // Registered before anything is recorded, so an approval that comes at once is not refused.
    const pending = this.registerApproval(step.name);
    await this.transitionStep(step, 'WAITING', { message: 'Waiting for approval' });
    await this.settleApproval(step, pending);
  }

  private registerApproval(stepName: string): { decision: Promise<Decision>; markRecorded: () => void } {
    let markRecorded = () => {};
    const recorded = new Promise<void>((resolve) => (markRecorded = resolve));
    const decision = new Promise<Decision>((resolve) => {
      this.approvals.set(stepName, { decide: resolve, recorded });
      if (this.stopRequest) resolve({ kind: 'stop' });
    });
    return { decision, markRecorded };
  }

  private async settleApproval(step: LiveStep, pending: { decision: Promise<Decision>; markRecorded: () => void }): Promise<void> {
    const { markRecorded } = pending;
    if (this.runStatus === 'RUNNING') await this.transitionRun('WAITING', { message: `Step "${step.name}" waits for approval` });
    const decision = await pending.decision;
    this.approvals.delete(step.name);
    try {
      if (decision.kind === 'detach') return;
      if (decision.kind === 'approve') {
        await this.transitionStep(step, 'SUCCEEDED', { message: 'Approved', actor: decision.actor ?? undefined });
        if (this.approvals.size === 0 && this.runStatus === 'WAITING') await this.transitionRun('RUNNING', { actor: decision.actor ?? undefined });
      } else if (decision.kind === 'reject') {
        const message = decision.reason ? `Rejected: ${decision.reason}` : 'Rejected';
        await this.transitionStep(step, 'REJECTED', { message, actor: decision.actor ?? undefined });
        this.stopRequest ??= { reason: 'reject', message: `Step "${step.name}" was rejected`, actor: decision.actor };
        for (const process of this.processes) process.terminate();
        for (const call of this.callStops) call.abort(CANCEL_CHILDREN);
        for (const approval of this.approvals.values()) approval.decide({ kind: 'stop' });
      } else {
        await this.transitionStep(step, 'ABORTED', { message: this.stopRequest?.message, actor: this.stopRequest?.actor ?? undefined });
      }
    } finally {
      markRecorded();
    }
  }

  /** `attemptsDone`: attempts an earlier executor ran before it was lost; the next one follows its retry interval. */
  private async runCommandStep(step: LiveStep, attemptsDone = 0): Promise<void> {
    const spec = step.spec;
    const log = this.logTarget(step.name);
    const logPath = this.deps.stepLogs.pathOf(log);
    let setupError: string | null = null;
    const prepared = await this.environment(spec.name, spec.env, logPath).catch((error: unknown) => {
      setupError = errorText(error);
      return { env: new Map<string, string>([[STEP_COOKIE_VARIABLE, stepCookie(this.runId, spec.name)]]), args: [] };
    });
    const { env, args } = prepared;
    const lookup = this.references(env);
    // `dir` is read by Runtrail, not by a shell: references in it take their values literally.
    const cwd = spec.dir ? path.resolve(this.workDir, expandValue(spec.dir, lookup, { home: env.get('HOME') })) : this.workDir;
    let preconditionError: string | null = setupError;
    // A step retried after its executor was lost passed its preconditions before its first attempt.
    if (attemptsDone > 0) await this.sleep(retryDelaySec(spec, attemptsDone) * 1000);
    else if (setupError === null && spec.preconditions.length > 0 && (await workingDirectoryProblem(cwd)) === null) {
      const verdict = await this.checkPreconditions(spec.preconditions, spec.shell, env, cwd, args);
      if (verdict.kind === 'skip') {
        await this.transitionStep(step, 'SKIPPED', { message: verdict.message });
        return;
      }
      if (verdict.kind === 'error') preconditionError = verdict.reason;
    }
    for (let attempt = attemptsDone + 1; ; attempt += 1) {
      if (this.stopRequest) {
        if (step.status === 'NOT_STARTED') await this.transitionStep(step, 'ABORTED', { message: this.stopRequest.message, actor: this.stopRequest.actor ?? undefined });
        return;
      }
      const release = await this.deps.stepSlots.acquire();
      let result: StepProcessResult;
      try {
        await this.transitionStep(step, 'RUNNING', { logPath, message: attempt > 1 ? `Retry ${attempt - 1} of ${spec.retryPolicy.limit}` : undefined });
        await this.dependencyEndsRecorded(step);
        result = preconditionError !== null ? notStarted(preconditionError) : await this.runRepeated(log, spec, env, cwd, args);
        // Looked at only when the step could not start: a missing directory is then what the user reads.
        const missingDirectory = result.spawnError === null ? null : await workingDirectoryProblem(cwd);
        if (missingDirectory !== null) result = notStarted(missingDirectory);
      } finally {
        release();
      }
      if (result.exitCode === 0 && !result.timedOut) {
        const output = spec.output ? result.stdout.trim() : undefined;
        await this.transitionStep(step, 'SUCCEEDED', { exitCode: 0, output }, { early: true });
        return;
      }
      const stop = this.currentStop();
      if (stop && !result.timedOut) {
        await this.transitionStep(step, 'ABORTED', { exitCode: result.exitCode ?? undefined, message: stop.message, actor: stop.actor ?? undefined });
        return;
      }
      const retryable = spec.retryPolicy.exitCodes.length === 0 || (result.exitCode !== null && spec.retryPolicy.exitCodes.includes(result.exitCode));
      const last = attempt > spec.retryPolicy.limit || !retryable;
      if (last && (await this.settleAllowedFailure(step, result))) return;
      await this.transitionStep(step, 'FAILED', { exitCode: result.exitCode ?? undefined, error: describeFailure(result, spec) });
      if (last) return;
      await this.sleep(retryDelaySec(spec, attempt) * 1000);
    }
  }

  /**
   * Dagu's `continue_on` on a step's last failure: a failure its output allows (`output`) lets
   * the run go on like `failure: true`; with `mark_success` an allowed failure is recorded
   * SUCCEEDED. True when the step was settled here.
   */
  private async settleAllowedFailure(step: LiveStep, result: StepProcessResult): Promise<boolean> {
    const continueOn = step.spec.continueOn;
    const byOutput = continueOn.output.length > 0 && outputMatches(`${result.stdout}\n${result.stderr}`, continueOn.output);
    const byCode = result.exitCode !== null && continueOn.exitCodes.includes(result.exitCode);
    if (!continueOn.failure && !byOutput && !byCode) return false;
    if (continueOn.markSuccess) {
      const output = step.spec.output ? result.stdout.trim() : undefined;
      await this.transitionStep(step, 'SUCCEEDED', { exitCode: result.exitCode ?? undefined, output, message: `Failed (${describeFailure(result, step.spec)}), marked successful by continue_on.mark_success` });
      return true;
    }
    // What the output allowed is known only now, not from the spec: the live step carries it to its dependants and the run's outcome.
    if (byOutput) step.continueOn = { ...step.continueOn, failure: true };
    return false;
  }

  /** One attempt: the step's process, run again while its `repeat_policy` says so; the last run's result. */
  private async runRepeated(log: StepLogTarget, spec: StepSpec, env: Map<string, string>, cwd: string, args: readonly string[]): Promise<StepProcessResult> {
    const policy = spec.repeatPolicy;
    for (let run = 1; ; run += 1) {
      const result = await this.runProcess(log, spec, env, cwd, args).catch((error: unknown) => notStarted(`could not start "${spec.shell}": ${errorText(error)}`));
      if (!policy || result.spawnError !== null || result.timedOut || this.stopRequest) return result;
      if (policy.limit !== null && run >= policy.limit) return result;
      if (!(await this.repeatsAgain(policy, spec, result, env, cwd, args))) return result;
      await this.sleep(backoffDelaySec(policy.intervalSec, policy.backoff, policy.maxIntervalSec, run) * 1000);
      if (this.stopRequest) return result;
    }
  }

  private async repeatsAgain(policy: RepeatPolicy, spec: StepSpec, result: StepProcessResult, env: Map<string, string>, cwd: string, args: readonly string[]): Promise<boolean> {
    // The condition may read the output the run just gave (`repeat until "$STATUS" is done`).
    if (spec.output) env.set(spec.output, result.stdout.trim());
    let holds: boolean;
    if (policy.condition) {
      const bound = bindReferences(policy.condition.condition, this.references(env));
      const actual = await evaluateCondition(spec.shell, bound.text, { ...Object.fromEntries(env), ...Object.fromEntries(bound.bound) }, cwd, this.deps.identity, args);
      holds = conditionMet(actual, expandVariables(policy.condition.expected, env));
    } else if (policy.exitCodes.length > 0) {
      holds = result.exitCode !== null && policy.exitCodes.includes(result.exitCode);
    } else {
      // `while` with nothing to look at repeats every time, up to its limit.
      holds = true;
    }
    return policy.mode === 'while' ? holds : !holds;
  }

  /** Dagu's DAG-level `preconditions`: unmet, every step is SKIPPED and nothing runs. */
  private async checkWorkflowPreconditions(): Promise<void> {
    const name = 'preconditions';
    let verdict: Awaited<ReturnType<RunExecution['checkPreconditions']>>;
    try {
      const { env, args } = await this.environment(name, [], '');
      verdict = await this.checkPreconditions(this.input.spec.preconditions, DEFAULT_SHELL, env, this.workDir, args);
    } catch (error) {
      verdict = { kind: 'error', reason: errorText(error) };
    }
    if (verdict.kind === 'run') return;
    const message = verdict.kind === 'skip' ? `workflow ${verdict.message}` : `workflow precondition could not be evaluated: ${verdict.reason}`;
    for (const step of this.steps.values()) {
      if (step.status !== 'NOT_STARTED') continue;
      await this.transitionStep(step, 'SKIPPED', { message });
      this.undecided.delete(step);
    }
  }

  /**
   * A call step: runs its workflow once, or once per item (up to maxConcurrent at a time), each
   * a run of its own, and waits for all of them without holding a step slot (it runs no
   * process). It succeeds when every child did; its output is the children's outputs in
   * Dagu's shape. A step picked up RUNNING follows the children it had started.
   */
  private async runCallStep(step: LiveStep): Promise<void> {
    const spec = step.spec;
    const call = spec.call;
    if (!call) throw new Error(`Step "${step.name}" has no call`);
    const target = this.logTarget(step.name);
    const logPath = this.deps.stepLogs.pathOf(target);
    let setupError: string | null = null;
    const { env, args } = await this.environment(spec.name, spec.env, logPath).catch((error: unknown) => {
      setupError = errorText(error);
      return { env: new Map<string, string>(), args: [] };
    });
    if (step.status !== 'RUNNING') {
      const verdict: Awaited<ReturnType<RunExecution['checkPreconditions']>> =
        setupError !== null ? { kind: 'error', reason: setupError } : await this.checkPreconditions(spec.preconditions, spec.shell, env, this.workDir, args);
      if (verdict.kind === 'skip') {
        await this.transitionStep(step, 'SKIPPED', { message: verdict.message });
        return;
      }
      if (this.stopRequest) {
        await this.transitionStep(step, 'ABORTED', { message: this.stopRequest.message, actor: this.stopRequest.actor ?? undefined });
        return;
      }
      await this.transitionStep(step, 'RUNNING', { logPath });
      if (verdict.kind === 'error') {
        await this.transitionStep(step, 'FAILED', { error: verdict.reason });
        return;
      }
    }
    const items = callItems(call, env);
    if (!items.ok) {
      await this.transitionStep(step, 'FAILED', { error: items.error });
      return;
    }
    const log = this.deps.stepLogs.open(target);
    const controller = new AbortController();
    this.callStops.add(controller);
    if (this.stopRequest) controller.abort(this.stopRequest.reason === 'shutdown' ? LEAVE_CHILDREN : CANCEL_CHILDREN);
    // timeoutSec bounds the wait (from when this execution took the step up): the children are cancelled.
    let timedOut = false;
    const timer = spec.timeoutSec === null ? undefined : setTimeout(() => ((timedOut = true), controller.abort(CANCEL_CHILDREN)), spec.timeoutSec * 1000);
    let outcomes: (ChildOutcome | { error: string })[];
    try {
      const note = (line: string) => log.write(Buffer.from(`${line}\n`));
      outcomes = await runInPool(items.values, call.parallel?.maxConcurrent ?? 1, async (item, index) => {
        const params = childParams(call, env, item);
        try {
          return await this.deps.subWorkflows.run({ parent: this.input.run, stepName: step.name, workflow: call.workflow, params, index, signal: controller.signal, note });
        } catch (error) {
          note(`could not run ${call.workflow}: ${errorText(error)}`);
          return { error: errorText(error) };
        }
      });
    } finally {
      clearTimeout(timer);
      this.callStops.delete(controller);
      await log.close();
    }
    const result = callOutcome(call, items.values, outcomes);
    const stop = this.currentStop();
    if (timedOut && !result.ok) {
      await this.transitionStep(step, 'FAILED', { exitCode: 1, error: `timed out after ${spec.timeoutSec}s; its runs were cancelled` });
      return;
    }
    if (stop && !result.ok) {
      await this.transitionStep(step, 'ABORTED', { message: stop.message, actor: stop.actor ?? undefined });
      return;
    }
    const output = spec.output ? result.output.slice(0, OUTPUT_MAX_BYTES) : undefined;
    if (result.ok) await this.transitionStep(step, 'SUCCEEDED', { exitCode: 0, output });
    else await this.transitionStep(step, 'FAILED', { exitCode: 1, error: result.error, output });
  }

  private async checkPreconditions(
    preconditions: StepSpec['preconditions'],
    shell: string,
    env: ReadonlyMap<string, string>,
    cwd: string,
    args: readonly string[],
  ): Promise<{ kind: 'run' } | { kind: 'skip'; message: string } | { kind: 'error'; reason: string }> {
    if (preconditions.length === 0) return { kind: 'run' };
    const environment = Object.fromEntries(env);
    const lookup = this.references(env);
    const since = markPids();
    try {
      for (const precondition of preconditions) {
        const bound = bindReferences(precondition.condition, lookup);
        const actual = await evaluateCondition(shell, bound.text, { ...environment, ...Object.fromEntries(bound.bound) }, cwd, this.deps.identity, args).catch((error: unknown) => {
          throw new Error(`could not evaluate precondition "${precondition.condition}": ${errorText(error)}`);
        });
        // `expected` is Runtrail's to read; inside a `re:` pattern a value matches only itself.
        const expected = precondition.expected.startsWith('re:')
          ? `re:${expandVariables(precondition.expected.slice(3), env, escapeRegExp)}`
          : expandVariables(precondition.expected, env);
        if (conditionMet(actual, expected) === (precondition.negate === true)) {
          return { kind: 'skip', message: `precondition "${precondition.condition}" gave "${actual}", expected ${precondition.negate ? 'anything but ' : ''}"${expected}"` };
        }
      }
      return { kind: 'run' };
    } catch (error) {
      return { kind: 'error', reason: errorText(error) };
    } finally {
      // What a condition's `$(...)` left running in the background ends with it.
      await endStepProcesses({ cookies: new Set([environment[STEP_COOKIE_VARIABLE] ?? '']), groups: new Set(), since }, this.deps.settings.killGraceMs);
    }
  }

  /**
   * What `${NAME.path}` and `${id.field}` refer to: the JSON inside an output (or a param or env
   * value), and of a step with an `id` its `stdout` and `stderr` (its output file, or its log,
   * which holds both) and `exit_code`.
   */
  private references(env: ReadonlyMap<string, string>): ReferenceLookup {
    return (name, fieldPath) => {
      if (fieldPath.length === 0) return env.get(name);
      const byId = [...this.steps.values()].find((step) => step.spec.id === name);
      // Dagu's `${id.output.field}`: a path into the step's JSON output.
      if (byId && fieldPath[0] === 'output' && fieldPath.length > 1) return byId.output === null ? undefined : readJsonPath(byId.output, fieldPath.slice(1));
      if (byId && fieldPath.length === 1) {
        const [fieldName] = fieldPath;
        const logPath = this.deps.stepLogs.pathOf(this.logTarget(byId.name));
        // Its file as an absolute path, so a step in another directory finds it (a `dir` with variables is taken as written).
        const file = (written: string | null) => (written === null ? logPath : path.resolve(this.workDir, byId.spec.dir ?? '.', written));
        if (fieldName === 'stdout') return file(byId.spec.stdout);
        if (fieldName === 'stderr') return file(byId.spec.stderr);
        if (fieldName === 'exit_code' || fieldName === 'exitCode') return byId.exitCode === null ? undefined : String(byId.exitCode);
        if (fieldName === 'output') return byId.output ?? undefined;
      }
      const value = env.get(name);
      return value === undefined ? undefined : readJsonPath(value, fieldPath);
    };
  }

  private logTarget(stepName: string): StepLogTarget {
    const stepRunId = this.stepRunIds.get(stepName);
    if (stepRunId === undefined) throw new Error(`Run ${this.runId} has no row for step "${stepName}"`);
    return { runId: this.runId, stepRunId, stepName };
  }

  private async runProcess(target: StepLogTarget, spec: StepSpec, env: ReadonlyMap<string, string>, cwd: string, args: readonly string[]) {
    const log = this.deps.stepLogs.open(target);
    try {
      const lookup = this.references(env);
      const bound = new Map<string, string>();
      const bind = (text: string) => {
        const result = bindReferences(text, lookup, `RUNTRAIL_REF_${bound.size}_`);
        for (const [name, value] of result.bound) bound.set(name, value);
        return result.text;
      };
      // An executor other than the shell reads its command and script itself (ExecutorContext).
      const shellStep = spec.executor.kind === 'shell';
      let command: { kind: 'inline'; text: string } | { kind: 'file'; path: string };
      if (shellStep && spec.script !== null && spec.command !== null) {
        // Dagu's `command: perl` with a `script`: the command is given the script file. A program
        // other than a shell reads no `${...}`, so references in the script take their values here.
        const file = await this.writeScript(spec, expandValue(spec.script, (name, fieldPath) => (fieldPath.length > 0 ? lookup(name, fieldPath) : undefined)));
        bound.set('RUNTRAIL_SCRIPT_FILE', file);
        command = { kind: 'inline', text: `${bind(spec.command)} "$RUNTRAIL_SCRIPT_FILE" "$@"` };
      } else if (shellStep && spec.script !== null) {
        command = { kind: 'file', path: await this.writeScript(spec, bind(spec.script)) };
      } else {
        command = { kind: 'inline', text: bind(spec.command ?? '') };
      }
      const home = env.get('HOME');
      const outputFile = (file: string | null) => (file === null ? null : path.resolve(cwd, expandValue(file, lookup, { home })));
      const capture = spec.output !== null || spec.continueOn.output.length > 0 || spec.repeatPolicy !== null;
      const captureBytes = capture ? OUTPUT_MAX_BYTES : 0;
      const timeoutMs = spec.timeoutSec === null ? null : spec.timeoutSec * 1000;
      const process = startStepExecutor(
        spec.executor,
        {
          shell: spec.shell,
          shellArgs: spec.shellArgs,
          command,
          args,
          cwd,
          env: { ...Object.fromEntries(env), ...Object.fromEntries(bound) },
          identity: this.deps.identity,
          log,
          captureBytes,
          captureStderr: spec.continueOn.output.length > 0,
          stdoutFile: outputFile(spec.stdout),
          stderrFile: outputFile(spec.stderr),
          stopSignal: spec.signalOnStop,
          timeoutMs,
          killGraceMs: this.deps.settings.killGraceMs,
          launcher: this.deps.launcher,
        },
        { variables: env, cwd, log, captureBytes, timeoutMs, command: spec.command, script: spec.script, identity: this.deps.identity, dataDir: this.deps.settings.dataDir },
      );
      this.processes.add(process);
      if (this.stopRequest) process.terminate();
      try {
        return await process.result;
      } finally {
        this.processes.delete(process);
      }
    } finally {
      await log.close();
    }
  }

  /**
   * The script of a `script:` step (its references bound, see runProcess), in the run's working
   * directory: never in DATA_DIR, which STEP_USER cannot read. A new name each time, created
   * exclusively, so nothing the step's user put there is followed or overwritten.
   */
  private async writeScript(spec: StepSpec, script: string): Promise<string> {
    const safeName = spec.name.replace(/[^A-Za-z0-9_.-]/g, '_');
    const file = path.join(this.workDir, `.runtrail-${safeName}-${randomBytes(6).toString('hex')}.sh`);
    const handle = await open(file, 'wx', 0o700);
    try {
      await handle.writeFile(script);
      if (this.deps.identity) await handle.chown(this.deps.identity.uid, this.deps.identity.gid);
    } finally {
      await handle.close();
    }
    return file;
  }

  private async runHandler(kind: HandlerKind): Promise<boolean> {
    const spec = this.input.spec.handlerOn[kind];
    const row = this.handlerRows.get(HANDLER_STEP_NAMES[kind]);
    if (!spec || !row || row.status !== 'NOT_STARTED') return false;
    const step: LiveStep = { name: row.name, status: 'NOT_STARTED', depends: [], exitCode: null, continueOn: spec.continueOn, output: null, spec: { ...spec, name: row.name }, position: this.steps.size };
    await (spec.call ? this.runCallStep(step) : this.runCommandStep(step));
    this.handlerRows.set(row.name, { ...row, status: step.status });
    return step.status === 'FAILED';
  }

  private async skipUntriggeredHandlers(): Promise<void> {
    for (const row of this.handlerRows.values()) {
      if (row.status !== 'NOT_STARTED') continue;
      await this.deps.recorder.recordStepTransition({ runId: this.runId, step: row.name, to: 'SKIPPED', message: 'Handler not triggered', fence: this.input.fence });
    }
  }

  /**
   * Everything a step's processes see, and all they see: the allow-listed part of the server's
   * environment (STEP_USER's own HOME, USER, LOGNAME and SHELL when set), Dagu's and Runtrail's
   * run variables, the `dotenv` files, the workflow's env, the params, earlier steps' outputs and
   * the step's env, and last the cookie its processes are found by. References inside env and
   * param values (`${NAME}`, `$NAME`, `${OUT.field}`, a leading `~`) are expanded here, literally,
   * and backticks run (see substituteCommands); commands get the values through the environment
   * only. Positional params are not variables: they are the `args` of the command.
   */
  private async environment(stepName: string, stepEnv: StepSpec['env'], logPath: string): Promise<{ env: Map<string, string>; args: string[] }> {
    const run = await (this.runVariables ??= this.readRunVariables());
    const env = new Map(run.env);
    env.set('DAG_RUN_STEP_NAME', stepName);
    env.set('DAG_RUN_LOG_FILE', logPath);
    for (const step of this.steps.values()) {
      if (step.spec.output && step.output !== null) env.set(step.spec.output, step.output);
    }
    for (const entry of stepEnv) env.set(entry.name, await this.expandEntry(entry.value, env));
    env.set(STEP_COOKIE_VARIABLE, stepCookie(this.runId, stepName));
    return { env, args: run.args };
  }

  /**
   * The part of the environment every step of the run shares, read once a run (as Dagu does):
   * a backtick in the workflow's env or params runs once, and every step sees its one value.
   */
  private async readRunVariables(): Promise<{ env: Map<string, string>; args: string[] }> {
    const env = new Map(Object.entries(this.deps.settings.stepEnv));
    const identity = this.deps.identity;
    if (identity) {
      for (const [name, value] of [['HOME', identity.home], ['USER', identity.name], ['LOGNAME', identity.name], ['SHELL', identity.shell]] as const) env.set(name, value);
    }
    env.set('DAG_NAME', this.input.workflowName);
    env.set('DAG_RUN_ID', this.runId);
    env.set('RUNTRAIL_RUN_ID', this.runId);
    env.set('RUNTRAIL_WORKFLOW', this.input.workflowName);
    if (this.input.spec.dotenv.length > 0) {
      for (const [name, value] of await loadDotenv(this.input.spec.dotenv, this.input.workflowDir ?? this.deps.settings.workflowsDir)) env.set(name, value);
    }
    for (const entry of this.input.spec.env) env.set(entry.name, await this.expandEntry(entry.value, env));
    const given = this.input.run.params;
    const overrides = given && typeof given === 'object' && !Array.isArray(given) ? new Map(Object.entries(given)) : new Map<string, unknown>();
    const args: string[] = [];
    for (const param of this.input.spec.params) {
      const override = overrides.get(param.name);
      const value = override === undefined || override === null ? await this.expandEntry(param.value, env) : String(override);
      const rule = this.input.spec.paramRules.find((candidate) => candidate.name === param.name);
      const problem = rule ? paramRuleProblem(value, rule) : null;
      if (problem) throw new Error(`param ${param.name}: ${problem}`);
      if (POSITIONAL_PARAM.test(param.name)) args.push(value);
      else env.set(param.name, value);
    }
    return { env, args };
  }

  private expandEntry(value: string, env: ReadonlyMap<string, string>): Promise<string> {
    return substituteCommands(expandValue(value, this.references(env), { home: env.get('HOME') }), env, this.workDir, this.deps.identity);
  }

  // A method, not the field: TypeScript would keep a narrowing of the field across awaits.
  private currentStop() {
    return this.stopRequest;
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.stopRequest) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }

  private failureSummary(steps: readonly LiveStep[]): string | null {
    const rejected = steps.find((step) => step.status === 'REJECTED');
    if (rejected) return `Step "${rejected.name}" was rejected`;
    const failed = steps.find((step) => step.status === 'FAILED');
    return failed ? `Step "${failed.name}" failed${failed.exitCode === null ? '' : ` with exit code ${failed.exitCode}`}` : null;
  }

  private async transitionRun(to: RunStatus, note: { message?: string; error?: string; actor?: string } = {}): Promise<void> {
    await this.deps.recorder.recordTransition({ runId: this.runId, to, ...note, fence: this.input.fence });
    this.runStatus = to;
    this.deps.onRunStatus?.(to);
  }

  /**
   * Records a step's new status. With `early` (a step that SUCCEEDED) the step counts as such at
   * once, before the record commits: its dependents are decided and their start is asked for in
   * the same turn, so that both changes share one transaction (GroupCommit begins one at the end
   * of a turn) instead of taking two in a row. A dependent still starts its process only after
   * this end is recorded (dependencyEndsRecorded); should the record fail, the step is RUNNING
   * again, as the database has it.
   */
  private async transitionStep(
    step: LiveStep,
    to: StepStatus,
    note: { message?: string; actor?: string; exitCode?: number; error?: string; logPath?: string; output?: string } = {},
    { early }: { early: boolean } = { early: false },
  ): Promise<void> {
    const recorded = this.deps.recorder.recordStepTransition({ runId: this.runId, step: step.name, to, ...note, fence: this.input.fence });
    if (!early) {
      await recorded;
      this.applyStepStatus(step, to, note);
      return;
    }
    const before = step.status;
    this.applyStepStatus(step, to, note);
    const ended = recorded.then(() => {});
    this.endsUnrecorded.set(step.name, ended);
    this.notify();
    try {
      await ended;
      this.endsUnrecorded.delete(step.name);
    } catch (error) {
      // Kept: a dependent that reaches its start later still learns of the failure.
      step.status = before;
      throw error;
    }
  }

  private applyStepStatus(step: LiveStep, to: StepStatus, note: { exitCode?: number; output?: string }): void {
    step.status = to;
    for (const dependent of this.dependents.get(step.name) ?? []) if (dependent.status === 'NOT_STARTED') this.undecided.add(dependent);
    if (note.exitCode !== undefined) step.exitCode = note.exitCode;
    if (note.output !== undefined) step.output = note.output;
  }

  /** Waits for the records of the ends of the step's dependencies that were counted before they committed; throws when one failed. */
  private async dependencyEndsRecorded(step: LiveStep): Promise<void> {
    for (const name of step.depends) {
      await this.endsUnrecorded.get(name)?.catch((error: unknown) => {
        throw new Error(`the end of step "${name}", which this step depends on, was not recorded: ${errorText(error)}`);
      });
    }
  }
}

function describeFailure(result: StepProcessResult, spec: StepSpec): string {
  if (result.spawnError) return result.spawnError;
  if (result.failure) return result.failure;
  if (result.timedOut) return `timed out after ${spec.timeoutSec}s`;
  if (result.signal) return `killed by ${result.signal}`;
  return `exit code ${result.exitCode}`;
}

/** Null when `dir` is a directory; otherwise what a user should read. */
async function workingDirectoryProblem(dir: string): Promise<string | null> {
  try {
    return (await stat(dir)).isDirectory() ? null : `working directory "${dir}" is not a directory`;
  } catch (error) {
    const code = systemErrorCode(error);
    return code === 'ENOENT' || code === 'ENOTDIR' ? `working directory "${dir}" does not exist` : `working directory "${dir}" cannot be used: ${errorText(error)}`;
  }
}

function notStarted(reason: string): StepProcessResult {
  return { exitCode: null, signal: null, timedOut: false, stdout: '', stderr: '', spawnError: reason, failure: null };
}

/** The wait before retry `n` (1-based) of Dagu's retry_policy, with its backoff. */
function retryDelaySec(spec: StepSpec, n: number): number {
  return backoffDelaySec(spec.retryPolicy.intervalSec, spec.retryPolicy.backoff, spec.retryPolicy.maxIntervalSec, n);
}

function errorText(error: unknown): string {
  return types.isNativeError(error) ? error.message : String(error);
}
