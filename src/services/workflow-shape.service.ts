import type { StoredWorkflow } from '../domain/records.ts';
import type { WorkflowSpec } from '../domain/workflow/workflow-spec.ts';
import type { WorkflowRepository } from '../repositories/workflow.repository.ts';
import type { StoredSpecs } from './stored-specs.ts';

/** What a run needs to find the definition it ran. */
export interface VersionedRunRef {
  id: string;
  workflowId: string;
  versionId: string | null;
}

/** The parsed definitions behind workflows and runs, for the pages that draw their steps. */
export class WorkflowShapeService {
  constructor(private readonly deps: { workflows: WorkflowRepository; specs: StoredSpecs }) {}

  /** Its current definition; null only when that no longer parses (the format got stricter). */
  specOfWorkflow(workflow: StoredWorkflow): WorkflowSpec | null {
    return this.deps.specs.of(workflow, workflow.name);
  }

  /**
   * For each run, in order, the definition version it ran; null for a run recorded without one
   * (imported or seeded history) or whose version no longer parses.
   */
  async specsOfRuns(runs: readonly VersionedRunRef[]): Promise<(WorkflowSpec | null)[]> {
    const versionIds = [...new Set(runs.flatMap((run) => (run.versionId ? [run.versionId] : [])))];
    if (versionIds.length === 0) return runs.map(() => null);
    const workflowIds = [...new Set(runs.map((run) => run.workflowId))];
    const [versions, workflows] = await Promise.all([this.deps.workflows.listVersionsByIds(versionIds), this.deps.workflows.listByIds(workflowIds)]);
    const versionById = new Map(versions.map((version) => [version.id, version]));
    const names = new Map(workflows.map((workflow) => [workflow.id, workflow.name]));
    return runs.map((run) => {
      const version = run.versionId ? versionById.get(run.versionId) : undefined;
      const name = names.get(run.workflowId);
      return version && name !== undefined ? this.deps.specs.of(version, name) : null;
    });
  }
}
