import type { Db, Tx } from '../db/client.ts';
import type { HistoryReader, ReadSession } from '../db/history-reader.ts';
import { column, type SqlRow } from '../db/sql-values.ts';
import type { WorkflowName } from '../domain/history/resolve-run-selection.ts';
import { Prisma, type Workflow, type WorkflowVersion } from '../generated/sqlite/client.ts';

export type WorkflowRecord = Workflow;
export type WorkflowVersionRecord = WorkflowVersion;

/** Every column of a workflow, its tags as JSON text (PostgreSQL's jsonb would come back parsed). */
function workflowColumns(reader: HistoryReader): Prisma.Sql {
  const tags = reader.provider === 'postgresql' ? 'tags::text AS tags' : 'tags';
  return Prisma.raw(
    `id, "projectId", name, description, ${tags}, definition, hash, schedule, enabled, source, "loadError", "lastFiredAt", "retentionHotDays", "retentionKeepLastRuns", "deletedAt", "createdAt", "updatedAt"`,
  );
}

/** SQLite keeps a boolean as 0 or 1, PostgreSQL as a boolean. */
function booleanColumn(row: SqlRow, name: string): boolean {
  const value = row[name];
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1 || value === 0n || value === 1n) return Number(value) === 1;
  throw new TypeError(`Column "${name}" holds ${String(value)}, not a boolean`);
}

function workflowOf(row: SqlRow): WorkflowRecord {
  const tags: Prisma.JsonValue = JSON.parse(column.text(row, 'tags'));
  return {
    id: column.text(row, 'id'),
    projectId: column.text(row, 'projectId'),
    name: column.text(row, 'name'),
    description: column.optionalText(row, 'description'),
    tags,
    definition: column.text(row, 'definition'),
    hash: column.text(row, 'hash'),
    schedule: column.optionalText(row, 'schedule'),
    enabled: booleanColumn(row, 'enabled'),
    source: column.text(row, 'source'),
    loadError: column.optionalText(row, 'loadError'),
    lastFiredAt: column.optionalDate(row, 'lastFiredAt'),
    retentionHotDays: column.optionalInteger(row, 'retentionHotDays'),
    retentionKeepLastRuns: column.optionalInteger(row, 'retentionKeepLastRuns'),
    deletedAt: column.optionalDate(row, 'deletedAt'),
    createdAt: column.date(row, 'createdAt'),
    updatedAt: column.date(row, 'updatedAt'),
  };
}

export class WorkflowRepository {
  constructor(private readonly deps: { db: Db; reader: HistoryReader }) {}

  findById(id: string): Promise<WorkflowRecord | null> {
    return this.deps.db.workflow.findUnique({ where: { id } });
  }

  findByName(projectId: string, name: string, client: Db | Tx = this.deps.db): Promise<WorkflowRecord | null> {
    return client.workflow.findUnique({ where: { projectId_name: { projectId, name } } });
  }

  /**
   * The workflows of a page's runs (their names, why queued ones wait) and the page of workflows
   * the runs page offers as filters: plain statements on the read connection, as every page asks
   * them and Prisma would compile each on the request's thread.
   */
  async listByIds(ids: readonly string[]): Promise<WorkflowRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.deps.reader.all(Prisma.sql`SELECT ${workflowColumns(this.deps.reader)} FROM "Workflow" WHERE id IN (${Prisma.join(ids)})`);
    return rows.map(workflowOf);
  }

  /** Live (not deleted) workflows of these projects, by name, after the (name, id) cursor. */
  async listPage(projectIds: readonly string[], after: { name: string; id: string } | null, take: number): Promise<WorkflowRecord[]> {
    if (projectIds.length === 0 || take <= 0) return [];
    const cursor = after ? Prisma.sql`AND (name > ${after.name} OR (name = ${after.name} AND id > ${after.id}))` : Prisma.empty;
    const rows = await this.deps.reader.all(Prisma.sql`
      SELECT ${workflowColumns(this.deps.reader)} FROM "Workflow"
      WHERE "projectId" IN (${Prisma.join(projectIds)}) AND "deletedAt" IS NULL ${cursor}
      ORDER BY name, id LIMIT ${take}`);
    return rows.map(workflowOf);
  }

  listScheduled(): Promise<WorkflowRecord[]> {
    return this.deps.db.workflow.findMany({ where: { enabled: true, deletedAt: null, schedule: { not: null } } });
  }

  create(data: Prisma.WorkflowUncheckedCreateInput, client: Db | Tx = this.deps.db): Promise<WorkflowRecord> {
    return client.workflow.create({ data });
  }

  update(id: string, data: Prisma.WorkflowUncheckedUpdateInput, client: Db | Tx = this.deps.db): Promise<WorkflowRecord> {
    return client.workflow.update({ where: { id }, data });
  }

  /** Moves lastFiredAt forward to `tick` (never back: another scheduler may have handled a later one). */
  async markTickHandled(id: string, tick: Date): Promise<void> {
    await this.deps.db.workflow.updateMany({ where: { id, OR: [{ lastFiredAt: null }, { lastFiredAt: { lt: tick } }] }, data: { lastFiredAt: tick } });
  }

  async ensureVersion(tx: Tx, data: { id: string; workflowId: string; hash: string; definition: string; createdAt?: Date }): Promise<WorkflowVersionRecord> {
    const existing = await tx.workflowVersion.findUnique({ where: { workflowId_hash: { workflowId: data.workflowId, hash: data.hash } } });
    return existing ?? tx.workflowVersion.create({ data });
  }

  findVersion(workflowId: string, hash: string): Promise<WorkflowVersionRecord | null> {
    return this.deps.db.workflowVersion.findUnique({ where: { workflowId_hash: { workflowId, hash } } });
  }

  listVersionsByIds(ids: readonly string[]): Promise<WorkflowVersionRecord[]> {
    return this.deps.db.workflowVersion.findMany({ where: { id: { in: [...ids] } } });
  }

  /** Names of the workflows (deleted ones too: their history stays) of these projects, or of all when null, read in a history ReadSession. */
  async listNamesOfProjects(session: ReadSession, projectIds: readonly string[] | null): Promise<WorkflowName[]> {
    if (projectIds !== null && projectIds.length === 0) return [];
    const where = projectIds === null ? Prisma.empty : Prisma.sql`WHERE "projectId" IN (${Prisma.join(projectIds)})`;
    return (await session.all(Prisma.sql`SELECT id, "projectId", name FROM "Workflow" ${where}`)).map(toWorkflowName);
  }

  /** Names of these workflows (deleted ones too), read in a history ReadSession. */
  async listNamesByIds(session: ReadSession, ids: readonly string[]): Promise<WorkflowName[]> {
    if (ids.length === 0) return [];
    return (await session.all(Prisma.sql`SELECT id, "projectId", name FROM "Workflow" WHERE id IN (${Prisma.join(ids)})`)).map(toWorkflowName);
  }
}

function toWorkflowName(row: SqlRow): WorkflowName {
  return { id: String(row.id), projectId: String(row.projectId), name: String(row.name) };
}
