import type { Db, Tx } from '../db/client.ts';
import type { HistoryReader, ReadSession } from '../db/history-reader.ts';
import { column, type SqlRow } from '../db/sql-values.ts';
import { Prisma, type Project } from '../generated/sqlite/client.ts';

export type ProjectRecord = Project;

function projectOf(row: SqlRow): ProjectRecord {
  return { id: column.text(row, 'id'), slug: column.text(row, 'slug'), name: column.text(row, 'name'), createdAt: column.date(row, 'createdAt') };
}

export class ProjectRepository {
  constructor(private readonly deps: { db: Db; reader: HistoryReader }) {}

  /**
   * The two reads every page and most requests make (the projects a caller may see, the projects
   * of a page's runs): plain statements on the read connection. Through Prisma, each costs a
   * query compilation on the request's thread, more than the statement itself.
   */
  async listByIds(ids: readonly string[]): Promise<ProjectRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.deps.reader.all(Prisma.sql`SELECT id, slug, name, "createdAt" FROM "Project" WHERE id IN (${Prisma.join(ids)}) ORDER BY slug`);
    return rows.map(projectOf);
  }

  async listAll(): Promise<ProjectRecord[]> {
    return (await this.deps.reader.all(Prisma.sql`SELECT id, slug, name, "createdAt" FROM "Project" ORDER BY slug`)).map(projectOf);
  }

  findById(id: string): Promise<ProjectRecord | null> {
    return this.deps.db.project.findUnique({ where: { id } });
  }

  findBySlug(slug: string): Promise<ProjectRecord | null> {
    return this.deps.db.project.findUnique({ where: { slug } });
  }

  /**
   * Takes the project's row lock for the rest of the transaction; false when there is no such
   * project. An UPDATE rather than SELECT … FOR UPDATE: it is the same row lock on PostgreSQL,
   * and on SQLite it takes the database's write lock at once, where a read would take it only
   * at the transaction's first write, after its reads were made.
   */
  async lockForMemberChange(projectId: string, tx: Tx): Promise<boolean> {
    return (await tx.$executeRaw`UPDATE "Project" SET slug = slug WHERE id = ${projectId}`) === 1;
  }

  create(data: { id: string; slug: string; name: string }, client: Db | Tx = this.deps.db): Promise<ProjectRecord> {
    return client.project.create({ data });
  }

  /** Which of these ids name a project, read in a history ReadSession. */
  async existingIds(session: ReadSession, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await session.all(Prisma.sql`SELECT id FROM "Project" WHERE id IN (${Prisma.join(ids)})`);
    return new Set(rows.map((row) => String(row.id)));
  }
}
