import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { ReadSession } from '../../db/history-reader.ts';
import { inSqliteWriteTransaction, type SqliteWriteConnection } from '../../db/write-connection.ts';
import { TERMINAL_RUN_STATUSES } from '../../domain/status.ts';
import { DAY_MS, HOUR_MS } from '../../domain/time-buckets.ts';
import { Prisma } from '../../generated/sqlite/client.ts';
import type { ArchivePeriodRecord } from './archive-catalog.repository.ts';
import { archiveSchemaOf, archiveUpgrades, ARCHIVED_TABLES, BATCH_COLUMN, liveColumns, quoted, type ArchivedTable } from './archive-schema.ts';
import type { SqliteArchiveReaders } from './sqlite-archive-readers.ts';

/** What one batch moved, or moved back. */
export interface BatchTally {
  runs: number;
  steps: number;
  logChunks: number;
  events: number;
}

/** The schema name the period being moved is attached under, on the writer's connection. */
const ARCHIVE = 'archive_move';
const BATCH_IDS = 'temp.archive_batch';

/** The page cache of each file during a move, in KiB (a negative cache_size): 32 MiB each. */
const MOVE_CACHE_SIZE = -32_768;

const TERMINAL = [...TERMINAL_RUN_STATUSES].map((status) => `'${status}'`).join(', ');

/**
 * Archived periods as SQLite files under DATA_DIR/archive/, one per period, with the live
 * tables' schema and "Run"."archiveBatch".
 *
 * A batch moves in two transactions on the history writer's connection, with the period's file
 * attached to it: the first copies the batch's runs, steps, log chunks and events into the file
 * (invisible: its batch is past the catalog's committedBatch), the second checks the copy
 * against the live rows, deletes them from the live store, moves their counts to the archived
 * rollups and advances committedBatch: that commit is when the runs become archived. A crash
 * between the two leaves copies nobody reads, which the next move of the period drops first.
 * Restoring runs the other way, a committed batch at a time from the newest.
 */
export class SqliteArchiveStore {
  readonly wholePeriods = false;
  readonly expires = true;
  private readonly columns: Record<ArchivedTable, string>;
  private attached: string | null = null;
  /** The writer's own cache size, while a move uses a larger one. */
  private liveCacheSize: number | null = null;

  constructor(
    private readonly deps: {
      writer: SqliteWriteConnection;
      readers: SqliteArchiveReaders;
      /** DATA_DIR/archive */
      directory: string;
      /** Where a period past `archiveDays` is exported (its file, gzipped) before it is dropped; null: dropped without. */
      exportDirectory: string | null;
      now: () => Date;
    },
  ) {
    const live = deps.writer.database;
    this.columns = Object.fromEntries(ARCHIVED_TABLES.map((table) => [table, liveColumns(live, table).map(quoted).join(', ')])) as Record<ArchivedTable, string>;
  }

  /** The name of a new file for a period. */
  newLocation(periodName: string): string {
    return `${periodName}.${this.deps.now().getTime().toString(36)}.db`;
  }

  /**
   * Makes the period's file ready for its next move or restore: created with the live schema when
   * missing, attached to the writer's connection (in place of the one attached before), and rid
   * of the copies a crashed move left (batches past committedBatch) unless `keepLaterBatches` (a
   * restore in progress, whose later batches are the live store's now and go with the file).
   * Nothing to do while it is attached already.
   */
  async open(period: ArchivePeriodRecord, keepLaterBatches = false): Promise<void> {
    this.openNow(period, keepLaterBatches);
  }

  private openNow(period: ArchivePeriodRecord, keepLaterBatches: boolean): void {
    if (this.attached === period.location) return;
    const file = this.fileOf(period);
    if (!existsSync(file)) this.create(file);
    const live = this.deps.writer.database;
    this.detach();
    live.prepare(`ATTACH DATABASE ? AS ${ARCHIVE}`).run(file);
    this.attached = period.location;
    for (const statement of archiveUpgrades(live, ARCHIVE)) live.exec(statement);
    // The copy must be on disk before the live store forgets the runs (WAL's NORMAL may lose the last commits at a power cut).
    live.pragma(`${ARCHIVE}.synchronous = FULL`);
    // A batch touches pages all over both files' indexes: with SQLite's default cache (2 MiB) most of them are read twice.
    this.liveCacheSize ??= live.pragma('main.cache_size', { simple: true }) as number;
    live.pragma(`main.cache_size = ${MOVE_CACHE_SIZE}`);
    live.pragma(`${ARCHIVE}.cache_size = ${MOVE_CACHE_SIZE}`);
    if (!keepLaterBatches) this.dropLaterBatches(period.committedBatch);
  }

