import { assertCan } from '../auth/permissions.ts';
import type { Principal } from '../auth/principal.ts';
import { AppError, notFound } from '../domain/errors.ts';
import { isTerminalRunStatus } from '../domain/status.ts';
import type { RunTrigger } from '../domain/vocabulary.ts';
import { downstreamOf } from '../domain/workflow/dag.ts';
import type { RunDispatcher } from '../domain/execution/run-dispatcher.ts';
import { stepRunNames, type WorkflowSpec } from '../domain/workflow/workflow-spec.ts';
import type { RunRecord, RunRepository } from '../repositories/run.repository.ts';
import type { StepRunRepository } from '../repositories/step-run.repository.ts';
import type { WorkflowRecord, WorkflowRepository } from '../repositories/workflow.repository.ts';
import { TickFiredError, type CarriedOverStep } from './history-write-plan.ts';
import type { RunRecorderService } from './run-recorder.service.ts';
import type { StoredSpecs } from './stored-specs.ts';
import type { ArchiveReadsService } from './archive/archive-reads.service.ts';

type Params = Record<string, string>;

interface RunControlDeps {
  archives: ArchiveReadsService;
  recorder: RunRecorderService;
  dispatcher: RunDispatcher;
  runs: RunRepository;
  steps: StepRunRepository;
  workflows: WorkflowRepository;
  specs: StoredSpecs;
}

/** Starting, stopping and steering runs: the use cases behind the run mutations and the scheduler. */
export class RunControlService {
  constructor(private readonly deps: RunControlDeps) {}

  /** Recorded as API when the caller presented an API token (a script), MANUAL from a signed-in person or the CLI. */
  async triggerRun(principal: Principal, workflowId: string, params: unknown): Promise<RunRecord> {
    const workflow = await this.deps.workflows.findById(workflowId);
    if (!workflow || workflow.deletedAt) throw notFound('Workflow', workflowId);
    assertCan(principal, 'operate', workflow.projectId, { kind: 'Workflow', id: workflowId });
    return this.start(workflow, params, principal.credential?.kind === 'API' ? 'API' : 'MANUAL', principal.actor);
  }

  /**
   * Queues the run of a cron tick, unless the tick queued one already (whichever scheduler did):
   * null then. The tick is recorded in the transaction that queues the run.
   */
  async startTick(workflow: WorkflowRecord, tick: Date): Promise<RunRecord | null> {
    try {
      return await this.start(workflow, {}, 'SCHEDULER', null, tick);
    } catch (error) {
      if (error instanceof TickFiredError) return null;
      throw error;
    }
  }

  /** Queues a run of the workflow's current version and wakes the dispatcher. */
  async start(workflow: WorkflowRecord, params: unknown, trigger: RunTrigger, actor: string | null, cronTick?: Date): Promise<RunRecord> {
    const version = await this.deps.workflows.findVersion(workflow.id, workflow.hash);
    if (!version) throw new Error(`Workflow ${workflow.id} has no stored version for its current definition`);
    const spec = this.specOf(version, workflow.name);
    const run = await this.deps.recorder.createRun({
      projectId: workflow.projectId,
      workflowId: workflow.id,
      trigger,
      params: checkParams(spec, params),
      steps: stepRunNames(spec),
      versionId: version.id,
      actor: actor ?? undefined,
      cronTick,
    });
    this.deps.dispatcher.dispatch();
    return run;
  }

  async cancelRun(principal: Principal, id: string): Promise<RunRecord> {
    await this.operable(principal, id);
    await this.deps.dispatcher.cancel(id, principal.actor);
    return this.reload(id);
  }

  /**
   * A new run of the same version with the same params, `retryOf` the original. From the failed
   * step, steps that succeeded and lie upstream of every failure are carried over, not run again.
   * From a named step (Dagu's `retry --step`), that step and every step after it run again too.
   */
  async retryRun(principal: Principal, id: string, fromFailedStep: boolean, fromStep: string | null = null): Promise<RunRecord> {
    const original = await this.operable(principal, id, { archived: true });
    if (!isTerminalRunStatus(original.status)) {
      throw new AppError('CONFLICT', `Run ${id} is still ${original.status}; cancel it or wait for it to finish before retrying`, { runId: id });
    }
    const workflow = await this.deps.workflows.findById(original.workflowId);
    const [version] = original.versionId ? await this.deps.workflows.listVersionsByIds([original.versionId]) : [];
    if (!workflow || !version) throw new AppError('CONFLICT', `Run ${id} cannot be retried: its workflow definition is gone`, { runId: id });
    const spec = this.specOf(version, workflow.name);
    if (fromStep !== null && !spec.steps.some((step) => step.name === fromStep)) {
      throw new AppError('BAD_USER_INPUT', `Run ${id} has no step "${fromStep}"; its steps: ${spec.steps.map((step) => step.name).join(', ')}`, { argument: 'fromStep' });
    }
    const carriedOver = fromFailedStep || fromStep !== null ? await this.carriedOverSteps(original, spec, fromStep === null ? [] : [fromStep]) : [];
    const run = await this.deps.recorder.createRun({
      projectId: original.projectId,
      workflowId: original.workflowId,
      trigger: 'RETRY',
      params: checkParams(spec, original.params ?? {}),
      steps: stepRunNames(spec),
      retryOfId: original.id,
      attempt: original.attempt + 1,
      versionId: version.id,
      carriedOver,
      actor: principal.actor,
    });
    this.deps.dispatcher.dispatch();
    return run;
  }

