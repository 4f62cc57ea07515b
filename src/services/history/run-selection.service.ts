import type { Principal } from '../../auth/principal.ts';
import { projectsToRead, readableProjectIds } from '../../auth/read-access.ts';
import type { ReadSession } from '../../db/history-reader.ts';
import { AppError } from '../../domain/errors.ts';
import { createdBounds, namesWorkflows, resolveRunSelection, unique } from '../../domain/history/resolve-run-selection.ts';
import type { RunSelection } from '../../domain/history/run-selection.ts';
import type { RunFilterSpec } from '../../domain/run-filter.ts';
import type { ProjectRepository } from '../../repositories/project.repository.ts';
import type { WorkflowRepository } from '../../repositories/workflow.repository.ts';

/**
 * A RunFilter resolved for one caller: src/auth decides which projects it covers, the domain
 * turns names and the search into ids; this reads what both need, in the query's session.
 */
export class RunSelectionService {
  constructor(private readonly deps: { projects: ProjectRepository; workflows: WorkflowRepository }) {}

  async resolve(session: ReadSession, principal: Principal, filter: RunFilterSpec | null): Promise<RunSelection> {
    const spec = filter ?? {};
    const created = createdBounds(spec);
    const requested = unique(spec.projectIds ?? []);
    // A caller who may read every project is told about a project that does not exist rather than getting nothing.
    if (requested.length > 0 && readableProjectIds(principal) === null) {
      const existing = await this.deps.projects.existingIds(session, requested);
      const unknown = requested.filter((id) => !existing.has(id));
      if (unknown.length > 0) throw new AppError('BAD_USER_INPUT', `filter.projectIds: no project ${unknown.join(', ')}`, { argument: 'filter.projectIds' });
    }
    const projectIds = projectsToRead(principal, requested, 'filter.projectIds');
    const readableWorkflows = namesWorkflows(spec) ? await this.deps.workflows.listNamesOfProjects(session, readableProjectIds(principal)) : [];
    return resolveRunSelection(spec, { created, projectIds, readableWorkflows });
  }
}
