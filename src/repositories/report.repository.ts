import type { Db } from '../db/client.ts';
import type { HistoryReader } from '../db/history-reader.ts';
import type { ReportFileStore } from './report-file.store.ts';
import { column, postgresValue, sqliteValue } from '../db/sql-values.ts';
import { inPostgresWriteTransaction, inSqliteWriteTransaction, type WriteConnection } from '../db/write-connection.ts';
import {
  formatsOf,
  oneOf,
  periodKindOf,
  REPORT_DELIVERY_STATES,
  REPORT_ORIGINS,
  REPORT_RECIPIENT_STATES,
  REPORT_STATES,
  reportFormatOf,
  runFilterOf,
  sectionsOf,
  stringListOf,
  type ReportDefinitionFields,
  type ReportDefinitionRecord,
  type ReportDeliveryState,
  type ReportOrigin,
  type ReportRecipientState,
  type ReportRecord,
  type ReportState,
} from '../domain/reports/report-definition.ts';
import type { RenderedReport, ReportFormat } from '../domain/reports/report-content.ts';
import { runStatusOf, type RunStatus } from '../domain/status.ts';
import { Prisma } from '../generated/sqlite/client.ts';

// Names looked up per statement, well under both databases' limits on bound values.
const ORPHAN_LOOKUP_BATCH = 500;
const DEFINITION_INCLUDE = { projects: { select: { projectId: true } } } as const;
type DefinitionRow = Prisma.ReportDefinitionGetPayload<{ include: typeof DEFINITION_INCLUDE }>;
const REPORT_SELECT = {
  id: true,
  definitionId: true,
  periodStart: true,
  periodEnd: true,
  state: true,
  origin: true,
  projectIds: true,
  snapshot: true,
  generatedAt: true,
  total: true,
  totals: true,
  deliveryState: true,
  deliveryTries: true,
  deliveryError: true,
  deliveredAt: true,
  artifacts: { select: { format: true, contentType: true, extension: true, size: true }, orderBy: { format: 'asc' } },
  recipients: { select: { userId: true, projectIds: true, state: true, detail: true, sentAt: true }, orderBy: { userId: 'asc' } },
} as const;
type ReportRow = Prisma.ReportGetPayload<{ select: typeof REPORT_SELECT }>;

/** A report to write with its artifacts, in one transaction. */
export interface NewReport {
  id: string;
  definitionId: string;
  periodStart: Date;
  periodEnd: Date;
  state: ReportState;
  origin: ReportOrigin;
  projectIds: readonly string[];
  snapshot: bigint;
  generatedAt: Date;
  totals: ReadonlyMap<string, number>;
  total: number;
  deliveryState: ReportDeliveryState;
  artifacts: readonly RenderedReport[];
  recipients: readonly { userId: string; projectIds: readonly string[]; state: ReportRecipientState; detail: string | null }[];
  /** The report narrowed to the projects some recipients can read: one per scope (copyScopeOf), in every format of the report. */
  copies: readonly { scope: string; total: number; totals: ReadonlyMap<string, number>; artifacts: readonly RenderedReport[] }[];
}

/** Report definitions, reports and their artifacts. */
export class ReportRepository {
  /** `files`: where formats are stored (SQLite); null: in the database beside the report (PostgreSQL, whose processes may not share a disk). */
  constructor(private readonly deps: { db: Db; writer: WriteConnection; reader: HistoryReader; files: ReportFileStore | null }) {}

  async findDefinition(id: string): Promise<ReportDefinitionRecord | null> {
    const row = await this.deps.db.reportDefinition.findUnique({ where: { id }, include: DEFINITION_INCLUDE });
    return row ? definitionOf(row) : null;
  }

  async definitionsNamed(name: string): Promise<ReportDefinitionRecord[]> {
    const rows = await this.deps.db.reportDefinition.findMany({ where: { name }, include: DEFINITION_INCLUDE, orderBy: { id: 'asc' } });
    return rows.map(definitionOf);
  }

  /** The definitions that cover a project, by name. */
  async definitionsOfProject(projectId: string): Promise<ReportDefinitionRecord[]> {
    const rows = await this.deps.db.reportDefinition.findMany({ where: { projects: { some: { projectId } } }, include: DEFINITION_INCLUDE, orderBy: [{ name: 'asc' }, { id: 'asc' }] });
    return rows.map(definitionOf);
  }

