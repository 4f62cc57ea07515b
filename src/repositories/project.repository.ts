import type { Db, Tx } from '../db/client.ts';
import type { Project } from '../generated/sqlite/client.ts';

export type ProjectRecord = Project;

export class ProjectRepository {
  constructor(private readonly deps: { db: Db }) {}

  listByIds(ids: readonly string[]): Promise<ProjectRecord[]> {
    return this.deps.db.project.findMany({ where: { id: { in: [...ids] } }, orderBy: { slug: 'asc' } });
  }

  listAll(): Promise<ProjectRecord[]> {
    return this.deps.db.project.findMany({ orderBy: { slug: 'asc' } });
  }

  findById(id: string): Promise<ProjectRecord | null> {
    return this.deps.db.project.findUnique({ where: { id } });
  }

  findBySlug(slug: string): Promise<ProjectRecord | null> {
    return this.deps.db.project.findUnique({ where: { slug } });
  }

  create(data: { id: string; slug: string; name: string }, client: Db | Tx = this.deps.db): Promise<ProjectRecord> {
    return client.project.create({ data });
  }
}
