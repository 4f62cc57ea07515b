import type { Db } from '../../db/client.ts';
import type { ReadSession } from '../../db/history-reader.ts';
import { column, type SqlRow } from '../../db/sql-values.ts';
import { archiveStateOf, type ArchiveState } from '../../domain/archive/archive-period.ts';
import { Prisma } from '../../generated/sqlite/client.ts';

/** A row of the archive catalog, typed. */
export interface ArchivePeriodRecord {
  id: string;
  periodStart: Date;
  periodEnd: Date;
  state: ArchiveState;
  /** Where the store keeps the period (SQLite: a file name under DATA_DIR/archive/). */
  location: string;
  /** Runs of batches up to this one are archived; later batches in the store are a move in progress. */
  committedBatch: number;
  runs: number;
  steps: number;
  events: number;
  bytes: number;
  maxSeq: bigint;
  changes: number;
  createdAt: Date;
  updatedAt: Date;
}

/** What one project has in an archived period. */
export interface ArchiveProjectCount {
  archiveId: string;
  projectId: string;
  runs: number;
  events: number;
}

const CATALOG_COLUMNS = Prisma.raw(
  'id, "periodStart", "periodEnd", state, location, "committedBatch", runs, steps, events, bytes, "maxSeq", changes, "createdAt", "updatedAt"',
);

/**
 * The archive catalog in the live database, for both providers: read inside a history read
 * session (so an answer sees the catalog and the live rows of one moment), written through Prisma
 * between batches. What a batch changes is written by the store, in the batch's transaction.
 */
export class ArchiveCatalogRepository {
  constructor(private readonly deps: { db: Db }) {}

  async list(session: ReadSession): Promise<ArchivePeriodRecord[]> {
    const rows = await session.all(Prisma.sql`SELECT ${CATALOG_COLUMNS} FROM "ArchivePeriod" ORDER BY "periodStart"`);
    return rows.map(periodOf);
  }

  async find(session: ReadSession, id: string): Promise<ArchivePeriodRecord | null> {
    const [row] = await session.all(Prisma.sql`SELECT ${CATALOG_COLUMNS} FROM "ArchivePeriod" WHERE id = ${id}`);
    return row ? periodOf(row) : null;
  }

  /** What each project has in each period, for the periods listed (one project's, or every project's). */
  async projectCounts(session: ReadSession, projectId: string | null): Promise<ArchiveProjectCount[]> {
    const where = projectId === null ? Prisma.empty : Prisma.sql`WHERE "projectId" = ${projectId}`;
    const rows = await session.all(Prisma.sql`SELECT "archiveId", "projectId", runs, events FROM "ArchivePeriodProject" ${where}`);
    return rows.map((row) => ({ archiveId: column.text(row, 'archiveId'), projectId: column.text(row, 'projectId'), runs: column.integer(row, 'runs'), events: column.integer(row, 'events') }));
  }

  /**
   * A number that changes with every committed batch, moved or restored: answers that leave
   * archived runs out depend on it, and are cached under it.
   */
  async changes(session: ReadSession): Promise<number> {
    const [row] = await session.all(Prisma.sql`SELECT CAST(COALESCE(SUM(changes), 0) AS INTEGER) AS n FROM "ArchivePeriod"`);
    return row ? column.integer(row, 'n') : 0;
  }

  async create(period: { id: string; periodStart: Date; periodEnd: Date; location: string }): Promise<ArchivePeriodRecord> {
    return recordOf(await this.deps.db.archivePeriod.create({ data: { ...period, state: 'MOVING' } }));
  }

  async setState(id: string, state: ArchiveState, fields: { location?: string; bytes?: number; maxSeq?: bigint } = {}): Promise<ArchivePeriodRecord> {
    const data = { state, ...fields, bytes: fields.bytes === undefined ? undefined : BigInt(fields.bytes) };
    return recordOf(await this.deps.db.archivePeriod.update({ where: { id }, data }));
  }

  /** Forgets a period that holds nothing (a first move that committed no batch). */
  async delete(id: string): Promise<void> {
    await this.deps.db.archivePeriod.delete({ where: { id } });
  }

  async findById(id: string): Promise<ArchivePeriodRecord | null> {
    const row = await this.deps.db.archivePeriod.findUnique({ where: { id } });
    return row && recordOf(row);
  }

  async listAll(): Promise<ArchivePeriodRecord[]> {
    return (await this.deps.db.archivePeriod.findMany({ orderBy: { periodStart: 'asc' } })).map(recordOf);
  }
}

type PrismaPeriod = Awaited<ReturnType<Db['archivePeriod']['findUniqueOrThrow']>>;

function recordOf(row: PrismaPeriod): ArchivePeriodRecord {
  return { ...row, state: archiveStateOf(row.state, `archive ${row.id}`), bytes: Number(row.bytes) };
}

function periodOf(row: SqlRow): ArchivePeriodRecord {
  const id = column.text(row, 'id');
  return {
    id,
    periodStart: column.date(row, 'periodStart'),
    periodEnd: column.date(row, 'periodEnd'),
    state: archiveStateOf(column.text(row, 'state'), `archive ${id}`),
    location: column.text(row, 'location'),
    committedBatch: column.integer(row, 'committedBatch'),
    runs: column.integer(row, 'runs'),
    steps: column.integer(row, 'steps'),
    events: column.integer(row, 'events'),
    bytes: Number(column.bigint(row, 'bytes')),
    maxSeq: column.bigint(row, 'maxSeq'),
    changes: column.integer(row, 'changes'),
    createdAt: column.date(row, 'createdAt'),
    updatedAt: column.date(row, 'updatedAt'),
  };
}
