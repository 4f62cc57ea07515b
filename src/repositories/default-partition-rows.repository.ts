import type pg from 'pg';
import { inPostgresWriteTransaction, type PostgresWriteConnection } from '../db/write-connection.ts';
import {
  defaultPartitionName,
  HISTORY_REFERRERS,
  PARTITIONED_HISTORY_TABLES,
  type HistoryPartition,
  type PartitionedHistoryTable,
} from '../domain/history/history-partitions.ts';
import { idTime, idTimeBound } from '../domain/ids.ts';
import { PARTITION_LOCK } from './history-partition.repository.ts';

type HistoryTable = PartitionedHistoryTable['table'];

// As for creating a partition: behind a long query it gives up rather than hold every reader up, and the next round tries again.
const LOCK_TIMEOUT_MS = 5_000;
const SAFE_BOUND = /^[a-z]+_[0-9a-v]{9}$/;
const SAFE_NAME = /^[A-Za-z]+_p[0-9]{8}$/;
/** The column each history table is partitioned by. */
const KEYS: Record<HistoryTable, string> = { Run: 'id', StepRun: 'id', RunEvent: 'runId' };
/** Which history tables a table's rows refer to: deleting rows of these cascades to it. */
const REFERS_TO: Record<HistoryTable, readonly HistoryTable[]> = { Run: [], StepRun: ['Run'], RunEvent: ['Run', 'StepRun'] };
/** Parents before children, as rows are put back; children first as they are taken out. */
const PARENTS_FIRST: readonly HistoryTable[] = ['Run', 'StepRun', 'RunEvent'];

/** What a move took out of the DEFAULT partitions into the period's new partitions: rows per table (0 for a table whose partition existed). */
export type MovedRows = Record<HistoryTable, number>;

/**
 * Moves the rows of one period out of the DEFAULT partitions of "Run", "StepRun" and "RunEvent"
 * into new partitions of that period (PostgreSQL refuses to create a partition while the DEFAULT
 * holds rows of its range). One transaction does it all, so a crash leaves each row where it was.
 */
export class DefaultPartitionRowsRepository {
  constructor(private readonly deps: { writer: PostgresWriteConnection }) {}

  /** The creation time of the oldest row of `table`'s DEFAULT partition made at `from` or later, or null when there is none. */
  async oldestTimeFrom(table: HistoryTable, from: number): Promise<number | null> {
    const history = PARTITIONED_HISTORY_TABLES.find((candidate) => candidate.table === table);
    if (!history) throw new Error(`Not a partitioned history table: ${table}`);
    const key = KEYS[table];
    const { rows } = await this.deps.writer.pool.query<{ key: string }>(
      `SELECT "${key}" AS key FROM "${defaultPartitionName(table)}" WHERE "${key}" >= $1 AND "${key}" < $2 AND "${key}" ~ '^[a-z]+_[0-9a-v]{9}' ORDER BY "${key}" LIMIT 1`,
      [idTimeBound(history.prefix, from), `${history.prefix}_w`],
    );
    const first = rows[0];
    return first ? idTime(first.key) : null;
  }

