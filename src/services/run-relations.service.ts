import type { ProjectRecord, ProjectRepository } from '../repositories/project.repository.ts';
import type { RunEventRecord, RunEventRepository } from '../repositories/run-event.repository.ts';
import type { RunRecord, RunRepository } from '../repositories/run.repository.ts';
import type { StepRunRecord, StepRunRepository } from '../repositories/step-run.repository.ts';
import type { WorkflowRecord, WorkflowRepository } from '../repositories/workflow.repository.ts';

/**
 * The rows related to rows a caller has already been allowed to read (a run's workflow, its
 * steps, its events), many ids at once, for the per-request loaders to batch.
 */
export class RunRelationsService {
  constructor(
    private readonly deps: { projects: ProjectRepository; workflows: WorkflowRepository; runs: RunRepository; steps: StepRunRepository; events: RunEventRepository },
  ) {}

  projectsByIds(ids: readonly string[]): Promise<ProjectRecord[]> {
    return this.deps.projects.listByIds(ids);
  }

  workflowsByIds(ids: readonly string[]): Promise<WorkflowRecord[]> {
    return this.deps.workflows.listByIds(ids);
  }

  runsByIds(ids: readonly string[]): Promise<RunRecord[]> {
    return this.deps.runs.listByIds(ids);
  }

  stepRunsByIds(ids: readonly string[]): Promise<StepRunRecord[]> {
    return this.deps.steps.listByIds(ids);
  }

  stepRunsOfRuns(runIds: readonly string[]): Promise<StepRunRecord[]> {
    return this.deps.steps.listByRunIds(runIds);
  }

  eventsOfRuns(runIds: readonly string[]): Promise<RunEventRecord[]> {
    return this.deps.events.listByRunIds(runIds);
  }
}
