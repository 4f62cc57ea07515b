import type { ReadSession } from '../../db/history-reader.ts';
import type { Prisma } from '../../generated/sqlite/client.ts';
import type { ArchivePeriodRecord } from '../../repositories/archive/archive-catalog.repository.ts';
import type { BatchTally } from '../../repositories/archive/sqlite-archive-store.ts';
import type { WorkflowBounds } from '../../repositories/archive-selection.repository.ts';
import type { ArchiveCount } from '../../domain/retention/archive-plan.ts';

/**
 * Where archived periods are kept (SQLite: a database file each under DATA_DIR/archive/, see
 * SqliteArchiveStore; PostgreSQL: the period's detached partitions in the schema `archive`, see
 * PostgresArchiveStore). Runs move in and out a batch at a time; each batch commits in one
 * transaction of the live database that also advances the period's committedBatch in the
 * catalog, so a run is archived exactly when its batch is committed, and a query reads an archive
 * only up to the committedBatch it saw in the live database.
 */
export interface ArchiveStore {
  /**
   * Whether a move takes all of a period's runs at once (PostgreSQL detaches its partitions)
   * rather than ARCHIVE_BATCH_RUNS at a time.
   */
  readonly wholePeriods: boolean;
  /** Whether the store drops periods past `archiveDays` (expire). */
  readonly expires: boolean;
  /** A new, unused location for a period named `periodName` that begins at `start`. */
  newLocation(periodName: string, start: Date): string;
  /** Makes the period ready for a move (dropping what a crashed move left) or, with keepLaterBatches, for a restore. */
  open(period: ArchivePeriodRecord, keepLaterBatches?: boolean): Promise<void>;
  /** Moves finished runs in as batch committedBatch + 1; null when they changed meanwhile (nothing moved). */
  moveBatch(period: ArchivePeriodRecord, runIds: readonly string[]): Promise<BatchTally | null>;
  /**
   * With wholePeriods: moves the runs of the period that the workflows' bounds select (of one
   * project, or of all) as its next batch, choosing them in the database; null when none moves.
   */
  movePeriod(period: ArchivePeriodRecord, bounds: readonly WorkflowBounds[], projectId: string | null): Promise<{ tally: BatchTally; counts: ArchiveCount[] } | null>;
  /** With wholePeriods: what movePeriod would move of the runs created before `end`, moving nothing. */
  countMovable(bounds: readonly WorkflowBounds[], projectId: string | null, end: Date): Promise<ArchiveCount[]>;
  /** Moves the newest committed batch (or every batch, with wholePeriods) back into the live store; the committedBatch left. */
  restoreBatch(period: ArchivePeriodRecord): Promise<BatchTally & { committedBatch: number }>;
  /** Done with the period for now: its size in bytes. */
  settle(period: ArchivePeriodRecord): Promise<number>;
  /**
   * Drops a period past `archiveDays` for good: exported first where the store is set to (the
   * files written), its runs taken out of every rollup, its catalog row deleted.
   */
  expire(period: ArchivePeriodRecord): Promise<string[]>;
  /** Deletes what holds the period. */
  remove(period: ArchivePeriodRecord): Promise<void>;
  /** Deletes what holds a period that none of `locations` names (a crash's leftover), last written before `writtenBefore`; what it deleted. */
  removeUnlisted(locations: ReadonlySet<string>, writtenBefore: Date): Promise<string[]>;
  exists(period: ArchivePeriodRecord): Promise<boolean>;
  /** Reads the period; queries keep to its archived runs with visibleRuns. */
  read<T>(period: ArchivePeriodRecord, work: (session: ReadSession) => Promise<T>): Promise<T>;
  /** The condition on "Run" rows (under `alias`) that keeps a query to the runs archived as of `period`. */
  visibleRuns(period: ArchivePeriodRecord, alias?: string): Prisma.Sql;
  /** Gives up to `pages` free pages of the live database back to the file system; how many it did. */
  reclaimSpace(pages: number): Promise<number>;
  close(): Promise<void>;
}
