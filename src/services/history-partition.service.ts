import type { Logger } from 'pino';
import { intervalPeriodOf, type PartitionInterval } from '../domain/archive/archive-period.ts';
import {
  missingPeriods,
  partitionFor,
  PARTITIONED_HISTORY_TABLES,
  type HistoryPartition,
  type PartitionedHistoryTable,
} from '../domain/history/history-partitions.ts';
import type { HistoryPartitionRepository } from '../repositories/history-partition.repository.ts';

// Rows of a DEFAULT partition are counted up to this many: enough to tell a stray run from a flood.
const DEFAULT_ROWS_CAP = 100_000;

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

/**
 * Keeps PostgreSQL's history partitions ahead of time: the leader adds the periods of
 * PARTITION_INTERVAL from the current one to `aheadIntervals` later, and the seeder those of the
 * past it writes. A row that finds no partition lands in the table's DEFAULT partition, which
 * stays queryable but cannot be detached with its period: a warning says so.
 */
export class HistoryPartitionService {
  constructor(
    private readonly deps: { partitions: HistoryPartitionRepository; logger: Logger },
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

  /** The leader's round: partitions from the current period to `aheadIntervals` ahead, then a look into the DEFAULT partitions. */
  async maintain(now: Date): Promise<{ added: PartitionsAdded; defaultRows: DefaultPartitionRows[] }> {
    const current = intervalPeriodOf(now.getTime(), this.settings.interval);
    let end = current.end;
    for (let ahead = 0; ahead < this.settings.aheadIntervals; ahead += 1) end = intervalPeriodOf(end, this.settings.interval).end;
    const added = await this.ensurePartitions(new Date(current.start), new Date(end));
    if (added.created.length > 0) this.deps.logger.info({ partitions: added.created }, 'partitions.created');
    const defaultRows = await this.defaultRows();
    if (defaultRows.length > 0) {
      this.deps.logger.warn({ defaultRows }, 'partitions.default_has_rows: history rows lie in a DEFAULT partition (README "Storage layout on PostgreSQL")');
    }
    return { added, defaultRows };
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
