import type { Logger } from 'pino';
import { AppError, notFound } from '../domain/errors.ts';
import type { ApprovalDecision, RunDispatcher } from '../domain/execution/run-dispatcher.ts';
import { isTerminalRunStatus, isUnfinishedStepStatus, TERMINAL_RUN_STATUSES, UNFINISHED_STEP_STATUSES, type RunStatus } from '../domain/status.ts';
import type { WorkflowSpec } from '../domain/workflow/workflow-spec.ts';
import type { RunRecord, RunRepository } from '../repositories/run.repository.ts';
import type { StepRunRecord, StepRunRepository } from '../repositories/step-run.repository.ts';
import type { WorkflowRepository } from '../repositories/workflow.repository.ts';
import type { RunRecorderService } from '../services/run-recorder.service.ts';
import type { StoredSpecs } from '../services/stored-specs.ts';
import type { StepLogService } from '../services/step-log.service.ts';
import { RunExecution, type EngineSettings } from './run-execution.ts';
import { Semaphore } from './semaphore.ts';
import { endStepProcesses, stepCookie } from './process-sweep.ts';
import { resolveStepUser, type StepIdentity } from './step-user.ts';
import { prepareWorkRoot, removeRunWorkDir, secureDataDir } from './work-dir.ts';

export interface RunEngineSettings extends EngineSettings {
  /**
   * Runs executing at once, over all workflows; more wait QUEUED in arrival order. A run WAITING
   * for approval executes nothing and holds no slot (here or in its workflow's maxActiveRuns).
   */
  maxActiveRuns: number;
  /** Step processes at once, over all runs. */
  maxParallelSteps: number;
  /** STEP_USER as configured (a name or a uid); looked up when the engine starts. */
  stepUser: string | null;
}

interface RunEngineDeps {
  recorder: RunRecorderService;
  runs: RunRepository;
  steps: StepRunRepository;
  workflows: WorkflowRepository;
  specs: StoredSpecs;
  logger: Logger;
  settings: RunEngineSettings;
  stepLogs: StepLogService;
}

export const EXECUTOR_LOST = 'executor lost';
// A dispatch pass that failed (the database away) is tried again after this, so queued runs never wait for the next trigger.
const DISPATCH_RETRY_MS = 1_000;

/**
 * Runs read per query by recovery and dispatch. The event loop gets a turn after each run too:
 * SQLite answers synchronously, so awaiting it alone would never let a request in.
 */
const PAGE_SIZE = 200;

/** How far the settling of what a dead process left behind has come: runs done of those found. */
export interface RecoveryProgress {
  settled: number;
  total: number;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Starts QUEUED runs in arrival order within the global and per-workflow limits, keeps the
 * executions of this process, and settles what a dead process left behind.
 */
export class RunEngine implements RunDispatcher {
  private readonly active = new Map<string, { execution: RunExecution; done: Promise<RunStatus | null> }>();
  private readonly stepSlots: Semaphore;
  // Per version: what dispatch needs to start a run, without a query per queued run and pass.
  private readonly versions = new Map<string, { spec: WorkflowSpec; workflowName: string }>();
  private dispatching: Promise<void> | null = null;
  private dispatchAgain = false;
  // Not started: queued runs wait (the CLI's seed and validate, and tests that only queue).
  private running = false;
  // While set, nothing is dispatched: queued runs wait for recovery to end.
  private recovery: { progress: RecoveryProgress; done: Promise<void> } | null = null;
  private identity: StepIdentity | null = null;

  constructor(private readonly deps: RunEngineDeps) {
    this.stepSlots = new Semaphore(deps.settings.maxParallelSteps);
  }

  /**
   * Prepares where steps run (STEP_USER looked up, DATA_DIR private, WORK_DIR the server's),
   * then recovery, then the queue: runs left RUNNING by a dead process end FAILED ("executor
   * lost") with their unfinished steps ABORTED and their processes killed; a finished run left
   * with an unfinished step gets it ABORTED; runs WAITING for approval are picked up again.
   * Recovering counts from the call on (see `recoveryProgress`), before its first await.
   */
  async start(options: { recover: boolean }): Promise<void> {
    const progress = { settled: 0, total: 0 };
    const done = this.prepareAndRecover(options.recover, progress);
    this.recovery = { progress, done };
    try {
      await done;
    } finally {
      this.recovery = null;
    }
    this.dispatch();
  }

  private async prepareAndRecover(recover: boolean, progress: RecoveryProgress): Promise<void> {
    const settings = this.deps.settings;
    if (recover) progress.total = await this.deps.runs.countByStatus(['RUNNING', 'WAITING']);
    this.identity = settings.stepUser === null ? null : await resolveStepUser(settings.stepUser);
    await secureDataDir(settings.dataDir);
    await prepareWorkRoot(settings.workDir, this.identity);
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
    for (const step of await this.deps.steps.listByRunIds([runId])) {
      if (step.status === 'NOT_STARTED') await this.deps.recorder.recordStepTransition({ runId, step: step.name, to: 'ABORTED', message, actor: actor ?? undefined });
    }
    await this.deps.recorder.recordTransition({ runId, to: 'ABORTED', message, error: message, actor: actor ?? undefined });
  }