  async approveStep(principal: Principal, runId: string, step: string): Promise<RunRecord> {
    await this.operable(principal, runId);
    await this.deps.dispatcher.decideApproval(runId, step, { kind: 'approve', actor: principal.actor });
    return this.reload(runId);
  }

  async rejectStep(principal: Principal, runId: string, step: string, reason: string | null): Promise<RunRecord> {
    await this.operable(principal, runId);
    await this.deps.dispatcher.decideApproval(runId, step, { kind: 'reject', actor: principal.actor, reason });
    await this.deps.dispatcher.settled(runId);
    return this.reload(runId);
  }

  /** The steps that succeeded and lie upstream of every failure and of every step in `rerunAlso`. */
  private async carriedOverSteps(original: RunRecord, spec: WorkflowSpec, rerunAlso: readonly string[]): Promise<CarriedOverStep[]> {
    const rows = original.archived ? await this.deps.archives.stepsOfRuns([original]) : await this.deps.steps.listByRunIds([original.id]);
    const unsuccessful = rows.filter((row) => row.status !== 'SUCCEEDED' && spec.steps.some((step) => step.name === row.name)).map((row) => row.name);
    const rerun = downstreamOf(spec.steps, [...unsuccessful, ...rerunAlso]);
    return rows
      .filter((row) => row.status === 'SUCCEEDED' && !rerun.has(row.name) && spec.steps.some((step) => step.name === row.name))
      .map((row) => ({ name: row.name, fromRunId: original.id, exitCode: row.exitCode, output: row.output }));
  }

  /**
   * The run, if the caller may operate on it. An archived run is finished and read-only: only a
   * retry (a new run in the live store) may start from it (`archived`), anything else is CONFLICT.
   */
  private async operable(principal: Principal, runId: string, options: { archived: boolean } = { archived: false }): Promise<RunRecord> {
    const run = (await this.deps.runs.findById(runId)) ?? (await this.deps.archives.runsByIds([runId]))[0];
    if (!run) throw notFound('Run', runId);
    assertCan(principal, 'operate', run.projectId, { kind: 'Run', id: runId });
    if (run.archived && !options.archived) {
      throw new AppError('CONFLICT', `Run ${runId} is archived: it finished, and can only be retried (the retry is a new run)`, { runId });
    }
    return run;
  }

  private async reload(runId: string): Promise<RunRecord> {
    const run = await this.deps.runs.findById(runId);
    if (!run) throw notFound('Run', runId);
    return run;
  }

  private specOf(version: { definition: string; hash: string }, workflowName: string): WorkflowSpec {
    const spec = this.deps.specs.of(version, workflowName);
    if (!spec) throw new AppError('CONFLICT', `The stored definition of workflow ${workflowName} no longer parses; save it again`, { workflow: workflowName });
    return spec;
  }
}

/** Run params: known names only, scalar values, defaults filled in at run time. */
export function checkParams(spec: WorkflowSpec, params: unknown): Params {
  if (params === null || params === undefined) return {};
  if (typeof params !== 'object' || Array.isArray(params)) {
    throw new AppError('BAD_USER_INPUT', 'params must be an object of name → value, for example {"ENV": "staging"}', { argument: 'params' });
  }
  const known = spec.params.map((param) => param.name);
  const checked: Params = {};
  for (const [name, value] of Object.entries(params)) {
    if (!known.includes(name)) {
      throw new AppError('BAD_USER_INPUT', `Unknown param "${name}"; this workflow takes: ${known.join(', ') || 'no params'}`, { argument: 'params' });
    }
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new AppError('BAD_USER_INPUT', `Param "${name}" must be a string, number or boolean`, { argument: 'params' });
    }
    checked[name] = String(value);
  }
  return checked;
}
