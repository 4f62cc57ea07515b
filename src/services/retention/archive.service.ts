import { assertCanInProject, assertInstanceAdmin } from '../../auth/permissions.ts';
import type { Principal } from '../../auth/principal.ts';
import type { Clock } from '../../domain/clock.ts';
import { notFound } from '../../domain/errors.ts';
import type { ArchiveSummary } from '../../domain/retention/archive-plan.ts';
import { RUN_STATUSES, TERMINAL_RUN_STATUSES } from '../../domain/status.ts';
import type { ProjectRepository } from '../../repositories/project.repository.ts';
import type { ArchiveMoverService } from '../archive/archive-mover.service.ts';
import type { ArchiveSelectionService } from './archive-selection.service.ts';

/** Moving history out of the live store by policy: `archiveNow`, and its dry run. */
export class ArchiveService {
  constructor(private readonly deps: { selection: ArchiveSelectionService; projects: ProjectRepository; clock: Clock; mover: ArchiveMoverService }) {}

  /**
   * What archival moves now, per project and status: of one project (its ADMIN), or of every
   * project (an instance admin). The dry run counts and moves nothing; otherwise exactly what it
   * counts moves (CONFLICT while another archival or restore runs).
   */
  async archiveNow(principal: Principal, projectId: string | null, dryRun: boolean, onProgress?: (movedRuns: number) => void): Promise<ArchiveSummary> {
    if (projectId === null) {
      assertInstanceAdmin(principal, 'archive every project at once (name a projectId to archive one)');
    } else {
      assertCanInProject(principal, 'administer', projectId);
      if (!(await this.deps.projects.findById(projectId))) throw notFound('Project', projectId);
    }
    const cutoff = this.deps.clock.now();
    const counts = dryRun ? await this.dryRun(projectId, cutoff) : await this.deps.mover.archive(projectId, cutoff, { skipRestored: false, onProgress });
    const finished = RUN_STATUSES.filter((status) => TERMINAL_RUN_STATUSES.has(status));
    const projectIds = [...new Set(counts.filter((count) => count.count > 0).map((count) => count.projectId))].sort();
    const projects = projectIds.map((id) => {
      const byStatus = finished.map((status) => ({ status, count: counts.find((count) => count.projectId === id && count.status === status)?.count ?? 0 }));
      return { projectId: id, total: byStatus.reduce((sum, entry) => sum + entry.count, 0), byStatus };
    });
    return { dryRun, cutoff, total: projects.reduce((sum, project) => sum + project.total, 0), projects };
  }

  /** A store that moves whole periods leaves the runs of periods not yet past `hot`: its mover counts what it would move. */
  private dryRun(projectId: string | null, cutoff: Date) {
    return this.deps.mover.wholePeriods ? this.deps.mover.plan(projectId, cutoff) : this.deps.selection.count(projectId, cutoff);
  }
}