  /**
   * Moves the runs `runIds` (finished, and chosen by the retention policies) into the period's
   * file as batch committedBatch + 1, and out of the live store; null when the live rows no
   * longer match the copy (something changed them meanwhile), and then nothing moved.
   */
  async moveBatch(period: ArchivePeriodRecord, runIds: readonly string[]): Promise<BatchTally | null> {
    this.requireAttached(period);
    const live = this.deps.writer.database;
    const batch = period.committedBatch + 1;
    live.exec(`CREATE TEMP TABLE IF NOT EXISTS ${BATCH_IDS.slice(5)} (id TEXT PRIMARY KEY)`);
    const inBatch = `id IN (SELECT id FROM ${BATCH_IDS})`;
    // Deferred: the copy locks the archive file for writing and only reads the live one.
    const copied = live.transaction(() => {
      live.exec(`DELETE FROM ${BATCH_IDS}`);
      const insert = live.prepare(`INSERT INTO ${BATCH_IDS} (id) VALUES (?)`);
      for (const id of runIds) insert.run(id);
      return this.copy('main', ARCHIVE, inBatch, batch);
    })();
    try {
      return await inSqliteWriteTransaction(this.deps.writer, () => {
        const unchanged = live
          .prepare(
            `SELECT COUNT(*) AS n FROM main."Run" r JOIN ${ARCHIVE}."Run" a ON a.id = r.id AND a."lastSeq" = r."lastSeq" AND a."${BATCH_COLUMN}" = ?
             WHERE r.${inBatch} AND r.status IN (${TERMINAL})`,
          )
          .get(batch) as { n: number };
        if (unchanged.n !== runIds.length || copied.runs !== runIds.length) throw new CopyMismatch();
        this.moveCounts('main', inBatch, period.id, 1);
        const maxSeq = (live.prepare(`SELECT COALESCE(MAX(seq), 0) AS seq FROM main."RunEvent" WHERE "runId" IN (SELECT id FROM ${BATCH_IDS})`).get() as { seq: number }).seq;
        const deleted = this.deleteRuns('main', inBatch);
        // Rows added since the copy (a log piece, an event) would be lost with the live rows: the whole batch stays.
        if (!sameTally(deleted, copied)) throw new CopyMismatch();
        this.commitCatalog(period, batch, deleted, 1, maxSeq);
        return deleted;
      });
    } catch (error) {
      if (!(error instanceof CopyMismatch)) throw error;
      this.dropLaterBatches(period.committedBatch);
      return null;
    }
  }

  /** Moves the newest committed batch of the period back into the live store. */
  async restoreBatch(period: ArchivePeriodRecord): Promise<BatchTally & { committedBatch: number }> {
    this.requireAttached(period);
    const batch = period.committedBatch;
    if (batch < 1) throw new Error(`Archive ${period.id} has no committed batch to restore`);
    const live = this.deps.writer.database;
    return inSqliteWriteTransaction(this.deps.writer, () => {
      const inBatch = `"${BATCH_COLUMN}" = ${batch}`;
      const tally = this.copy(ARCHIVE, 'main', inBatch, null);
      this.moveCounts(ARCHIVE, inBatch, period.id, -1);
      this.commitCatalog(period, batch - 1, tally, -1, 0);
      live.prepare(`DELETE FROM main."ArchivePeriodProject" WHERE "archiveId" = ? AND runs = 0`).run(period.id);
      return { ...tally, committedBatch: batch - 1 };
    });
  }

  /** The file's size once its write-ahead log is folded in; detaches it. */
  async settle(period: ArchivePeriodRecord): Promise<number> {
    if (this.attached === period.location) {
      this.deps.writer.database.pragma(`${ARCHIVE}.wal_checkpoint(TRUNCATE)`);
      this.detach();
    }
    return this.sizeOf(period);
  }

  async movePeriod(period: ArchivePeriodRecord): Promise<never> {
    throw new Error(`Archive ${period.id}: SQLite moves runs a batch at a time (moveBatch), not whole periods`);
  }

  async countMovable(): Promise<never> {
    throw new Error('SQLite moves runs a batch at a time: the selection counts what would move');
  }

