import type { Logger } from 'pino';
import { AppError, notFound } from '../domain/errors.ts';
import { isTerminalRunStatus, isUnfinishedStepStatus, TERMINAL_RUN_STATUSES, UNFINISHED_STEP_STATUSES, type RunStatus } from '../domain/status.ts';
import type { WorkflowSpec } from '../domain/workflow/workflow-spec.ts';
import type { RunRecord, RunRepository } from '../repositories/run.repository.ts';
import type { StepRunRecord, StepRunRepository } from '../repositories/step-run.repository.ts';
import type { WorkflowRepository } from '../repositories/workflow.repository.ts';
import type { RunRecorderService } from '../services/run-recorder.service.ts';
import type { StoredSpecs } from '../services/stored-specs.ts';
import { RunExecution, type EngineSettings } from './run-execution.ts';
import { Semaphore } from './semaphore.ts';
import { endStepProcesses, stepCookie } from './process-sweep.ts';
import { resolveStepUser, type StepIdentity } from './step-user.ts';
import { prepareWorkRoot, removeRunWorkDir, secureDataDir } from './work-dir.ts';

export interface RunEngineSettings extends EngineSettings {
  /** Runs executing at once, over all workflows; more wait QUEUED in arrival order. */
  maxActiveRuns: number;
  /** Step processes at once, over all runs. */
  maxParallelSteps: number;
  /** STEP_USER as configured (a name or a uid); looked up when the engine starts. */
  stepUser: string | null;
}

/** Runs (and steps of finished runs) settled at recovery per pass: bounded memory on any backlog. */
const RECOVERY_BATCH = 200;

interface RunEngineDeps {
  recorder: RunRecorderService;
  runs: RunRepository;
  steps: StepRunRepository;
  workflows: WorkflowRepository;
  specs: StoredSpecs;
  logger: Logger;
  settings: RunEngineSettings;
}

export const EXECUTOR_LOST = 'executor lost';

/**
 * Starts QUEUED runs in arrival order within the global and per-workflow limits, keeps the
 * executions of this process, and settles what a dead process left behind.
 */
export class RunEngine {
  private readonly active = new Map<string, { execution: RunExecution; done: Promise<RunStatus | null> }>();
  private readonly stepSlots: Semaphore;
  // Per version: what dispatch needs to start a run, without a query per queued run and pass.
  private readonly versions = new Map<string, { spec: WorkflowSpec; workflowName: string }>();
  private dispatching: Promise<void> | null = null;
  private dispatchAgain = false;
  // Not started: queued runs wait (the CLI's seed and validate, and tests that only queue).
  private running = false;
  private identity: StepIdentity | null = null;

  constructor(private readonly deps: RunEngineDeps) {
    this.stepSlots = new Semaphore(deps.settings.maxParallelSteps);
  }

  /**
   * Prepares where steps run (STEP_USER looked up, DATA_DIR private, WORK_DIR the server's),
   * then recovery, then the queue: runs left RUNNING by a dead process end FAILED ("executor
   * lost") with their unfinished steps ABORTED and their processes killed; a finished run
   * left with an unfinished step gets it ABORTED; runs WAITING for approval are picked up again.
   */
  async start(options: { recover: boolean }): Promise<void> {
    const settings = this.deps.settings;
    this.identity = settings.stepUser === null ? null : await resolveStepUser(settings.stepUser);
    await secureDataDir(settings.dataDir);
    await prepareWorkRoot(settings.workDir, this.identity);
    this.running = true;
    if (options.recover) {
      const lost = await this.deps.runs.listByStatus(['RUNNING']);
      for (let start = 0; start < lost.length; start += RECOVERY_BATCH) await this.settleLostRuns(lost.slice(start, start + RECOVERY_BATCH));
      await this.settleStepsOfFinishedRuns();
      for (const run of await this.deps.runs.listByStatus(['WAITING'])) await this.launch(run);
    }
    this.dispatch();
  }

  /** Starts whatever the limits allow now; safe to call any time, passes never overlap. */
  dispatch(): void {
    if (!this.running) return;
    if (this.dispatching) {
      this.dispatchAgain = true;
      return;
    }
    this.dispatching = this.dispatchPass()
      .catch((error: unknown) => this.deps.logger.error({ err: error }, 'engine.dispatch_failed'))
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
    const message = actor ? `Cancelled by ${actor}` : 'Cancelled';
    const active = this.active.get(runId);
    if (active) {
      active.execution.stop('cancel', message, actor);
      await active.done;
      return;
    }
    const run = await this.deps.runs.findById(runId);
    if (!run) throw notFound('Run', runId);
    if (isTerminalRunStatus(run.status as RunStatus)) {
      throw new AppError('CONFLICT', `Run ${runId} is already finished (${run.status})`, { runId, status: run.status });
    }
    for (const step of await this.deps.steps.listByRunIds([runId])) {
      if (step.status === 'NOT_STARTED') await this.deps.recorder.recordStepTransition({ runId, step: step.name, to: 'ABORTED', message, actor: actor ?? undefined });
    }
    await this.deps.recorder.recordTransition({ runId, to: 'ABORTED', message, error: message, actor: actor ?? undefined });
  }

