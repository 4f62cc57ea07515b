import type { Db } from '../db/client.ts';
import {
  defaultPartitionName,
  periodOfBounds,
  type HistoryPartition,
  type PartitionedHistoryTable,
} from '../domain/history/history-partitions.ts';
import type { PeriodRange } from '../domain/archive/archive-period.ts';

// Any constant works; it only has to be the same in every Runtrail process.
export const PARTITION_LOCK = 7_402_120;
const LOCK_TIMEOUT_MS = 5_000;
const BOUNDS = /^FOR VALUES FROM \('([a-z]+_[0-9a-v]{9})'\) TO \('([a-z]+_[0-9a-v]{9})'\)$/;
const SAFE_BOUND = /^[a-z]+_[0-9a-v]{9}$/;
const SAFE_NAME = /^[A-Za-z]+_(p[0-9]{8}|default)$/;

/** PostgreSQL's partitions of the history tables (prisma/postgres/partitioning.sql): what exists, and adding more. */
export class HistoryPartitionRepository {
  constructor(private readonly deps: { db: Db }) {}

  /** The time ranges of the partitions `table` has, its DEFAULT partition left out. */
  async periods(table: PartitionedHistoryTable['table']): Promise<PeriodRange[]> {
    const rows = await this.deps.db.$queryRawUnsafe<{ name: string; bound: string }[]>(
      `SELECT c.relname::text AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass`,
      `"${table}"`,
    );
    return rows.flatMap((row) => {
      if (row.bound === 'DEFAULT') return [];
      const bounds = BOUNDS.exec(row.bound);
      const period = bounds?.[1] && bounds[2] ? periodOfBounds(bounds[1], bounds[2]) : null;
      if (!period) throw new Error(`The partition ${row.name} of "${table}" has bounds that are not times of ids: ${row.bound}`);
      return [period];
    });
  }

  /**
   * Creates `partition` unless it exists; false, creating nothing, when rows of its range lie
   * in the DEFAULT partition already (PostgreSQL would refuse). One process at a time adds
   * partitions.
   */
  async create(partition: HistoryPartition): Promise<boolean> {
    for (const value of [partition.from, partition.to]) if (!SAFE_BOUND.test(value)) throw new Error(`Not an id bound: ${value}`);
    if (!SAFE_NAME.test(partition.name)) throw new Error(`Not a partition name: ${partition.name}`);
    const key = partition.table === 'RunEvent' ? '"runId"' : 'id';
    return this.deps.db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${PARTITION_LOCK})`);
      const [stray] = await tx.$queryRawUnsafe<{ found: boolean }[]>(
        `SELECT EXISTS (SELECT 1 FROM "${defaultPartitionName(partition.table)}" WHERE ${key} >= $1 AND ${key} < $2) AS found`,
        partition.from,
        partition.to,
      );
      if (stray?.found) return false;
      // Creating a partition locks its table against every reader for a moment; behind a long
      // query it would hold them all up waiting, so it gives up instead and a later round tries again.
      await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT_MS}ms'`);
      await tx.$executeRawUnsafe(
        `CREATE TABLE IF NOT EXISTS "${partition.name}" PARTITION OF "${partition.table}" FOR VALUES FROM ('${partition.from}') TO ('${partition.to}')`,
      );
      // As prisma/postgres/partitioning.sql: a step's name is unique within its run's partition.
      if (partition.table === 'StepRun') {
        await tx.$executeRawUnsafe(`CREATE UNIQUE INDEX IF NOT EXISTS "${partition.name}_runId_name_key" ON "${partition.name}" ("runId", name)`);
      }
      return true;
    });
  }

  /** How many rows `table`'s DEFAULT partition holds, counted up to `cap`. */
  async defaultRows(table: PartitionedHistoryTable['table'], cap: number): Promise<number> {
    const [row] = await this.deps.db.$queryRawUnsafe<{ rows: number }[]>(
      `SELECT count(*)::int AS rows FROM (SELECT 1 FROM "${defaultPartitionName(table)}" LIMIT $1) AS capped`,
      cap,
    );
    return row?.rows ?? 0;
  }
}
