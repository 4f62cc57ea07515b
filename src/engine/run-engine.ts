import type { Logger } from 'pino';
import { AppError, notFound } from '../domain/errors.ts';
import { isRunStatus, isTerminalRunStatus, type RunStatus } from '../domain/status.ts';
import type { WorkflowSpec } from '../domain/workflow/workflow-spec.ts';
import type { RunRecord, RunRepository } from '../repositories/run.repository.ts';
import type { StepRunRepository } from '../repositories/step-run.repository.ts';
import type { WorkflowRepository } from '../repositories/workflow.repository.ts';
import type { RunRecorderService } from '../services/run-recorder.service.ts';
import type { StoredSpecs } from '../services/stored-specs.ts';
import { RunExecution, type EngineSettings } from './run-execution.ts';
import { Semaphore } from './semaphore.ts';
import { killProcessGroup } from './step-process.ts';

export interface RunEngineSettings extends EngineSettings {
  /** Runs executing at once, over all workflows; more wait QUEUED in arrival order. */
  maxActiveRuns: number;
  /** Step processes at once, over all runs. */
  maxParallelSteps: number;
}

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
// A dispatch pass that failed (the database away) is tried again after this, so queued runs never wait for the next trigger.
const DISPATCH_RETRY_MS = 1_000;

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

  constructor(private readonly deps: RunEngineDeps) {
    this.stepSlots = new Semaphore(deps.settings.maxParallelSteps);
  }

  /**
   * Recovery, then the queue: runs left RUNNING by a dead process end FAILED ("executor
   * lost") with their unfinished steps ABORTED; runs WAITING for approval are picked up again.
   */
  async start(options: { recover: boolean }): Promise<void> {
    this.running = true;
    if (options.recover) {
      for (const run of await this.deps.runs.listByStatus(['RUNNING'])) await this.settleLostRun(run);
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
      { recorder: this.deps.recorder, logger: this.deps.logger.child({ runId: run.id }), stepSlots: this.stepSlots, settings: this.deps.settings },
      { run, workflowName: version.workflowName, spec: version.spec, steps: await this.deps.steps.listByRunIds([run.id]) },
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
        if (step.status === 'RUNNING' || step.status === 'NOT_STARTED' || step.status === 'WAITING') {
          await this.deps.recorder.recordStepTransition({ runId, step: step.name, to: 'ABORTED', message: reason });
        }
      }
      const run = await this.deps.runs.findById(runId);
      if (run && isRunStatus(run.status) && !isTerminalRunStatus(run.status)) await this.deps.recorder.recordTransition({ runId, to: 'FAILED', error: reason, message: reason });
    } catch (error) {
      // The next start settles it as lost (recovery), as it would after a crash of the process.
      this.deps.logger.error({ err: error, runId }, 'engine.settle_failed');
    }
  }

  private async settleLostRun(run: RunRecord): Promise<void> {
    for (const step of await this.deps.steps.listByRunIds([run.id])) {
      if (step.status === 'RUNNING' && step.pid !== null) killProcessGroup(step.pid);
      if (step.status === 'RUNNING' || step.status === 'NOT_STARTED' || step.status === 'WAITING') {
        await this.deps.recorder.recordStepTransition({ runId: run.id, step: step.name, to: 'ABORTED', message: EXECUTOR_LOST });
      }
    }
    await this.deps.recorder.recordTransition({ runId: run.id, to: 'FAILED', error: EXECUTOR_LOST, message: EXECUTOR_LOST });
    this.deps.logger.warn({ runId: run.id }, 'engine.run_lost');
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