  async decideApproval(
    runId: string,
    step: string,
    decision: { kind: 'approve'; actor: string | null } | { kind: 'reject'; actor: string | null; reason: string | null },
  ): Promise<void> {
    const active = this.active.get(runId);
    if (!active) throw new AppError('CONFLICT', `Run ${runId} is not waiting for approval`, { runId, step });
    await active.execution.decideApproval(step, decision);
  }

  /** Stops dispatching and aborts this process's runs, recording why, before the database closes. */
  async stop(message: string): Promise<void> {
    this.running = false;
    await this.dispatching;
    for (const { execution } of this.active.values()) execution.stop('shutdown', message);
    await Promise.all([...this.active.values()].map(({ done }) => done));
  }

  private async dispatchPass(): Promise<void> {
    const perWorkflow = new Map<string, number>();
    for (const { execution } of this.active.values()) perWorkflow.set(execution.workflowId, (perWorkflow.get(execution.workflowId) ?? 0) + 1);
    for (const run of await this.deps.runs.listByStatus(['QUEUED'])) {
      if (!this.running || this.active.size >= this.deps.settings.maxActiveRuns) return;
      if (this.active.has(run.id)) continue;
      const spec = (await this.versionOf(run))?.spec;
      if (spec && (perWorkflow.get(run.workflowId) ?? 0) >= spec.maxActiveRuns) continue;
      perWorkflow.set(run.workflowId, (perWorkflow.get(run.workflowId) ?? 0) + 1);
      await this.launch(run);
    }
  }

  private async launch(run: RunRecord): Promise<void> {
    const version = await this.versionOf(run);
    if (!version) {
      await this.deps.recorder.recordTransition({ runId: run.id, to: 'FAILED', error: 'The workflow definition of this run is missing' });
      return;
    }
    const execution = new RunExecution(
      { recorder: this.deps.recorder, logger: this.deps.logger.child({ runId: run.id }), stepSlots: this.stepSlots, settings: this.deps.settings, identity: this.identity },
      { run, workflowName: version.workflowName, spec: version.spec, steps: await this.deps.steps.listByRunIds([run.id]) },
    );
    const done = execution
      .execute()
      .catch((error: unknown) => {
        this.deps.logger.error({ err: error, runId: run.id }, 'engine.run_crashed');
        return null;
      })
      .finally(() => {
        this.active.delete(run.id);
        this.dispatch();
      });
    this.active.set(run.id, { execution, done });
  }

  /**
   * Kills what the dead process's steps left running, found by their cookies (not by the stored
   * process group, whose number may belong to someone else by now), then records the ends.
   */
  private async settleLostRuns(runs: readonly RunRecord[]): Promise<void> {
    const steps = await this.deps.steps.listByRunIds(runs.map((run) => run.id));
    await this.endProcessesOf(steps);
    for (const run of runs) {
      for (const step of steps) {
        if (step.runId !== run.id || !isUnfinishedStepStatus(step.status)) continue;
        await this.deps.recorder.recordStepTransition({ runId: run.id, step: step.name, to: 'ABORTED', message: EXECUTOR_LOST });
      }
      await this.deps.recorder.recordTransition({ runId: run.id, to: 'FAILED', error: EXECUTOR_LOST, message: EXECUTOR_LOST });
      if (!this.deps.settings.keepWorkDirs) await removeRunWorkDir(this.deps.settings.workDir, run.id);
      this.deps.logger.warn({ runId: run.id }, 'engine.run_lost');
    }
  }

  /** The invariant "a finished run has no unfinished step", restored where anything broke it. */
  private async settleStepsOfFinishedRuns(): Promise<void> {
    for (;;) {
      const steps = await this.deps.steps.listByStatusInRunsOf(UNFINISHED_STEP_STATUSES, [...TERMINAL_RUN_STATUSES], RECOVERY_BATCH);
      if (steps.length === 0) return;
      await this.endProcessesOf(steps);
      for (const step of steps) {
        await this.deps.recorder.recordStepTransition({ runId: step.runId, step: step.name, to: 'ABORTED', message: `${EXECUTOR_LOST}: the run had already finished` });
        this.deps.logger.warn({ runId: step.runId, step: step.name, status: step.status }, 'engine.step_of_finished_run_settled');
      }
    }
  }

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