  /**
   * Drops a period past `archiveDays` for good: its file, rid of uncommitted copies, is exported
   * gzipped (`<location>.gz`, a SQLite database once unzipped) unless the store is set not to;
   * then one transaction of the live database takes its runs out of the live and the archived
   * rollups and deletes its catalog rows; then the file is deleted. A crash before the commit
   * leaves the period archived (the next round expires it again); after it, a file no catalog row
   * names, which the next recovery removes (removeUnlisted). The files written.
   */
  async expire(period: ArchivePeriodRecord): Promise<string[]> {
    this.openNow(period, false);
    const live = this.deps.writer.database;
    live.pragma(`${ARCHIVE}.wal_checkpoint(TRUNCATE)`);
    const files = this.deps.exportDirectory === null ? [] : [await this.exportFile(period, this.deps.exportDirectory)];
    // The export awaited: another move may have attached another period meanwhile.
    this.openNow(period, false);
    await inSqliteWriteTransaction(this.deps.writer, () => {
      const archived = `"${BATCH_COLUMN}" <= ${period.committedBatch}`;
      for (const [table, column, size] of [
        ['StatusBucket', 'hour', HOUR_MS],
        ['StatusDayBucket', 'day', DAY_MS],
      ] as const) {
        live.exec(`
          UPDATE main."${table}" AS b SET count = b.count - gone.n
          FROM (SELECT "workflowId", "createdAt" - "createdAt" % ${size} AS at, status, trigger, COUNT(*) AS n FROM ${ARCHIVE}."Run" WHERE ${archived} GROUP BY 1, 2, 3, 4) AS gone
          WHERE b."workflowId" = gone."workflowId" AND b.${column} = gone.at AND b.status = gone.status AND b.trigger = gone.trigger`);
        live.exec(`DELETE FROM main."${table}" WHERE count = 0`);
      }
      live.exec(`
        UPDATE main."StatusProjectBucket" AS b SET count = b.count - gone.n
        FROM (SELECT "projectId", "createdAt" - "createdAt" % ${HOUR_MS} AS at, status, COUNT(*) AS n FROM ${ARCHIVE}."Run" WHERE ${archived} GROUP BY 1, 2, 3) AS gone
        WHERE b."projectId" = gone."projectId" AND b.hour = gone.at AND b.status = gone.status`);
      live.exec(`DELETE FROM main."StatusProjectBucket" WHERE count = 0`);
      this.moveCounts(ARCHIVE, archived, period.id, -1);
      live.prepare(`DELETE FROM main."ArchivePeriodProject" WHERE "archiveId" = ?`).run(period.id);
      const deleted = live.prepare(`DELETE FROM main."ArchivePeriod" WHERE id = ? AND "committedBatch" = ?`).run(period.id, period.committedBatch);
      if (deleted.changes !== 1) throw new Error(`Archive ${period.id} changed under its expiry (committedBatch is no longer ${period.committedBatch})`);
    });
    await this.remove(period);
    return files;
  }

  /**
   * Deletes the archive files that none of `locations` names and that were last written before
   * `writtenBefore` (a crash's leftover after an expiry committed, or a restored period's old
   * file); the names deleted.
   */
  async removeUnlisted(locations: ReadonlySet<string>, writtenBefore: Date): Promise<string[]> {
    if (!existsSync(this.deps.directory)) return [];
    const unlisted = readdirSync(this.deps.directory).filter(
      (name) => name.endsWith('.db') && !locations.has(name) && statSync(path.join(this.deps.directory, name)).mtime < writtenBefore,
    );
    for (const location of unlisted) {
      if (this.attached === location) this.detach();
      this.deps.readers.forget(location);
      for (const suffix of ['', '-wal', '-shm']) rmSync(path.join(this.deps.directory, `${location}${suffix}`), { force: true });
    }
    return unlisted;
  }

  /** The period's file gzipped into `directory`, written whole under a temporary name before it takes its own. */
  private async exportFile(period: ArchivePeriodRecord, directory: string): Promise<string> {
    mkdirSync(directory, { recursive: true });
    const target = path.join(directory, `${period.location}.gz`);
    await pipeline(createReadStream(this.fileOf(period)), createGzip(), createWriteStream(`${target}.tmp`));
    renameSync(`${target}.tmp`, target);
    return target;
  }

  /** Deletes the period's file; readers that have it open finish on what they opened. */
  async remove(period: ArchivePeriodRecord): Promise<void> {
    if (this.attached === period.location) this.detach();
    this.deps.readers.forget(period.location);
    const file = this.fileOf(period);
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  }

