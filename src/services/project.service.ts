import type { Principal } from '../auth/principal.ts';
import { canReadProject } from '../auth/read-access.ts';
import type { ProjectRecord, ProjectRepository } from '../repositories/project.repository.ts';

export class ProjectService {
  constructor(private readonly deps: { projects: ProjectRepository }) {}

  /** Every project the caller may read: all of them for an instance admin. */
  listReadable(principal: Principal): Promise<ProjectRecord[]> {
    return principal.isAdmin ? this.deps.projects.listAll() : this.deps.projects.listByIds([...principal.roles.keys()]);
  }

  /** A project by slug, or else by id; null when there is none or the caller may not read it. */
  async find(principal: Principal, slugOrId: string): Promise<ProjectRecord | null> {
    const project = (await this.deps.projects.findBySlug(slugOrId)) ?? (await this.deps.projects.findById(slugOrId));
    return project && canReadProject(principal, project.id) ? project : null;
  }

  async readableIds(principal: Principal): Promise<string[]> {
    return principal.isAdmin ? (await this.deps.projects.listAll()).map((project) => project.id) : [...principal.roles.keys()];
  }
}