  async decideApproval(runId: string, step: string, decision: ApprovalDecision): Promise<void> {
    await this.recovery?.done.catch(() => {});
    const active = this.active.get(runId);
    if (!active) throw new AppError('CONFLICT', `Run ${runId} is not waiting for approval`, { runId, step });
    await active.execution.decideApproval(step, decision);
  }

  /**
   * Stops dispatching and recovery, before the database closes. Runs that execute are aborted,
   * recording why; runs that only wait for a person are let go unchanged: they stay WAITING.
   */
  async stop(message: string): Promise<void> {
    this.running = false;
    await Promise.all([this.dispatching, this.recovery?.done.catch(() => {})]);
    for (const { execution } of this.active.values()) {
      if (execution.waitingForPerson) execution.detach(message);
      else execution.stop('shutdown', message);
    }
    await Promise.all([...this.active.values()].map(({ done }) => done));
  }

  /** Lost runs settled, finished runs' leftover steps settled, then waiting runs picked up, a page at a time. */
  private async recover(progress: RecoveryProgress): Promise<void> {
    await this.eachPage(
      'RUNNING',
      async (run, steps) => {
        await this.settleLostRun(run, steps);
        progress.settled += 1;
      },
      (steps) => this.endProcessesOf(steps),
    );
    await this.settleStepsOfFinishedRuns();
    await this.eachPage('WAITING', async (run, steps) => {
      await this.resumeWaitingRun(run, steps);
      progress.settled += 1;
    });
  }

  /** Every run in the status as it was when reached, oldest first, with its steps; stops when the engine does. */
  private async eachPage(
    status: 'RUNNING' | 'WAITING',
    visit: (run: RunRecord, steps: StepRunRecord[]) => Promise<void>,
    beforePage: (steps: readonly StepRunRecord[]) => Promise<void> = async () => {},
  ): Promise<void> {
    let after: RunRecord | null = null;
    while (this.running) {
      const page = await this.deps.runs.listByStatusAfter(status, after, PAGE_SIZE);
      if (page.length === 0) return;
      const steps = new Map<string, StepRunRecord[]>();
      const stepsOfPage = await this.deps.steps.listByRunIds(page.map((run) => run.id));
      await beforePage(stepsOfPage);
      for (const step of stepsOfPage) {
        const ofRun = steps.get(step.runId);
        if (ofRun) ofRun.push(step);
        else steps.set(step.runId, [step]);
      }
      for (const run of page) {
        if (!this.running) return;
        try {
          await visit(run, steps.get(run.id) ?? []);
        } catch (error) {
          // Changed meanwhile (cancelled, say): one run must not stop the rest of recovery.
          this.deps.logger.error({ err: error, runId: run.id }, 'engine.recovery_failed');
        }
        await yieldToEventLoop();
      }
      after = page.at(-1) ?? null;
    }
  }

  /**
   * Starts QUEUED runs, oldest first, while fewer runs execute than the global limit allows,
   * skipping those whose workflow is at its own limit. Runs waiting for a person do not count.
   */
  private async dispatchPass(): Promise<void> {
    const perWorkflow = new Map<string, number>();
    let executing = 0;
    for (const { execution } of this.active.values()) {
      if (execution.waitingForPerson) continue;
      executing += 1;
      perWorkflow.set(execution.workflowId, (perWorkflow.get(execution.workflowId) ?? 0) + 1);
    }
    let after: RunRecord | null = null;
    for (;;) {
      if (!this.running || executing >= this.deps.settings.maxActiveRuns) return;
      const page = await this.deps.runs.listByStatusAfter('QUEUED', after, PAGE_SIZE);
      for (const run of page) {
        if (!this.running || executing >= this.deps.settings.maxActiveRuns) return;
        if (this.active.has(run.id)) continue;
        const spec = (await this.versionOf(run))?.spec;
        if (spec && (perWorkflow.get(run.workflowId) ?? 0) >= spec.maxActiveRuns) continue;
        // A run that cannot start (its definition is gone) is settled at once and takes no slot.
        if (await this.launch(run, await this.deps.steps.listByRunIds([run.id]))) {
          perWorkflow.set(run.workflowId, (perWorkflow.get(run.workflowId) ?? 0) + 1);
          executing += 1;
        }
        await yieldToEventLoop();
      }
      if (page.length < PAGE_SIZE) return;
      after = page.at(-1) ?? null;
      await yieldToEventLoop();
    }
  }

