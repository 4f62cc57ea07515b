import { assertCanInProject, assertInstanceAdmin } from '../../auth/permissions.ts';
import type { Principal } from '../../auth/principal.ts';
import type { HistoryReader } from '../../db/history-reader.ts';
import type { ArchiveListing } from '../../domain/archive/archive-period.ts';
import { notFound } from '../../domain/errors.ts';
import type { ArchiveCatalogRepository, ArchivePeriodRecord } from '../../repositories/archive/archive-catalog.repository.ts';
import type { ProjectRepository } from '../../repositories/project.repository.ts';
import type { ArchiveMoverService } from './archive-mover.service.ts';

/** The archived periods, and moving one back into the live store. */
export class ArchivesService {
  constructor(
    private readonly deps: { reader: HistoryReader; catalog: ArchiveCatalogRepository; projects: ProjectRepository; mover: ArchiveMoverService },
  ) {}

  /**
   * The periods, oldest first: each whole (an instance admin, without projectId), or one
   * project's part of each period that holds any of its runs (a reader of the project).
   */
  async list(principal: Principal, projectId: string | null): Promise<ArchiveListing[]> {
    if (projectId === null) {
      assertInstanceAdmin(principal, 'list the archives of every project (name a projectId to list one project’s)');
      return (await this.deps.catalog.list(this.deps.reader)).map((period) => listingOf(period, null));
    }
    assertCanInProject(principal, 'read', projectId);
    if (!(await this.deps.projects.findById(projectId))) throw notFound('Project', projectId);
    return this.deps.reader.read(async (session) => {
      const counts = new Map((await this.deps.catalog.projectCounts(session, projectId)).map((count) => [count.archiveId, count]));
      return (await this.deps.catalog.list(session)).flatMap((period) => {
        const count = counts.get(period.id);
        return count && count.runs > 0 ? [{ ...listingOf(period, projectId), runs: count.runs, events: count.events }] : [];
      });
    });
  }

  /** Moves every run of a period back into the live store (an instance admin: a period holds every project's runs). */
  async restore(principal: Principal, id: string): Promise<ArchiveListing> {
    assertInstanceAdmin(principal, 'restore an archive (it holds the runs of every project)');
    return listingOf(await this.deps.mover.restore(id), null);
  }
}

function listingOf(period: ArchivePeriodRecord, projectId: string | null): ArchiveListing {
  return {
    id: period.id,
    periodStart: period.periodStart,
    periodEnd: period.periodEnd,
    state: period.state,
    projectId,
    runs: period.runs,
    events: period.events,
    bytes: projectId === null ? period.bytes : null,
    createdAt: period.createdAt,
    updatedAt: period.updatedAt,
  };
}
