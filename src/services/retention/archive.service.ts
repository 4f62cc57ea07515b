import { assertCanInProject, assertInstanceAdmin } from '../../auth/permissions.ts';
import type { Principal } from '../../auth/principal.ts';
import type { Clock } from '../../domain/clock.ts';
import { AppError, notFound } from '../../domain/errors.ts';
import type { ArchiveSummary } from '../../domain/retention/archive-plan.ts';
import { RUN_STATUSES, TERMINAL_RUN_STATUSES } from '../../domain/status.ts';
import type { ProjectRepository } from '../../repositories/project.repository.ts';
import type { ArchiveSelectionService } from './archive-selection.service.ts';

/** Moving history out of the live store by policy: `archiveNow`, and its dry run. */
export class ArchiveService {
  constructor(private readonly deps: { selection: ArchiveSelectionService; projects: ProjectRepository; clock: Clock }) {}

  /**
   * What archival moves now, per project and status: of one project (its ADMIN), or of every
   * project (an instance admin). Only the dry run is answered in this build; anything else is
   * CONFLICT, and nothing moves.
   */
  async archiveNow(principal: Principal, projectId: string | null, dryRun: boolean): Promise<ArchiveSummary> {
    if (projectId === null) {
      assertInstanceAdmin(principal, 'archive every project at once (name a projectId to archive one)');
    } else {
      assertCanInProject(principal, 'administer', projectId);
      if (!(await this.deps.projects.findById(projectId))) throw notFound('Project', projectId);
    }
    if (!dryRun) {
      throw new AppError('CONFLICT', 'This build has no archive store yet, so archiveNow cannot move runs; nothing was moved. Ask with dryRun: true to see what archival would move', {
        argument: 'dryRun',
      });
    }
    const cutoff = this.deps.clock.now();
    const counts = await this.deps.selection.count(projectId, cutoff);
    const finished = RUN_STATUSES.filter((status) => TERMINAL_RUN_STATUSES.has(status));
    const projectIds = [...new Set(counts.filter((count) => count.count > 0).map((count) => count.projectId))].sort();
    const projects = projectIds.map((id) => {
      const byStatus = finished.map((status) => ({ status, count: counts.find((count) => count.projectId === id && count.status === status)?.count ?? 0 }));
      return { projectId: id, total: byStatus.reduce((sum, entry) => sum + entry.count, 0), byStatus };
    });
    return { dryRun, cutoff, total: projects.reduce((sum, project) => sum + project.total, 0), projects };
  }
}