  /** A run WAITING for approval, picked up again; a step a dead process left RUNNING beside the approval is lost with it. */
  private async resumeWaitingRun(run: RunRecord, steps: StepRunRecord[]): Promise<void> {
    const current: StepRunRecord[] = [];
    for (const step of steps) {
      if (step.status !== 'RUNNING') {
        current.push(step);
        continue;
      }
      await this.endProcessesOf([step]);
      await this.deps.recorder.recordStepTransition({ runId: run.id, step: step.name, to: 'ABORTED', message: EXECUTOR_LOST });
      current.push({ ...step, status: 'ABORTED' });
    }
    await this.launch(run, current);
  }

  /** Starts the run's execution; false when it could not start and was recorded FAILED instead. */
  private async launch(run: RunRecord, steps: readonly StepRunRecord[]): Promise<boolean> {
    const version = await this.versionOf(run);
    if (!version) {
      await this.deps.recorder.recordTransition({ runId: run.id, to: 'FAILED', error: 'The workflow definition of this run is missing' });
      return false;
    }
    const execution = new RunExecution(
      {
        recorder: this.deps.recorder,
        logger: this.deps.logger.child({ runId: run.id }),
        stepSlots: this.stepSlots,
        settings: this.deps.settings,
        stepLogs: this.deps.stepLogs,
        identity: this.identity,
        // A run that starts waiting for a person frees its slot for the queue.
        onRunStatus: (status) => {
          if (status === 'WAITING') this.dispatch();
        },
      },
      { run, workflowName: version.workflowName, spec: version.spec, steps },
    );
    const done = execution
      .execute()
      .catch(async (error: unknown) => {
        this.deps.logger.error({ err: error, runId: run.id }, 'engine.run_crashed');
        await this.settleCrashedRun(run.id, error);
        return null;
      })
      .finally(() => {
        this.active.delete(run.id);
        this.dispatch();
      });
    this.active.set(run.id, { execution, done });
    return true;
  }

  /**
   * An execution that could not record its progress (its writes failed even after their
   * retries) leaves no run RUNNING: what is unfinished ends ABORTED and the run FAILED with the
   * reason. Its step processes have ended already (an execution ends after its steps).
   */
  private async settleCrashedRun(runId: string, cause: unknown): Promise<void> {
    const reason = `execution failed: ${cause instanceof Error ? cause.message : String(cause)}`;
    try {
      for (const step of await this.deps.steps.listByRunIds([runId])) {
        if (isUnfinishedStepStatus(step.status)) await this.deps.recorder.recordStepTransition({ runId, step: step.name, to: 'ABORTED', message: reason });
      }
      const run = await this.deps.runs.findById(runId);
      if (run && !isTerminalRunStatus(run.status)) await this.deps.recorder.recordTransition({ runId, to: 'FAILED', error: reason, message: reason });
    } catch (error) {
      // The next start settles it as lost (recovery), as it would after a crash of the process.
      this.deps.logger.error({ err: error, runId }, 'engine.settle_failed');
    }
  }

  /** Records the end of a run a dead process left RUNNING; what its steps left running was killed with its page. */
  private async settleLostRun(run: RunRecord, steps: readonly StepRunRecord[]): Promise<void> {
    for (const step of steps) {
      if (isUnfinishedStepStatus(step.status)) await this.deps.recorder.recordStepTransition({ runId: run.id, step: step.name, to: 'ABORTED', message: EXECUTOR_LOST });
    }
    await this.deps.recorder.recordTransition({ runId: run.id, to: 'FAILED', error: EXECUTOR_LOST, message: EXECUTOR_LOST });
    if (!this.deps.settings.keepWorkDirs) await removeRunWorkDir(this.deps.settings.workDir, run.id);
    this.deps.logger.warn({ runId: run.id }, 'engine.run_lost');
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
   * Kills what a dead process's steps left running, found by their cookies (not by the stored
   * process group, whose number may belong to someone else by now).
   */
  private async endProcessesOf(steps: readonly StepRunRecord[]): Promise<void> {
    const cookies = new Set(steps.filter((step) => step.status === 'RUNNING').map((step) => stepCookie(step.runId, step.name)));
    await endStepProcesses({ cookies, groups: new Set() }, 0);
  }

  private async versionOf(run: RunRecord): Promise<{ spec: WorkflowSpec; workflowName: string } | null> {
    if (!run.versionId) return null;
    const known = this.versions.get(run.versionId);
    if (known) return known;
    const [workflow, [version]] = await Promise.all([this.deps.workflows.findById(run.workflowId), this.deps.workflows.listVersionsByIds([run.versionId])]);
    const spec = workflow && version ? this.deps.specs.of(version, workflow.name) : null;
    if (!workflow || !spec) return null;
    const entry = { spec, workflowName: workflow.name };
    this.versions.set(run.versionId, entry);
    return entry;
  }
}