  async enabledDefinitions(): Promise<ReportDefinitionRecord[]> {
    const rows = await this.deps.db.reportDefinition.findMany({ where: { enabled: true }, include: DEFINITION_INCLUDE, orderBy: { id: 'asc' } });
    return rows.map(definitionOf);
  }

  async createDefinition(id: string, fields: ReportDefinitionFields, createdBy: string, now: Date): Promise<ReportDefinitionRecord> {
    const row = await this.deps.db.reportDefinition.create({
      data: { id, ...columnsOf(fields), createdBy, createdAt: now, updatedAt: now, projects: { create: fields.projectIds.map((projectId) => ({ projectId })) } },
      include: DEFINITION_INCLUDE,
    });
    return definitionOf(row);
  }

  async updateDefinition(id: string, fields: ReportDefinitionFields, now: Date): Promise<ReportDefinitionRecord> {
    const row = await this.deps.db.$transaction(async (tx) => {
      await tx.reportDefinitionProject.deleteMany({ where: { definitionId: id } });
      return tx.reportDefinition.update({
        where: { id },
        data: { ...columnsOf(fields), updatedAt: now, projects: { create: fields.projectIds.map((projectId) => ({ projectId })) } },
        include: DEFINITION_INCLUDE,
      });
    });
    return definitionOf(row);
  }

  /** Removes it with its reports; false when there was none. */
  async deleteDefinition(id: string): Promise<boolean> {
    const stored = await this.deps.db.reportArtifact.findMany({ where: { report: { definitionId: id }, file: { not: null } }, select: { file: true } });
    const deleted = (await this.deps.db.reportDefinition.deleteMany({ where: { id } })).count === 1;
    await this.removeFiles(stored.flatMap((artifact) => (artifact.file === null ? [] : [artifact.file])));
    return deleted;
  }

  async findReport(id: string): Promise<ReportRecord | null> {
    const row = await this.deps.db.report.findUnique({ where: { id }, select: REPORT_SELECT });
    return row ? reportOf(row) : null;
  }

  async findReportOfPeriod(definitionId: string, periodStart: Date): Promise<ReportRecord | null> {
    const row = await this.deps.db.report.findUnique({ where: { definitionId_periodStart: { definitionId, periodStart } }, select: REPORT_SELECT });
    return row ? reportOf(row) : null;
  }

  /** Which of these period starts have a report already. */
  async reportedPeriods(definitionId: string, periodStarts: readonly Date[]): Promise<Set<number>> {
    const rows = await this.deps.db.report.findMany({ where: { definitionId, periodStart: { in: [...periodStarts] } }, select: { periodStart: true } });
    return new Set(rows.map((row) => row.periodStart.getTime()));
  }

  /** A page of a definition's reports, latest period first, after (periodStart, id) when given. */
  async reportsOf(definitionId: string, after: { periodStart: Date; id: string } | null, limit: number): Promise<ReportRecord[]> {
    const rows = await this.deps.db.report.findMany({
      where: {
        definitionId,
        ...(after ? { OR: [{ periodStart: { lt: after.periodStart } }, { periodStart: after.periodStart, id: { lt: after.id } }] } : {}),
      },
      orderBy: [{ periodStart: 'desc' }, { id: 'desc' }],
      take: limit,
      select: REPORT_SELECT,
    });
    return rows.map(reportOf);
  }

  /** Reports generated after `afterId` (ids grow with generation time) of definitions covering any of these projects (null: every one). */
  async reportsAfter(afterId: string, projectIds: readonly string[] | null, limit: number): Promise<ReportRecord[]> {
    const rows = await this.deps.db.report.findMany({
      where: { id: { gt: afterId }, ...(projectIds === null ? {} : { definition: { projects: { some: { projectId: { in: [...projectIds] } } } } }) },
      orderBy: { id: 'asc' },
      take: limit,
      select: REPORT_SELECT,
    });
    return rows.map(reportOf);
  }

