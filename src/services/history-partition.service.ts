import type { Logger } from 'pino';
import { intervalPeriodOf, periodFor, type PartitionInterval, type PeriodRange } from '../domain/archive/archive-period.ts';
import {
  missingPeriods,
  partitionFor,
  periodPartitions,
  PARTITIONED_HISTORY_TABLES,
  type HistoryPartition,
  type PartitionedHistoryTable,
} from '../domain/history/history-partitions.ts';
import type { DefaultPartitionRowsRepository, MovedRows } from '../repositories/default-partition-rows.repository.ts';
import type { HistoryPartitionRepository } from '../repositories/history-partition.repository.ts';

// Rows of a DEFAULT partition are counted up to this many: enough to tell a stray run from a flood.
const DEFAULT_ROWS_CAP = 100_000;
// Each period moves in a transaction of its own that locks the history tables; a round moves this many, the next round the rest.
const MOVED_PERIODS_PER_ROUND = 12;

export interface PartitionsAdded {
  created: string[];
  /** Partitions not created because rows of their range lie in the DEFAULT partition. */
  blocked: string[];
}

/** A DEFAULT partition that holds rows: runs of a period without a partition of its own. */
export interface DefaultPartitionRows {
  table: PartitionedHistoryTable['table'];
  /** Counted up to 100,000. */
  rows: number;
}

/** One period's rows moved out of the DEFAULT partitions into its new partitions. */
export interface MovedPeriod {
  partitions: string[];
  rows: MovedRows;
}

/**
 * Keeps PostgreSQL's history partitions ahead of time: the leader adds the periods of
 * PARTITION_INTERVAL from the current one to `aheadIntervals` later, and the seeder those of the
 * past it writes. A row that finds no partition lands in the table's DEFAULT partition, which
 * stays queryable but blocks its period's partitions: the leader's round moves such rows out
 * into their period's partitions, and until then a warning says so.
 */
export class HistoryPartitionService {
  constructor(
    private readonly deps: { partitions: HistoryPartitionRepository; defaultRows: DefaultPartitionRowsRepository; logger: Logger },
    private readonly settings: { interval: PartitionInterval; aheadIntervals: number },
  ) {}

  /** Creates the partitions every instant of [from, to) needs, in every history table; idempotent. */
  async ensurePartitions(from: Date, to: Date): Promise<PartitionsAdded> {
    const added: PartitionsAdded = { created: [], blocked: [] };
    for (const history of PARTITIONED_HISTORY_TABLES) {
      const existing = await this.deps.partitions.periods(history.table);
      for (const period of missingPeriods(from.getTime(), to.getTime(), this.settings.interval, existing)) {
        const partition: HistoryPartition = partitionFor(history, period);
        if (await this.deps.partitions.create(partition)) added.created.push(partition.name);
        else added.blocked.push(partition.name);
      }
    }
    if (added.blocked.length > 0) {
      this.deps.logger.warn({ partitions: added.blocked }, 'partitions.blocked_by_default_rows');
    }
    return added;
  }

  /** Partitions from the current period to `aheadIntervals` ahead: what every process makes sure of at its start, before it writes a run. */
  async ensureAhead(now: Date): Promise<PartitionsAdded> {
    const current = intervalPeriodOf(now.getTime(), this.settings.interval);
    let end = current.end;
    for (let ahead = 0; ahead < this.settings.aheadIntervals; ahead += 1) end = intervalPeriodOf(end, this.settings.interval).end;
    const added = await this.ensurePartitions(new Date(current.start), new Date(end));
    if (added.created.length > 0) this.deps.logger.info({ partitions: added.created }, 'partitions.created');
    return added;
  }

  /**
   * The leader's round: the partitions ahead, the rows of the DEFAULT partitions moved out into
   * partitions of their periods, then a look into the DEFAULT partitions.
   */
  async maintain(now: Date): Promise<{ added: PartitionsAdded; moved: MovedPeriod[]; defaultRows: DefaultPartitionRows[] }> {
    const added = await this.ensureAhead(now);
    const moved = await this.moveDefaultRows();
    const defaultRows = await this.defaultRows();
    if (defaultRows.length > 0) {
      this.deps.logger.warn({ defaultRows }, 'partitions.default_has_rows: history rows lie in a DEFAULT partition (README "Storage layout on PostgreSQL")');
    }
    return { added, moved, defaultRows };
  }

  /**
   * Moves the rows of the DEFAULT partitions into partitions of their periods, a period at a
   * time (one transaction each), oldest first, at most MOVED_PERIODS_PER_ROUND periods.
   */
  async moveDefaultRows(): Promise<MovedPeriod[]> {
    const moved: MovedPeriod[] = [];
    let from = 0;
    for (let period = await this.nextDefaultPeriod(from); period !== null; period = await this.nextDefaultPeriod(from)) {
      if (moved.length === MOVED_PERIODS_PER_ROUND) {
        this.deps.logger.warn({ moved: moved.length, next: new Date(period.start).toISOString() }, 'partitions.default_rows_left: the next round moves more');
        break;
      }
      const partitions = periodPartitions(period);
      const started = performance.now();
      const rows = await this.deps.defaultRows.moveOut(partitions);
      from = period.end;
      if (rows === null) continue;
      const names = Object.values(partitions).map((partition) => partition.name);
      moved.push({ partitions: names, rows });
      this.deps.logger.info({ partitions: names, rows, ms: Math.round(performance.now() - started) }, 'partitions.default_rows_moved');
    }
    return moved;
  }

  /** The period of the oldest row made at `from` or later that lies in a DEFAULT partition, cut as the leader would have made it; null when none. */
  private async nextDefaultPeriod(from: number): Promise<PeriodRange | null> {
    let oldest: { table: PartitionedHistoryTable['table']; at: number } | null = null;
    for (const { table } of PARTITIONED_HISTORY_TABLES) {
      const at = await this.deps.defaultRows.oldestTimeFrom(table, from);
      if (at !== null && (oldest === null || at < oldest.at)) oldest = { table, at };
    }
    if (oldest === null) return null;
    const { period } = periodFor(oldest.at, this.settings.interval, await this.deps.partitions.periods(oldest.table));
    return { start: period.start, end: period.end };
  }

  /** The DEFAULT partitions that hold rows, counted up to `cap`. */
  async defaultRows(cap = DEFAULT_ROWS_CAP): Promise<DefaultPartitionRows[]> {
    const found: DefaultPartitionRows[] = [];
    for (const { table } of PARTITIONED_HISTORY_TABLES) {
      const rows = await this.deps.partitions.defaultRows(table, cap);
      if (rows > 0) found.push({ table, rows });
    }
    return found;
  }

  /** What /readyz reports beside readiness: one line per DEFAULT partition that holds rows (a look for one row each). */
  async warnings(): Promise<string[]> {
    return (await this.defaultRows(1)).map(
      ({ table }) => `The DEFAULT partition of "${table}" holds rows: their period has no partition (README "Storage layout on PostgreSQL")`,
    );
  }
}