  /**
   * Creates the period's missing partitions as standalone tables, copies the period's rows of
   * the DEFAULT partitions into them, deletes them there and attaches the tables as the period's
   * partitions, in one transaction. What refers to the moved rows (steps and events in a
   * partition the period already had, log chunks, approvals, cron ticks), which deleting them
   * would cascade to, is kept aside and put back. Null when
   * every partition of the period exists (nothing to move).
   */
  async moveOut(partitions: Record<HistoryTable, HistoryPartition>): Promise<MovedRows | null> {
    for (const partition of Object.values(partitions)) {
      for (const value of [partition.from, partition.to]) if (!SAFE_BOUND.test(value)) throw new Error(`Not an id bound: ${value}`);
      if (!SAFE_NAME.test(partition.name)) throw new Error(`Not a partition name: ${partition.name}`);
    }
    return inPostgresWriteTransaction(this.deps.writer, async (client) => {
      await client.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT_MS}ms'`);
      // The same order as every other writer of partitions: the advisory lock, then the tables parents first.
      await client.query(`SELECT pg_advisory_xact_lock(${PARTITION_LOCK})`);
      await client.query(`LOCK TABLE "Run", "StepRun", "RunEvent" IN ACCESS EXCLUSIVE MODE`);
      const moving = await this.missing(client, partitions);
      if (moving.length === 0) return null;
      const kept = PARENTS_FIRST.filter((table) => !moving.includes(table) && REFERS_TO[table].some((parent) => moving.includes(parent)));

      const moved: MovedRows = { Run: 0, StepRun: 0, RunEvent: 0 };
      for (const table of moving) moved[table] = await this.copyToStandalone(client, partitions[table]);
      await this.keepAside(client, partitions, kept);
      for (const referrer of HISTORY_REFERRERS) await client.query(`DELETE FROM "${referrer.table}" WHERE ${inRange(partitions[referrer.of], referrer.column)}`);
      for (const table of [...PARENTS_FIRST].reverse()) {
        const from = moving.includes(table) ? defaultPartitionName(table) : kept.includes(table) ? table : null;
        if (from !== null) await client.query(`DELETE FROM "${from}" WHERE ${inRange(partitions[table], KEYS[table])}`);
      }
      for (const table of PARENTS_FIRST) {
        const partition = partitions[table];
        if (moving.includes(table)) {
          // Attaching builds the parent's indexes on the filled table, checks its foreign keys with one join each and that the DEFAULT holds none of its range.
          await client.query(`ALTER TABLE "${table}" ATTACH PARTITION "${partition.name}" FOR VALUES FROM ('${partition.from}') TO ('${partition.to}')`);
        } else if (kept.includes(table)) {
          await client.query(`INSERT INTO "${table}" SELECT * FROM "moving_kept_${table}"`);
        }
      }
      for (const referrer of HISTORY_REFERRERS) await client.query(`INSERT INTO "${referrer.table}" SELECT * FROM "moving_kept_${referrer.table}"`);
      return moved;
    });
  }

  /** The history tables without the period's partition, parents first; a partition of that name with other bounds is an error. */
  private async missing(client: pg.PoolClient, partitions: Record<HistoryTable, HistoryPartition>): Promise<HistoryTable[]> {
    const { rows } = await client.query<{ name: string; bound: string | null }>(
      `SELECT c.relname::text AS name, pg_get_expr(c.relpartbound, c.oid) AS bound FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace AND c.relname = ANY ($1::text[])`,
      [Object.values(partitions).map((partition) => partition.name)],
    );
    return PARENTS_FIRST.filter((table) => {
      const partition = partitions[table];
      const found = rows.find((row) => row.name === partition.name);
      if (!found) return true;
      if (found.bound !== `FOR VALUES FROM ('${partition.from}') TO ('${partition.to}')`) {
        throw new Error(`The table ${partition.name} exists but is not the partition of "${table}" for [${partition.from}, ${partition.to}): ${found.bound ?? 'not a partition'}`);
      }
      return false;
    });
  }

  /** A table shaped as `partition`'s parent, holding the period's rows of the DEFAULT partition; how many. */
  private async copyToStandalone(client: pg.PoolClient, partition: HistoryPartition): Promise<number> {
    const table = partition.table;
    await client.query(`CREATE TABLE "${partition.name}" (LIKE "${table}" INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING IDENTITY INCLUDING STORAGE INCLUDING COMMENTS)`);
    const columns = await this.columnsOf(client, table);
    const { rowCount } = await client.query(
      `INSERT INTO "${partition.name}" (${columns}) SELECT ${columns} FROM "${defaultPartitionName(table)}" WHERE ${inRange(partition, KEYS[table])}`,
    );
    // As prisma/postgres/partitioning.sql: a step's name is unique within its run's partition.
    if (table === 'StepRun') await client.query(`CREATE UNIQUE INDEX "${partition.name}_runId_name_key" ON "${partition.name}" ("runId", name)`);
    return rowCount ?? 0;
  }

  /**
   * Copies into temporary tables what deleting the period's rows from the DEFAULT partitions would
   * cascade to and must stay: the rows of `kept` tables in the period and the rows of live
   * tables referring to the period's runs and steps (HISTORY_REFERRERS).
   */
  private async keepAside(client: pg.PoolClient, partitions: Record<HistoryTable, HistoryPartition>, kept: readonly HistoryTable[]): Promise<void> {
    for (const table of kept) {
      await client.query(`CREATE TEMP TABLE "moving_kept_${table}" ON COMMIT DROP AS SELECT * FROM "${table}" WHERE ${inRange(partitions[table], KEYS[table])}`);
    }
    for (const referrer of HISTORY_REFERRERS) {
      await client.query(
        `CREATE TEMP TABLE "moving_kept_${referrer.table}" ON COMMIT DROP AS SELECT * FROM "${referrer.table}" WHERE ${inRange(partitions[referrer.of], referrer.column)}`,
      );
    }
  }

  /** The columns of `table` in order, quoted: a table's own row layout may differ from its parent's. */
  private async columnsOf(client: pg.PoolClient, table: HistoryTable): Promise<string> {
    const { rows } = await client.query<{ name: string }>(
      `SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
      [`"${table}"`],
    );
    return rows.map((row) => `"${row.name}"`).join(', ');
  }
}

function inRange(partition: HistoryPartition, column: string): string {
  return `"${column}" >= '${partition.from}' AND "${column}" < '${partition.to}'`;
}