  /**
   * Writes a report and its artifacts together; false when the period has a report already (the
   * unique key): another process, or an earlier try, got there first.
   */
  async insertReport(report: NewReport): Promise<boolean> {
    // On the history writer's connection, outside Prisma: its engine takes about a second to
    // pass a few megabytes of artifact, the driver a few milliseconds.
    const row = [
      report.id,
      report.definitionId,
      report.periodStart,
      report.periodEnd,
      report.state,
      report.origin,
      JSON.stringify(report.projectIds),
      report.snapshot,
      report.generatedAt,
      report.total,
      JSON.stringify(Object.fromEntries(report.totals)),
      report.deliveryState,
    ];
    const files = this.deps.files;
    const stored = report.artifacts.map((artifact) => ({ artifact, file: files ? files.nameOf(report.id, artifact.fileExtension) : null }));
    if (files) for (const { artifact, file } of stored) if (file !== null) await files.write(file, artifact.bytes);
    const artifacts = stored.map(({ artifact, file }) => [report.id, artifact.format, artifact.contentType, artifact.fileExtension, artifact.bytes.length, file === null ? artifact.bytes : null, file]);
    const recipients = report.recipients.map((recipient) => [report.id, recipient.userId, JSON.stringify(recipient.projectIds), recipient.state, recipient.detail]);
    const copies = report.copies.flatMap((copy) => copy.artifacts.map((artifact) => [report.id, copy.scope, artifact.format, copy.total, JSON.stringify(Object.fromEntries(copy.totals)), artifact.contentType, artifact.fileExtension, artifact.bytes.length, artifact.bytes]));
    const inserts = [
      { sql: `INSERT INTO "ReportArtifact" (${ARTIFACT_COLUMNS})`, rows: artifacts },
      { sql: `INSERT INTO "ReportRecipient" (${RECIPIENT_COLUMNS})`, rows: recipients },
      { sql: `INSERT INTO "ReportCopy" (${COPY_COLUMNS})`, rows: copies },
    ];
    const writer = this.deps.writer;
    try {
      if (writer.provider === 'sqlite') {
        await inSqliteWriteTransaction(writer, () => {
          writer.database.prepare(`INSERT INTO "Report" (${REPORT_COLUMNS}) VALUES (${marks(row.length, () => '?')})`).run(...row.map(sqliteValue));
          for (const { sql, rows } of inserts) for (const values of rows) writer.database.prepare(`${sql} VALUES (${marks(values.length, () => '?')})`).run(...values.map(sqliteValue));
        });
      } else {
        await inPostgresWriteTransaction(writer, async (client) => {
          await client.query(`INSERT INTO "Report" (${REPORT_COLUMNS}) VALUES (${marks(row.length, (index) => `$${index + 1}`)})`, row.map(postgresValue));
          for (const { sql, rows } of inserts) for (const values of rows) await client.query(`${sql} VALUES (${marks(values.length, (index) => `$${index + 1}`)})`, values.map(postgresValue));
        });
      }
      return true;
    } catch (error) {
      await this.removeFiles(stored.flatMap(({ file }) => (file === null ? [] : [file])));
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /** A stored format's bytes, read outside Prisma for the reason insertReport writes outside it. */
  async artifact(reportId: string, format: string): Promise<{ contentType: string; extension: string; bytes: Buffer } | null> {
    const [row] = await this.deps.reader.all(Prisma.sql`SELECT "contentType", extension, bytes, file FROM "ReportArtifact" WHERE "reportId" = ${reportId} AND format = ${format}`);
    if (!row) return null;
    const file = column.optionalText(row, 'file');
    return { contentType: column.text(row, 'contentType'), extension: column.text(row, 'extension'), bytes: file === null ? column.bytes(row, 'bytes') : await this.fileStore(reportId).read(file) };
  }

  private fileStore(reportId: string): ReportFileStore {
    if (!this.deps.files) throw new Error(`Report ${reportId} has a format stored in a file, and this database keeps no report files`);
    return this.deps.files;
  }

  private async removeFiles(names: readonly string[]): Promise<void> {
    if (names.length === 0) return;
    if (!this.deps.files) throw new Error(`Report files ${names.join(', ')} are named in a database that keeps no report files`);
    await this.deps.files.remove(names);
  }

  /**
   * Removes the report files no row names and the temporary files no writer renamed, written
   * before `writtenBefore`: what a crash between writing a report's files and committing its row
   * (or between deleting a definition and removing its files) leaves behind. A file written since
   * may belong to a report still being committed, so it waits for a later sweep. Answers how many
   * files it removed; nothing on a database that keeps no report files.
   */
  async sweepOrphanFiles(writtenBefore: Date): Promise<number> {
    const files = this.deps.files;
    if (!files) return 0;
    const old = (await files.list()).filter((file) => file.modifiedAt < writtenBefore);
    const named = new Set<string>();
    const complete = old.filter((file) => file.complete).map((file) => file.name);
    for (let start = 0; start < complete.length; start += ORPHAN_LOOKUP_BATCH) {
      const batch = complete.slice(start, start + ORPHAN_LOOKUP_BATCH);
      const rows = await this.deps.reader.all(Prisma.sql`SELECT file FROM "ReportArtifact" WHERE file IN (${Prisma.join(batch)})`);
      for (const row of rows) named.add(column.text(row, 'file'));
    }
    const orphans = complete.filter((name) => !named.has(name));
    await files.remove(orphans);
    const temporary = old.filter((file) => !file.complete);
    for (const file of temporary) await files.removeTemporary(file.name);
    return orphans.length + temporary.length;
  }

  /** A report narrowed to a scope (copyScopeOf): its counts and every format's bytes, read as `artifact` is; null when there is none. */
  async copy(reportId: string, scope: string): Promise<{ total: number; totals: { status: RunStatus; count: number }[]; files: { format: ReportFormat; extension: string; contentType: string; bytes: Buffer }[] } | null> {
    const rows = await this.deps.reader.all(Prisma.sql`SELECT format, total, totals, "contentType", extension, bytes FROM "ReportCopy" WHERE "reportId" = ${reportId} AND scope = ${scope} ORDER BY format`);
    const [first] = rows;
    if (!first) return null;
    const where = `report ${reportId} copy ${scope}`;
    return {
      total: column.integer(first, 'total'),
      totals: totalsOf(column.text(first, 'totals'), where),
      files: rows.map((row) => ({ format: reportFormatOf(column.text(row, 'format'), where), extension: column.text(row, 'extension'), contentType: column.text(row, 'contentType'), bytes: column.bytes(row, 'bytes') })),
    };
  }

  /** Records how mailing a recipient their copy went. */
  async settleRecipient(reportId: string, userId: string, state: ReportRecipientState, detail: string | null, sentAt: Date | null): Promise<void> {
    await this.deps.db.reportRecipient.update({ where: { reportId_userId: { reportId, userId } }, data: { state, detail, sentAt } });
  }

  /** Reports waiting to be delivered whose claim (if any) ran out, oldest first. */
  async deliverable(now: Date, limit: number): Promise<ReportRecord[]> {
    const rows = await this.deps.db.report.findMany({
      where: { deliveryState: 'PENDING', OR: [{ deliveryUntil: null }, { deliveryUntil: { lt: now } }] },
      orderBy: { id: 'asc' },
      take: limit,
      select: REPORT_SELECT,
    });
    return rows.map(reportOf);
  }

  /** Takes the delivery of a report until `until`: true for exactly one of two processes that try at once. */
  async claimDelivery(id: string, now: Date, until: Date): Promise<boolean> {
    const claimed = await this.deps.db.report.updateMany({
      where: { id, deliveryState: 'PENDING', OR: [{ deliveryUntil: null }, { deliveryUntil: { lt: now } }] },
      data: { deliveryUntil: until, deliveryTries: { increment: 1 } },
    });
    return claimed.count === 1;
  }

  /** Records how a delivery ended: DELIVERED, FAILED (given up), or PENDING again with the error, to try once the claim ran out. */
  async settleDelivery(id: string, state: ReportDeliveryState, error: string | null, at: Date, retryAt: Date | null): Promise<void> {
    await this.deps.db.report.update({
      where: { id },
      data: { deliveryState: state, deliveryError: error, ...(state === 'DELIVERED' ? { deliveredAt: at } : {}), ...(retryAt ? { deliveryUntil: retryAt } : {}) },
    });
  }
}

const REPORT_COLUMNS = 'id, "definitionId", "periodStart", "periodEnd", state, origin, "projectIds", snapshot, "generatedAt", total, totals, "deliveryState"';
const ARTIFACT_COLUMNS = '"reportId", format, "contentType", extension, size, bytes, file';
const RECIPIENT_COLUMNS = '"reportId", "userId", "projectIds", state, detail';
const COPY_COLUMNS = '"reportId", scope, format, total, totals, "contentType", extension, size, bytes';

function marks(count: number, mark: (index: number) => string): string {
  return Array.from({ length: count }, (_, index) => mark(index)).join(', ');
}

// By code, from either driver: better-sqlite3's constraint codes, PostgreSQL's unique_violation.
function isDuplicateKey(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  return error.code === 'SQLITE_CONSTRAINT_UNIQUE' || error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || error.code === '23505';
}

function columnsOf(fields: ReportDefinitionFields) {
  return {
    name: fields.name,
    schedule: fields.schedule,
    timeZone: fields.timeZone,
    periodKind: fields.periodKind,
    windowHours: fields.windowHours,
    filter: JSON.stringify(fields.filter),
    sections: JSON.stringify(fields.sections),
    formats: JSON.stringify(fields.formats),
    contactPointIds: JSON.stringify(fields.contactPointIds),
    recipientIds: JSON.stringify(fields.recipientIds),
    skipIfEmpty: fields.skipIfEmpty,
    enabled: fields.enabled,
  };
}

function definitionOf(row: DefinitionRow): ReportDefinitionRecord {
  const where = `report definition ${row.id}`;
  return {
    id: row.id,
    name: row.name,
    projectIds: row.projects.map((project) => project.projectId).sort(),
    schedule: row.schedule,
    timeZone: row.timeZone,
    periodKind: periodKindOf(row.periodKind, where),
    windowHours: row.windowHours,
    filter: runFilterOf(row.filter, where),
    sections: sectionsOf(row.sections, where),
    formats: formatsOf(row.formats, where),
    contactPointIds: stringListOf(row.contactPointIds, `${where} contactPointIds`),
    recipientIds: stringListOf(row.recipientIds, `${where} recipientIds`),
    skipIfEmpty: row.skipIfEmpty,
    enabled: row.enabled,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function reportOf(row: ReportRow): ReportRecord {
  const where = `report ${row.id}`;
  return {
    id: row.id,
    definitionId: row.definitionId,
    periodStart: row.periodStart,
    periodEnd: row.periodEnd,
    state: oneOf(REPORT_STATES, row.state, `state of ${where}`),
    origin: oneOf(REPORT_ORIGINS, row.origin, `origin of ${where}`),
    projectIds: stringListOf(row.projectIds, `${where} projectIds`),
    snapshot: row.snapshot,
    generatedAt: row.generatedAt,
    total: row.total,
    totals: totalsOf(row.totals, where),
    deliveryState: oneOf(REPORT_DELIVERY_STATES, row.deliveryState, `delivery state of ${where}`),
    deliveryTries: row.deliveryTries,
    deliveryError: row.deliveryError,
    deliveredAt: row.deliveredAt,
    artifacts: row.artifacts.map((artifact) => ({ format: reportFormatOf(artifact.format, where), contentType: artifact.contentType, extension: artifact.extension, size: artifact.size })),
    recipients: row.recipients.map((recipient) => ({
      userId: recipient.userId,
      projectIds: stringListOf(recipient.projectIds, `${where} recipient ${recipient.userId}`),
      state: oneOf(REPORT_RECIPIENT_STATES, recipient.state, `state of ${where} recipient ${recipient.userId}`),
      detail: recipient.detail,
      sentAt: recipient.sentAt,
    })),
  };
}

function totalsOf(json: string, where: string): { status: RunStatus; count: number }[] {
  const totals: unknown = JSON.parse(json);
  if (typeof totals !== 'object' || totals === null) throw new Error(`The totals of ${where} are not an object`);
  return Object.entries(totals).map(([status, count]) => ({ status: runStatusOf(status, where), count: Number(count) }));
}
