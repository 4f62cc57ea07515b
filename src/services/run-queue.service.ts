import type { Clock } from '../domain/clock.ts';
import { queuedReason } from '../domain/execution/queued-reason.ts';
import type { RunStatus } from '../domain/status.ts';
import type { Labels } from '../domain/workflow/worker-selector.ts';
import type { ExecutorRepository } from '../repositories/executor.repository.ts';
import { workflowSlotScope, type RunSlotRepository } from '../repositories/run-slot.repository.ts';
import type { WorkflowRepository } from '../repositories/workflow.repository.ts';
import type { StoredSpecs } from './stored-specs.ts';

/** What the queue needs to know of a run a caller may already read. */
export interface QueuedRunRef {
  id: string;
  status: RunStatus;
  workflowId: string;
  versionId: string | null;
}

/** Why queued runs wait: the live executors and the places their workflows hold, against each run's spec. */
export class RunQueueService {
  constructor(private readonly deps: { executors: ExecutorRepository; workflows: WorkflowRepository; runSlots: RunSlotRepository; specs: StoredSpecs; clock: Clock }) {}

  /** The labels of every executor alive now; the loaders read them once per request. */
  async liveExecutorLabels(): Promise<Labels[]> {
    return (await this.deps.executors.listAlive(this.deps.clock.now())).map((executor) => executor.labels);
  }

  /**
   * For each run, in order, why it waits QUEUED (see queuedReason); null for a run that is not
   * QUEUED, waits for nothing, or whose definition is gone (the engine fails it). `executors`
   * is asked only when a run is queued.
   */
  async queuedReasons(runs: readonly QueuedRunRef[], executors: () => Promise<readonly Labels[]>): Promise<(string | null)[]> {
    const queued = runs.filter((run) => run.status === 'QUEUED');
    if (queued.length === 0) return runs.map(() => null);
    const workflowIds = [...new Set(queued.map((run) => run.workflowId))];
    const versionIds = [...new Set(queued.flatMap((run) => (run.versionId ? [run.versionId] : [])))];
    const [live, workflows, versions, active] = await Promise.all([
      executors(),
      this.deps.workflows.listByIds(workflowIds),
      this.deps.workflows.listVersionsByIds(versionIds),
      this.deps.runSlots.countByScopes(workflowIds.map(workflowSlotScope)),
    ]);
    const names = new Map(workflows.map((workflow) => [workflow.id, workflow.name]));
    const versionById = new Map(versions.map((version) => [version.id, version]));
    return runs.map((run) => {
      const version = run.versionId ? versionById.get(run.versionId) : undefined;
      const name = names.get(run.workflowId);
      const spec = run.status === 'QUEUED' && version && name !== undefined ? this.deps.specs.of(version, name) : null;
      if (!spec) return null;
      const workflowActive = active.get(workflowSlotScope(run.workflowId)) ?? 0;
      return queuedReason({ selector: spec.workerSelector, workflowActive, workflowLimit: spec.maxActiveRuns }, live);
    });
  }
}