  /** The condition that keeps a query of the period's file to its archived runs ("Run" rows, under `alias`). */
  visibleRuns(period: ArchivePeriodRecord, alias = ''): Prisma.Sql {
    return Prisma.sql`${Prisma.raw(`${alias}"${BATCH_COLUMN}"`)} <= ${period.committedBatch}`;
  }

  async exists(period: ArchivePeriodRecord): Promise<boolean> {
    return existsSync(this.fileOf(period));
  }

  /** Reads the period's file; only runs of batches up to `period.committedBatch` are archived (see visibleRuns). */
  read<T>(period: ArchivePeriodRecord, work: (session: ReadSession) => Promise<T>): Promise<T> {
    return this.deps.readers.read(period.location, work);
  }

  /**
   * Gives back up to `pages` free pages of the live file to the file system (PRAGMA
   * incremental_vacuum, in one short write transaction); how many it gave back. A file made
   * before auto_vacuum was INCREMENTAL gives back none: it reuses its free pages instead.
   */
  async reclaimSpace(pages: number): Promise<number> {
    const live = this.deps.writer.database;
    return inSqliteWriteTransaction(this.deps.writer, () => {
      const before = live.pragma('main.freelist_count', { simple: true }) as number;
      live.pragma(`main.incremental_vacuum(${Math.max(1, Math.floor(pages))})`);
      return before - (live.pragma('main.freelist_count', { simple: true }) as number);
    });
  }

  async close(): Promise<void> {
    this.detach();
    this.deps.readers.close();
  }

  private create(file: string): void {
    mkdirSync(path.dirname(file), { recursive: true });
    const schema = archiveSchemaOf(this.deps.writer.database);
    const created = new BetterSqlite3(`${file}.new`);
    try {
      created.pragma('journal_mode = WAL');
      created.transaction(() => {
        for (const statement of schema) created.exec(statement);
      })();
      created.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      created.close();
    }
    // Renamed once complete: a crash never leaves a file without its tables.
    for (const suffix of ['-wal', '-shm']) rmSync(`${file}.new${suffix}`, { force: true });
    rmSync(file, { force: true });
    renameSync(`${file}.new`, file);
  }

  private dropLaterBatches(committedBatch: number): void {
    const live = this.deps.writer.database;
    const later = `"${BATCH_COLUMN}" > ${committedBatch}`;
    live.transaction(() => this.deleteRuns(ARCHIVE, `id IN (SELECT id FROM ${ARCHIVE}."Run" WHERE ${later})`))();
  }

  /** Copies the runs `where` selects in schema `from` (with their steps, log chunks and events) into `to`, as batch `batch` of an archive; what it copied. */
  private copy(from: string, to: string, where: string, batch: number | null): BatchTally {
    const live = this.deps.writer.database;
    const runs = `SELECT id FROM ${from}."Run" WHERE ${where}`;
    const steps = `SELECT id FROM ${from}."StepRun" WHERE "runId" IN (${runs})`;
    const runColumns = batch === null ? this.columns.Run : `${this.columns.Run}, "${BATCH_COLUMN}"`;
    const runValues = batch === null ? this.columns.Run : `${this.columns.Run}, ${batch}`;
    const rowsOf = (sql: string) => live.prepare(sql).run().changes;
    return {
      runs: rowsOf(`INSERT INTO ${to}."Run" (${runColumns}) SELECT ${runValues} FROM ${from}."Run" WHERE ${where}`),
      steps: rowsOf(`INSERT INTO ${to}."StepRun" (${this.columns.StepRun}) SELECT ${this.columns.StepRun} FROM ${from}."StepRun" WHERE "runId" IN (${runs})`),
      logChunks: rowsOf(`INSERT INTO ${to}."StepLogChunk" (${this.columns.StepLogChunk}) SELECT ${this.columns.StepLogChunk} FROM ${from}."StepLogChunk" WHERE "stepRunId" IN (${steps})`),
      // In seq order: the target's event table then grows at its end.
      events: rowsOf(`INSERT INTO ${to}."RunEvent" (${this.columns.RunEvent}) SELECT ${this.columns.RunEvent} FROM ${from}."RunEvent" WHERE "runId" IN (${runs}) ORDER BY seq`),
    };
  }

