import { assertCanInProject, assertInstanceAdmin } from '../../auth/permissions.ts';
import type { Principal } from '../../auth/principal.ts';
import type { Clock } from '../../domain/clock.ts';
import { AppError, notFound } from '../../domain/errors.ts';
import type { ArchiveSummary } from '../../domain/retention/archive-plan.ts';
import { RUN_STATUSES, TERMINAL_RUN_STATUSES } from '../../domain/status.ts';
import type { ProjectRepository } from '../../repositories/project.repository.ts';
import type { ArchiveMoverService } from '../archive/archive-mover.service.ts';
import type { ArchiveSelectionService } from './archive-selection.service.ts';

/** Moving history out of the live store by policy: `archiveNow`, and its dry run. */
export class ArchiveService {
  constructor(private readonly deps: { selection: ArchiveSelectionService; projects: ProjectRepository; clock: Clock; mover: ArchiveMoverService | null }) {}

  /**
   * What archival moves now, per project and status: of one project (its ADMIN), or of every
   * project (an instance admin). The dry run counts and moves nothing; otherwise exactly what it
   * counts moves, a batch at a time (CONFLICT on a database with no archive store).
   */
  async archiveNow(principal: Principal, projectId: string | null, dryRun: boolean): Promise<ArchiveSummary> {
    if (projectId === null) {
      assertInstanceAdmin(principal, 'archive every project at once (name a projectId to archive one)');
    } else {
      assertCanInProject(principal, 'administer', projectId);
      if (!(await this.deps.projects.findById(projectId))) throw notFound('Project', projectId);
    }
    const mover = this.deps.mover;
    if (!dryRun && mover === null) {
      throw new AppError('CONFLICT', 'This database has no archive store yet (PostgreSQL keeps history in partitions, which this build does not have), so archiveNow cannot move runs; nothing was moved', {
        argument: 'dryRun',
      });
    }
    const cutoff = this.deps.clock.now();
    const counts = mover === null || dryRun ? await this.deps.selection.count(projectId, cutoff) : await mover.archive(projectId, cutoff, { skipRestored: false });
    const finished = RUN_STATUSES.filter((status) => TERMINAL_RUN_STATUSES.has(status));
    const projectIds = [...new Set(counts.filter((count) => count.count > 0).map((count) => count.projectId))].sort();
    const projects = projectIds.map((id) => {
      const byStatus = finished.map((status) => ({ status, count: counts.find((count) => count.projectId === id && count.status === status)?.count ?? 0 }));
      return { projectId: id, total: byStatus.reduce((sum, entry) => sum + entry.count, 0), byStatus };
    });
    return { dryRun, cutoff, total: projects.reduce((sum, project) => sum + project.total, 0), projects };
  }
}
