import { MAX_PARALLEL_ITEMS } from '../domain/workflow/sub-workflow-spec.ts';
import type { ProjectRecord, ProjectRepository } from '../repositories/project.repository.ts';
import type { RunEventRecord, RunEventRepository } from '../repositories/run-event.repository.ts';
import type { RunRecord, RunRepository } from '../repositories/run.repository.ts';
import type { StepRunRecord, StepRunRepository } from '../repositories/step-run.repository.ts';
import type { WorkflowRecord, WorkflowRepository } from '../repositories/workflow.repository.ts';
import type { ArchiveReadsService } from './archive/archive-reads.service.ts';

/** The most sub-workflow runs read for one run: a parallel step starts at most MAX_PARALLEL_ITEMS, a run has few call steps. */
export const MAX_CHILD_RUNS_READ = 10 * MAX_PARALLEL_ITEMS;

/**
 * The rows related to rows a caller has already been allowed to read (a run's workflow, its
 * steps, its events), many ids at once, for the per-request loaders to batch. Runs and steps not
 * in the live store are looked for in the archives; an archived run's steps and events are there.
 */
export class RunRelationsService {
  constructor(
    private readonly deps: {
      projects: ProjectRepository;
      workflows: WorkflowRepository;
      runs: RunRepository;
      steps: StepRunRepository;
      events: RunEventRepository;
      archives: ArchiveReadsService;
    },
  ) {}

  projectsByIds(ids: readonly string[]): Promise<ProjectRecord[]> {
    return this.deps.projects.listByIds(ids);
  }

  workflowsByIds(ids: readonly string[]): Promise<WorkflowRecord[]> {
    return this.deps.workflows.listByIds(ids);
  }

  async runsByIds(ids: readonly string[]): Promise<RunRecord[]> {
    const live = await this.deps.runs.listByIds(ids);
    return [...live, ...(await this.deps.archives.runsByIds(missing(ids, live)))];
  }

  /** The sub-workflow runs of these runs, oldest first, at most MAX_CHILD_RUNS_READ per run (those archived are left out). */
  async childRunsOf(parentRunIds: readonly string[]): Promise<RunRecord[]> {
    return this.deps.runs.listChildren(parentRunIds, MAX_CHILD_RUNS_READ * parentRunIds.length);
  }

  async stepRunsByIds(ids: readonly string[]): Promise<StepRunRecord[]> {
    const live = await this.deps.steps.listByIds(ids);
    return [...live, ...(await this.deps.archives.stepsByIds(missing(ids, live)))];
  }

  async stepRunsOfRuns(runs: readonly RunRef[]): Promise<StepRunRecord[]> {
    const [live, archived] = split(runs);
    return [...(live.length > 0 ? await this.deps.steps.listByRunIds(live.map((run) => run.id)) : []), ...(await this.deps.archives.stepsOfRuns(archived))];
  }

  async eventsOfRuns(runs: readonly RunRef[]): Promise<RunEventRecord[]> {
    const [live, archived] = split(runs);
    return [...(live.length > 0 ? await this.deps.events.listByRunIds(live.map((run) => run.id)) : []), ...(await this.deps.archives.eventsOfRuns(archived))];
  }
}

/** A run whose steps or events are asked for: they are where the run is. */
export type RunRef = Pick<RunRecord, 'id' | 'archived'>;

function missing(ids: readonly string[], found: readonly { id: string }[]): string[] {
  const have = new Set(found.map((row) => row.id));
  return ids.filter((id) => !have.has(id));
}

function split(runs: readonly RunRef[]): [RunRef[], RunRef[]] {
  return [runs.filter((run) => !run.archived), runs.filter((run) => run.archived)];
}