  /** Deletes the runs `where` selects in `schema` and everything of theirs, children first (no cascade works row by row); what it deleted. */
  private deleteRuns(schema: string, where: string): BatchTally {
    const live = this.deps.writer.database;
    const runs = `SELECT id FROM ${schema}."Run" WHERE ${where}`;
    const rowsOf = (sql: string) => live.prepare(sql).run().changes;
    const logChunks = rowsOf(`DELETE FROM ${schema}."StepLogChunk" WHERE "stepRunId" IN (SELECT id FROM ${schema}."StepRun" WHERE "runId" IN (${runs}))`);
    const events = rowsOf(`DELETE FROM ${schema}."RunEvent" WHERE "runId" IN (${runs})`);
    const steps = rowsOf(`DELETE FROM ${schema}."StepRun" WHERE "runId" IN (${runs})`);
    if (schema === 'main') live.exec(`DELETE FROM main."CronTick" WHERE "runId" IN (${runs})`);
    return { runs: rowsOf(`DELETE FROM ${schema}."Run" WHERE ${where}`), steps, logChunks, events };
  }

  /** Moves the runs `where` selects in `schema` into (sign 1) or out of (-1) the archived rollups and the period's per-project counts. */
  private moveCounts(schema: string, where: string, archiveId: string, sign: 1 | -1): void {
    const live = this.deps.writer.database;
    for (const [table, column, size] of [
      ['ArchivedStatusBucket', 'hour', HOUR_MS],
      ['ArchivedStatusDayBucket', 'day', DAY_MS],
    ] as const) {
      live.exec(`
        INSERT INTO main."${table}" ("workflowId", ${column}, status, trigger, "projectId", count)
        SELECT "workflowId", "createdAt" - "createdAt" % ${size}, status, trigger, "projectId", ${sign} * COUNT(*)
        FROM ${schema}."Run" WHERE ${where} GROUP BY 1, 2, 3, 4, 5
        ON CONFLICT ("workflowId", ${column}, status, trigger) DO UPDATE SET count = "${table}".count + excluded.count`);
      live.exec(`DELETE FROM main."${table}" WHERE count = 0`);
    }
    live
      .prepare(
        `INSERT INTO main."ArchivePeriodProject" ("archiveId", "projectId", runs, events)
         SELECT ?, r."projectId", ${sign} * COUNT(*), ${sign} * SUM((SELECT COUNT(*) FROM ${schema}."RunEvent" e WHERE e."runId" = r.id))
         FROM ${schema}."Run" r WHERE ${where} GROUP BY r."projectId"
         ON CONFLICT ("archiveId", "projectId") DO UPDATE SET runs = "ArchivePeriodProject".runs + excluded.runs, events = "ArchivePeriodProject".events + excluded.events`,
      )
      .run(archiveId);
  }

  private commitCatalog(period: ArchivePeriodRecord, committedBatch: number, tally: BatchTally, sign: 1 | -1, maxSeq: number): void {
    const updated = this.deps.writer.database
      .prepare(
        `UPDATE main."ArchivePeriod" SET "committedBatch" = ?, runs = runs + ?, steps = steps + ?, events = events + ?,
           "maxSeq" = MAX("maxSeq", ?), changes = changes + 1, "updatedAt" = ?
         WHERE id = ? AND "committedBatch" = ?`,
      )
      .run(committedBatch, sign * tally.runs, sign * tally.steps, sign * tally.events, maxSeq, this.deps.now().getTime(), period.id, period.committedBatch);
    if (updated.changes !== 1) throw new Error(`Archive ${period.id} changed under its move (committedBatch is no longer ${period.committedBatch})`);
  }

  private requireAttached(period: ArchivePeriodRecord): void {
    if (this.attached !== period.location) throw new Error(`Archive ${period.id} is not open for a move`);
  }

  private detach(): void {
    if (this.attached === null) return;
    const live = this.deps.writer.database;
    live.exec(`DETACH DATABASE ${ARCHIVE}`);
    this.attached = null;
    if (this.liveCacheSize !== null) live.pragma(`main.cache_size = ${this.liveCacheSize}`);
    this.liveCacheSize = null;
  }

  private sizeOf(period: ArchivePeriodRecord): number {
    const file = this.fileOf(period);
    return ['', '-wal'].reduce((sum, suffix) => sum + (existsSync(`${file}${suffix}`) ? statSync(`${file}${suffix}`).size : 0), 0);
  }

  private fileOf(period: ArchivePeriodRecord): string {
    return path.join(this.deps.directory, period.location);
  }
}

/** The live rows of a batch are no longer what was copied: the batch does not move. */
class CopyMismatch extends Error {}

function sameTally(a: BatchTally, b: BatchTally): boolean {
  return a.runs === b.runs && a.steps === b.steps && a.logChunks === b.logChunks && a.events === b.events;
}

