import { createWriteStream, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { HistoryReader, ReadSession } from '../../db/history-reader.ts';
import { encodeRows, tableOf } from '../../db/row-encoding.ts';
import { inPostgresWriteTransaction, type PostgresWriteConnection } from '../../db/write-connection.ts';
import { HISTORY_REFERRERS, periodPartitions, type HistoryPartition } from '../../domain/history/history-partitions.ts';
import type { ArchiveCount } from '../../domain/retention/archive-plan.ts';
import { KEPT_FAILED_STATUSES } from '../../domain/retention/hot-rules.ts';
import { runStatusOf, TERMINAL_RUN_STATUSES } from '../../domain/status.ts';
import type { WorkflowBounds } from '../archive-selection.repository.ts';
import { Prisma } from '../../generated/sqlite/client.ts';
import type { ArchivePeriodRecord } from './archive-catalog.repository.ts';
import { BATCH_COLUMN } from './archive-schema.ts';
import type { BatchTally } from './sqlite-archive-store.ts';

/** The schema detached periods live in: archive."Run_p20261101", archive."StepRun_p20261101", … */
export const ARCHIVE_SCHEMA = 'archive';

/** The history tables as an archived period holds them, each after the ones it refers to. */
const TABLES = ['Run', 'StepRun', 'StepLogChunk', 'RunEvent'] as const;
type Table = (typeof TABLES)[number];

const LOCATION = /^p[0-9]{8}$/;
// The ACCESS EXCLUSIVE lock waits behind running statements and holds everybody up meanwhile: it gives up instead, and the next round tries again.
const LOCK_TIMEOUT = '10s';
const TERMINAL = [...TERMINAL_RUN_STATUSES].map((status) => `'${status}'`).join(', ');
const KEPT_FAILED = [...KEPT_FAILED_STATUSES].map((status) => `'${status}'`).join(', ');

/**
 * Archived periods on PostgreSQL: a period's partitions of "Run", "StepRun" and "RunEvent",
 * detached from the live tables and moved into the schema `archive` under their own names
 * (with the period's step log chunks beside them), where they stay queryable. Each move is one
 * transaction (PostgreSQL's DDL is transactional), so a crash anywhere leaves every run where it
 * was: in the live partitions, or archived with the catalog saying so.
 *
 * A move detaches the whole partitions when the period's kept-hot runs (active runs, a
 * workflow's last runs, recent failures) are no more than the runs it archives, then makes new
 * live partitions for the same range and moves the kept-hot runs (with their steps, events, log
 * chunks, approvals and cron ticks) back into them. Otherwise (most of the period stays, or it
 * was archived before and more of its runs leave now) the archived runs' rows are copied into
 * the period's archive tables and deleted from the live ones. Not DETACH ... CONCURRENTLY:
 * PostgreSQL refuses it on a table with a DEFAULT partition (which the history tables have), and
 * its two transactions could not move the kept-hot runs back atomically.
 *
 * "Run"."archiveBatch" (added with a constant default, which costs no rewrite) numbers the moves
 * into a period: a query reads only the batches up to the committedBatch it saw in the catalog.
 */
export class PostgresArchiveStore {
  readonly wholePeriods = true;
  readonly expires = true;
  private readonly columns = new Map<Table, string>();

  constructor(
    private readonly deps: {
      writer: PostgresWriteConnection;
      reader: HistoryReader;
      /** Where a period past `archiveDays` is exported before it is dropped; null: dropped without. */
      exportDirectory: string | null;
      now: () => Date;
    },
  ) {}

  /** The period's partition suffix (p20261101): its archive tables are archive."<table>_<suffix>". */
  newLocation(_periodName: string, start: Date): string {
    return `p${start.toISOString().slice(0, 10).replace(/-/g, '')}`;
  }

  /** Nothing to prepare: a move that crashed left nothing behind (its transaction rolled back). */
  async open(): Promise<void> {}

  /** Moves the runs `runIds` (finished, chosen by the policies) of the period; null when they changed meanwhile (nothing moved). */
  async moveBatch(period: ArchivePeriodRecord, runIds: readonly string[]): Promise<BatchTally | null> {
    const moved = await this.move(period, async (client, partitions) => {
      await client.query('CREATE TEMP TABLE archive_batch (id text PRIMARY KEY) ON COMMIT DROP');
      await client.query('INSERT INTO archive_batch SELECT unnest($1::text[])', [runIds]);
      await client.query('ANALYZE archive_batch');
      // Only runs still finished move; a batch that changed meanwhile moves nothing (as on SQLite).
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "Run" WHERE id IN (SELECT id FROM archive_batch) ${rangeOf(partitions.Run, 'id')} AND status IN (${TERMINAL})`,
      );
      return rows[0]?.n === runIds.length ? runIds.length : null;
    });
    return moved && moved.tally;
  }

  /**
   * Moves the runs of the period that the workflows' bounds select (of one project, or of all),
   * chosen in the transaction's SQL (no run read out and sent back); what moved per project and
   * status, or null when no run of the period is to move.
   */
  async movePeriod(period: ArchivePeriodRecord, bounds: readonly WorkflowBounds[], projectId: string | null): Promise<{ tally: BatchTally; counts: ArchiveCount[] } | null> {
    return this.move(period, async (client, partitions) => {
      await this.boundsTable(client, bounds);
      const project = projectId === null ? '' : `AND r."projectId" = $1`;
      await client.query(
        `CREATE TEMP TABLE archive_batch ON COMMIT DROP AS SELECT r.id FROM "Run" r WHERE ${archivable('r')} ${project} ${rangeOf(partitions.Run, 'r.id')}`,
        projectId === null ? [] : [projectId],
      );
      await client.query('ANALYZE archive_batch');
      const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM archive_batch');
      const count = rows[0]?.n ?? 0;
      return count > 0 ? count : null;
    });
  }

  /** What movePeriod would move of the runs created before `end`, per project and status, moving nothing. */
  async countMovable(bounds: readonly WorkflowBounds[], projectId: string | null, end: Date): Promise<ArchiveCount[]> {
    const client = await this.deps.writer.pool.connect();
    try {
      // Not READ ONLY: the bounds go into a temporary table, which the transaction drops.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await this.boundsTable(client, bounds);
      const { rows } = await client.query<{ projectId: string; status: string; n: number }>(
        `SELECT r."projectId", r.status, count(*)::int AS n FROM "Run" r WHERE ${archivable('r')} AND r."createdAt" < $1 ${projectId === null ? '' : 'AND r."projectId" = $2'} GROUP BY 1, 2`,
        projectId === null ? [sqlTime(end.getTime())] : [sqlTime(end.getTime()), projectId],
      );
      await client.query('COMMIT');
      return rows.map((row) => ({ projectId: row.projectId, status: runStatusOf(row.status, `runs of project ${row.projectId}`), count: row.n }));
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * One move into the period, in one transaction: `select` fills archive_batch with the runs that
   * move and says how many (null: none, or they changed; nothing moves). Whole partitions are
   * detached when they can be, else the runs' rows are copied out.
   */
  private async move(
    period: ArchivePeriodRecord,
    select: (client: pg.PoolClient, partitions: Record<LiveTable, HistoryPartition>) => Promise<number | null>,
  ): Promise<{ tally: BatchTally; counts: ArchiveCount[] } | null> {
    const location = safeLocation(period);
    const batch = period.committedBatch + 1;
    try {
      return await inPostgresWriteTransaction(this.deps.writer, async (client) => {
        await client.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${ARCHIVE_SCHEMA}`);
        const partitions = partitionsOf(period);
        const whole = !(await this.archiveExists(client, location)) && (await this.livePartitionsMatch(client, partitions));
        // Whole partitions are locked before the runs are chosen; runs copied out are locked once chosen (a finished run stays finished).
        if (whole) await client.query(`LOCK TABLE "Run", "StepRun", "RunEvent" IN ACCESS EXCLUSIVE MODE`);
        const moving = await select(client, partitions);
        if (moving === null) throw new BatchChanged();
        if (!whole) await client.query(`SELECT id FROM "Run" WHERE id IN (SELECT id FROM archive_batch) ${rangeOf(partitions.Run, 'id')} FOR UPDATE`);
        const kept = whole ? (await this.partitionRuns(client, partitions)) - moving : 0;
        const detached = whole && kept <= moving;
        // The rollups' rows of the period count exactly its runs unless some lie elsewhere (the DEFAULT partition): then its archived rollups are its rollups less the kept-hot runs.
        const fromRollups = detached && (await this.rollupsCount(client, period)) === moving + kept;
        const moved = detached ? await this.detach(client, partitions, location, batch, kept) : await this.copyOut(client, partitions, location, batch);
        if (fromRollups) await this.archiveRollupsOfPeriod(client, period);
        const counted = await this.moveCounts(client, location, period.id, detached ? 'table' : 'batch', 1, !fromRollups);
        const tally = { ...moved, events: counted.events };
        await this.commitCatalog(client, period, batch, tally, 1, counted.maxSeq);
        const { rows } = await client.query<{ projectId: string; status: string; n: number }>(
          `SELECT "projectId", status, count(*)::int AS n FROM ${archived('Run', location)} WHERE "${BATCH_COLUMN}" = ${batch} GROUP BY 1, 2`,
        );
        return { tally, counts: rows.map((row) => ({ projectId: row.projectId, status: runStatusOf(row.status, `runs of project ${row.projectId}`), count: row.n })) };
      });
    } catch (error) {
      if (error instanceof BatchChanged) return null;
      throw error;
    }
  }

  /** The workflows' bounds as the temporary table archive_bounds, which archivable() reads. */
  private async boundsTable(client: pg.PoolClient, bounds: readonly WorkflowBounds[]): Promise<void> {
    await client.query('CREATE TEMP TABLE archive_bounds (workflow_id text PRIMARY KEY, before_at timestamp(3), before_id text, failed_at timestamp(3), failed_id text) ON COMMIT DROP');
    await this.fillBounds(client, bounds);
  }

  private async fillBounds(client: pg.PoolClient, bounds: readonly WorkflowBounds[]): Promise<void> {
    await client.query(
      `INSERT INTO archive_bounds SELECT * FROM unnest($1::text[], $2::timestamp(3)[], $3::text[], $4::timestamp(3)[], $5::text[])`,
      [
        bounds.map((workflow) => workflow.workflowId),
        bounds.map((workflow) => sqlTime(workflow.bounds.before.createdAt.getTime())),
        bounds.map((workflow) => workflow.bounds.before.id),
        bounds.map((workflow) => sqlTime(workflow.bounds.failedBefore.createdAt.getTime())),
        bounds.map((workflow) => workflow.bounds.failedBefore.id),
      ],
    );
    await client.query('ANALYZE archive_bounds');
  }

  /** Moves every archived run of the period back (one transaction), re-attaching its partitions where the live ones have the same range. */
  async restoreBatch(period: ArchivePeriodRecord): Promise<BatchTally & { committedBatch: number }> {
    const location = safeLocation(period);
    return inPostgresWriteTransaction(this.deps.writer, async (client) => {
      await client.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
      if (!(await this.archiveExists(client, location))) throw new Error(`Archive ${period.id} has no tables ${ARCHIVE_SCHEMA}."Run_${location}"`);
      const partitions = partitionsOf(period);
      await this.moveCounts(client, location, period.id, 'table', -1, true);
      const tally = await this.archivedTally(client, location);
      await client.query(`LOCK TABLE "Run", "StepRun", "RunEvent" IN ACCESS EXCLUSIVE MODE`);
      await this.upgradeArchive(client, location);
      if (await this.livePartitionsMatch(client, partitions)) await this.reattach(client, partitions, location);
      else await this.copyBack(client, partitions, location);
      await this.commitCatalog(client, period, 0, tally, -1, 0n);
      await client.query(`DELETE FROM "ArchivePeriodProject" WHERE "archiveId" = $1`, [period.id]);
      return { ...tally, committedBatch: 0 };
    });
  }

  /**
   * Exports the period's archive tables (one `COPY … TO STDOUT` text file each, gzipped, under
   * exportDirectory) unless the store is set not to, then in one transaction takes its runs out
   * of the live and the archived rollups (they no longer exist), deletes its catalog row and
   * drops its tables. The files written.
   */
  async expire(period: ArchivePeriodRecord): Promise<string[]> {
    const location = safeLocation(period);
    const files = this.deps.exportDirectory === null ? [] : await this.exportTables(location, this.deps.exportDirectory);
    await inPostgresWriteTransaction(this.deps.writer, async (client) => {
      const ofRuns = `FROM ${archived('Run', location)} WHERE "${BATCH_COLUMN}" <= ${period.committedBatch}`;
      await this.moveCounts(client, location, period.id, 'table', -1, true);
      for (const [table, column] of [
        ['StatusBucket', 'hour'],
        ['StatusDayBucket', 'day'],
      ] as const) {
        await client.query(
          `UPDATE "${table}" b SET count = b.count - gone.n FROM (SELECT "workflowId", date_trunc('${column}', "createdAt") AS at, status, trigger, count(*)::int AS n ${ofRuns} GROUP BY 1, 2, 3, 4) gone
            WHERE b."workflowId" = gone."workflowId" AND b.${column} = gone.at AND b.status = gone.status AND b.trigger = gone.trigger`,
        );
        await client.query(`DELETE FROM "${table}" WHERE count = 0`);
      }
      await client.query(
        `UPDATE "StatusProjectBucket" b SET count = b.count - gone.n FROM (SELECT "projectId", date_trunc('hour', "createdAt") AS at, status, count(*)::int AS n ${ofRuns} GROUP BY 1, 2, 3) gone
          WHERE b."projectId" = gone."projectId" AND b.hour = gone.at AND b.status = gone.status`,
      );
      await client.query(`DELETE FROM "StatusProjectBucket" WHERE count = 0`);
      await client.query(`DELETE FROM "ArchivePeriod" WHERE id = $1`, [period.id]);
      await client.query(`DROP TABLE ${TABLES.map((table) => archived(table, location)).join(', ')}`);
    });
    return files;
  }

  /** Each archive table of the period as `COPY … TO STDOUT` text, gzipped, written whole before it takes its name. */
  private async exportTables(location: string, directory: string): Promise<string[]> {
    mkdirSync(directory, { recursive: true });
    const stamp = this.deps.now().getTime().toString(36);
    // A connection of its own: the writer's single one would hold every status change up for the whole export.
    const client = new pg.Client(this.deps.writer.pool.options);
    await client.connect();
    try {
      const files: string[] = [];
      for (const table of TABLES) {
        const file = path.join(directory, `${table}_${location}.${stamp}.tsv.gz`);
        await pipeline(client.query(copyTo(`COPY ${archived(table, location)} TO STDOUT`)), createGzip(), createWriteStream(`${file}.part`));
        renameSync(`${file}.part`, file);
        files.push(file);
      }
      return files;
    } finally {
      await client.end();
    }
  }

  /** The size of the period's archive tables with their indexes and TOAST. */
  async settle(period: ArchivePeriodRecord): Promise<number> {
    const location = safeLocation(period);
    const { rows } = await this.deps.writer.pool.query<{ bytes: string | null }>(
      `SELECT sum(pg_total_relation_size(c.oid))::text AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relname = ANY ($2::text[])`,
      [ARCHIVE_SCHEMA, TABLES.map((table) => `${table}_${location}`)],
    );
    return Number(rows[0]?.bytes ?? 0);
  }

  /** Drops the period's archive tables. */
  async remove(period: ArchivePeriodRecord): Promise<void> {
    const location = safeLocation(period);
    await this.deps.writer.pool.query(`DROP TABLE IF EXISTS ${TABLES.map((table) => archived(table, location)).join(', ')}`);
  }

  /** Nothing to remove: an expiry drops a period's tables in the transaction that deletes its catalog row. */
  async removeUnlisted(): Promise<string[]> {
    return [];
  }

  async exists(period: ArchivePeriodRecord): Promise<boolean> {
    return this.archiveExists(this.deps.writer.pool, safeLocation(period));
  }

  /**
   * Reads the period on the history reader: the same SQL as for live runs, its history tables
   * named as the period's archive tables ("Run" as archive."Run_p20261101"; the live tables it
   * joins, workflows and projects, stay).
   */
  async read<T>(period: ArchivePeriodRecord, work: (session: ReadSession) => Promise<T>): Promise<T> {
    const location = safeLocation(period);
    return work({ all: (query) => this.deps.reader.all(inArchive(query, location)), encoded: async (query, encoding) => encodeRows(tableOf(await this.deps.reader.all(inArchive(query, location))), encoding) });
  }

  visibleRuns(period: ArchivePeriodRecord, alias = ''): Prisma.Sql {
    return Prisma.sql`${Prisma.raw(`${alias}"${BATCH_COLUMN}"`)} <= ${period.committedBatch}`;
  }

  /** Nothing to give back by hand: detached tables take their space with them, and autovacuum reuses what row moves free. */
  async reclaimSpace(): Promise<number> {
    return 0;
  }

  async close(): Promise<void> {}

  private async detach(client: pg.PoolClient, partitions: Record<LiveTable, HistoryPartition>, location: string, batch: number, kept: number): Promise<Omit<BatchTally, 'events'>> {
    const run = partitions.Run;
    const step = partitions.StepRun;
    await client.query(`CREATE TEMP TABLE archive_kept (id text) ON COMMIT DROP`);
    if (kept > 0) await client.query(`INSERT INTO archive_kept SELECT id FROM "${run.name}" r WHERE NOT EXISTS (SELECT 1 FROM archive_batch b WHERE b.id = r.id)`);
    await client.query(`CREATE TEMP TABLE archive_kept_steps ON COMMIT DROP AS SELECT id FROM "${step.name}" WHERE "runId" = ANY (ARRAY(SELECT id FROM archive_kept))`);
    await client.query('ANALYZE archive_kept, archive_kept_steps');
    // Rows of live tables refer to the period's runs and steps: a partition referred to cannot be
    // detached. Those of kept-hot runs wait in temporary tables, the archived runs' log chunks go
    // to the archive, their cron ticks and approvals go (as a deletion of the runs cascades to them).
    await client.query(`CREATE TABLE ${archived('StepLogChunk', location)} (LIKE "StepLogChunk" INCLUDING ALL)`);
    for (const referring of HISTORY_REFERRERS) {
      const range = rangeOf(partitions[referring.of], `"${referring.column}"`);
      const keptIds = referring.of === 'Run' ? 'archive_kept' : 'archive_kept_steps';
      await client.query(`CREATE TEMP TABLE "archive_stash_${referring.table}" ON COMMIT DROP AS SELECT * FROM "${referring.table}" WHERE "${referring.column}" IN (SELECT id FROM ${keptIds}) ${range}`);
      if (referring.table === 'StepLogChunk') {
        await client.query(`INSERT INTO ${archived('StepLogChunk', location)} SELECT * FROM "StepLogChunk" WHERE "stepRunId" NOT IN (SELECT id FROM archive_kept_steps) ${range}`);
      }
      await client.query(`DELETE FROM "${referring.table}" WHERE TRUE ${range}`);
    }
    for (const table of ['RunEvent', 'StepRun', 'Run'] as const) {
      const partition = partitions[table];
      await client.query(`ALTER TABLE "${table}" DETACH PARTITION "${partition.name}"`);
      // The detached table keeps the foreign keys of its parent; an archive refers to nothing live (nor blocks deleting it).
      const { rows } = await client.query<{ name: string }>(
        `SELECT conname AS name FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'f' AND conparentid = 0`,
        [`"${partition.name}"`],
      );
      for (const row of rows) await client.query(`ALTER TABLE "${partition.name}" DROP CONSTRAINT "${row.name}"`);
      await client.query(`ALTER TABLE "${partition.name}" SET SCHEMA ${ARCHIVE_SCHEMA}`);
    }
    await client.query(`ALTER TABLE ${archived('Run', location)} ADD COLUMN "${BATCH_COLUMN}" integer NOT NULL DEFAULT ${batch}`);
    await this.createLivePartitions(client, partitions);
    // The kept-hot runs back into the new live partitions, each table after the ones it refers to.
    // `= ANY (ARRAY(…))`: a lookup of each kept run in the index on "runId", never a scan of the period's events.
    const runColumns = await this.columnsOf(client, 'Run');
    await client.query(`INSERT INTO "Run" (${runColumns}) SELECT ${runColumns} FROM ${archived('Run', location)} WHERE id = ANY (ARRAY(SELECT id FROM archive_kept))`);
    await client.query(`INSERT INTO "StepRun" SELECT * FROM ${archived('StepRun', location)} WHERE "runId" = ANY (ARRAY(SELECT id FROM archive_kept))`);
    await client.query(`INSERT INTO "RunEvent" SELECT * FROM ${archived('RunEvent', location)} WHERE "runId" = ANY (ARRAY(SELECT id FROM archive_kept))`);
    for (const referring of HISTORY_REFERRERS) await client.query(`INSERT INTO "${referring.table}" SELECT * FROM "archive_stash_${referring.table}"`);
    await client.query(`DELETE FROM ${archived('RunEvent', location)} WHERE "runId" = ANY (ARRAY(SELECT id FROM archive_kept))`);
    await client.query(`DELETE FROM ${archived('StepRun', location)} WHERE "runId" = ANY (ARRAY(SELECT id FROM archive_kept))`);
    await client.query(`DELETE FROM ${archived('Run', location)} WHERE id = ANY (ARRAY(SELECT id FROM archive_kept))`);
    const { rows } = await client.query<{ steps: number; chunks: number }>(
      `SELECT (SELECT count(*)::int FROM ${archived('StepRun', location)}) AS steps, (SELECT count(*)::int FROM ${archived('StepLogChunk', location)}) AS chunks`,
    );
    const { rows: batchRuns } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM archive_batch');
    return { runs: batchRuns[0]?.n ?? 0, steps: rows[0]?.steps ?? 0, logChunks: rows[0]?.chunks ?? 0 };
  }

  /** The archived runs' rows copied into the period's archive tables (made when missing) and deleted from the live ones. */
  private async copyOut(client: pg.PoolClient, partitions: Record<LiveTable, HistoryPartition>, location: string, batch: number): Promise<BatchTally> {
    if (!(await this.archiveExists(client, location))) {
      for (const table of TABLES) await client.query(`CREATE TABLE ${archived(table, location)} (LIKE "${table}" INCLUDING DEFAULTS INCLUDING INDEXES)`);
      await client.query(`ALTER TABLE ${archived('Run', location)} ADD COLUMN "${BATCH_COLUMN}" integer NOT NULL DEFAULT ${batch}`);
    } else {
      await this.upgradeArchive(client, location);
    }
    const runs = `SELECT id FROM archive_batch`;
    const runRange = rangeOf(partitions.Run, '"runId"');
    await client.query(`CREATE TEMP TABLE archive_batch_steps ON COMMIT DROP AS SELECT id FROM "StepRun" WHERE "runId" IN (${runs}) ${rangeOf(partitions.StepRun, 'id')}`);
    await client.query('ANALYZE archive_batch_steps');
    const runColumns = await this.columnsOf(client, 'Run');
    const copied = async (sql: string) => (await client.query(sql)).rowCount ?? 0;
    const tally: BatchTally = {
      runs: await copied(`INSERT INTO ${archived('Run', location)} (${runColumns}, "${BATCH_COLUMN}") SELECT ${runColumns}, ${batch} FROM "Run" WHERE id IN (${runs}) ${rangeOf(partitions.Run, 'id')}`),
      steps: await copied(`INSERT INTO ${archived('StepRun', location)} SELECT * FROM "StepRun" WHERE id IN (SELECT id FROM archive_batch_steps) ${rangeOf(partitions.StepRun, 'id')}`),
      logChunks: await copied(`INSERT INTO ${archived('StepLogChunk', location)} SELECT * FROM "StepLogChunk" WHERE "stepRunId" IN (SELECT id FROM archive_batch_steps)`),
      events: await copied(`INSERT INTO ${archived('RunEvent', location)} SELECT * FROM "RunEvent" WHERE "runId" IN (${runs}) ${runRange} ORDER BY seq`),
    };
    // Deleting the runs cascades to their steps, events, log chunks, approvals and cron ticks.
    await client.query(`DELETE FROM "Run" WHERE id IN (${runs}) ${rangeOf(partitions.Run, 'id')}`);
    return tally;
  }

  /** The period's archive tables back into the live tables as their partitions, with the rows of the live partitions of the same range merged in. */
  private async reattach(client: pg.PoolClient, partitions: Record<LiveTable, HistoryPartition>, location: string): Promise<void> {
    // The live partitions' rows (runs kept hot, or run since) join the archived ones; what refers to them waits meanwhile.
    for (const referring of HISTORY_REFERRERS) {
      const range = rangeOf(partitions[referring.of], `"${referring.column}"`);
      await client.query(`CREATE TEMP TABLE "archive_stash_${referring.table}" ON COMMIT DROP AS SELECT * FROM "${referring.table}" WHERE TRUE ${range}`);
      await client.query(`DELETE FROM "${referring.table}" WHERE TRUE ${range}`);
    }
    const runColumns = await this.columnsOf(client, 'Run');
    for (const table of ['RunEvent', 'StepRun', 'Run'] as const) {
      const partition = partitions[table];
      await client.query(`ALTER TABLE "${table}" DETACH PARTITION "${partition.name}"`);
      const columns = table === 'Run' ? runColumns : '*';
      await client.query(`INSERT INTO ${archived(table, location)} ${table === 'Run' ? `(${runColumns})` : ''} SELECT ${columns} FROM "${partition.name}"`);
      await client.query(`DROP TABLE "${partition.name}"`);
    }
    await client.query(`ALTER TABLE ${archived('Run', location)} DROP COLUMN "${BATCH_COLUMN}"`);
    for (const table of ['Run', 'StepRun', 'RunEvent'] as const) {
      const partition = partitions[table];
      await client.query(`ALTER TABLE ${archived(table, location)} SET SCHEMA public`);
      await client.query(`ALTER TABLE "${table}" ATTACH PARTITION "${partition.name}" FOR VALUES FROM ('${partition.from}') TO ('${partition.to}')`);
    }
    await client.query(`INSERT INTO "StepLogChunk" SELECT * FROM ${archived('StepLogChunk', location)}`);
    await client.query(`DROP TABLE ${archived('StepLogChunk', location)}`);
    for (const referring of HISTORY_REFERRERS) await client.query(`INSERT INTO "${referring.table}" SELECT * FROM "archive_stash_${referring.table}"`);
  }

  /** The archived rows inserted into the live tables (their range has no partition of its own), and the archive tables dropped. */
  private async copyBack(client: pg.PoolClient, _partitions: Record<LiveTable, HistoryPartition>, location: string): Promise<void> {
    const runColumns = await this.columnsOf(client, 'Run');
    await client.query(`INSERT INTO "Run" (${runColumns}) SELECT ${runColumns} FROM ${archived('Run', location)}`);
    for (const table of ['StepRun', 'StepLogChunk', 'RunEvent'] as const) await client.query(`INSERT INTO "${table}" SELECT * FROM ${archived(table, location)}`);
    await client.query(`DROP TABLE ${TABLES.map((table) => archived(table, location)).join(', ')}`);
  }

  private async createLivePartitions(client: pg.PoolClient, partitions: Record<LiveTable, HistoryPartition>): Promise<void> {
    for (const partition of Object.values(partitions)) {
      await client.query(`CREATE TABLE "${partition.name}" PARTITION OF "${partition.table}" FOR VALUES FROM ('${partition.from}') TO ('${partition.to}')`);
    }
    // As prisma/postgres/partitioning.sql: a step's name is unique within its run's partition.
    await client.query(`CREATE UNIQUE INDEX "${partitions.StepRun.name}_runId_name_key" ON "${partitions.StepRun.name}" ("runId", name)`);
  }

  /** How many runs the period's live partition holds. */
  private async partitionRuns(client: pg.PoolClient, partitions: Record<LiveTable, HistoryPartition>): Promise<number> {
    const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${partitions.Run.name}"`);
    return rows[0]?.n ?? 0;
  }

  /** Whether the live tables have partitions named as the period's with exactly its range. */
  private async livePartitionsMatch(client: pg.PoolClient, partitions: Record<LiveTable, HistoryPartition>): Promise<boolean> {
    const wanted = Object.values(partitions);
    const { rows } = await client.query<{ name: string; bound: string }>(
      `SELECT c.relname::text AS name, pg_get_expr(c.relpartbound, c.oid) AS bound FROM pg_class c JOIN pg_inherits i ON i.inhrelid = c.oid
        WHERE c.relnamespace = 'public'::regnamespace AND c.relname = ANY ($1::text[])`,
      [wanted.map((partition) => partition.name)],
    );
    return wanted.every((partition) => rows.some((row) => row.name === partition.name && row.bound === `FOR VALUES FROM ('${partition.from}') TO ('${partition.to}')`));
  }

  /**
   * An archive written before the live tables gained nullable columns (Run.parentRunId, say)
   * gets them too, so the copies and the re-attaching between the two line up.
   */
  private async upgradeArchive(client: pg.PoolClient, location: string): Promise<void> {
    for (const table of TABLES) {
      const { rows } = await client.query<{ name: string; type: string }>(
        `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a
         WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped AND NOT a.attnotnull
           AND NOT EXISTS (SELECT 1 FROM pg_attribute b WHERE b.attrelid = $2::regclass AND b.attname = a.attname AND NOT b.attisdropped)`,
        [`public."${table}"`, archived(table, location)],
      );
      for (const row of rows) await client.query(`ALTER TABLE ${archived(table, location)} ADD COLUMN "${row.name}" ${row.type}`);
    }
  }

  private async archiveExists(client: pg.Pool | pg.PoolClient, location: string): Promise<boolean> {
    const { rows } = await client.query<{ found: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS found`, [archived('Run', location)]);
    return rows[0]?.found === true;
  }

  /**
   * Moves archived runs into (sign 1) or out of (-1) the archived rollups and the period's
   * per-project counts: those of the batch (`batch`: the runs of archive_batch) or every run of
   * the period's tables (`table`). Its events, counted in one pass: how many, and the highest seq.
   */
  private async moveCounts(client: pg.PoolClient, location: string, archiveId: string, scope: 'batch' | 'table', sign: 1 | -1, rollups: boolean): Promise<{ events: number; maxSeq: bigint }> {
    const runs = scope === 'batch' ? 'WHERE id IN (SELECT id FROM archive_batch)' : '';
    const events = scope === 'batch' ? 'WHERE "runId" IN (SELECT id FROM archive_batch)' : '';
    for (const [table, column, unit] of rollups ? ROLLUPS : []) {
      await client.query(`
        INSERT INTO "${table}" ("workflowId", ${column}, status, trigger, "projectId", count)
        SELECT "workflowId", date_trunc('${unit}', "createdAt"), status, trigger, "projectId", ${sign} * COUNT(*)::int
        FROM ${archived('Run', location)} ${runs} GROUP BY 1, 2, 3, 4, 5
        ON CONFLICT ("workflowId", ${column}, status, trigger) DO UPDATE SET count = "${table}".count + excluded.count`);
      await client.query(`DELETE FROM "${table}" WHERE count = 0`);
    }
    if (sign === -1) return { events: 0, maxSeq: 0n };
    const { rows } = await client.query<{ events: number | null; seq: string | null }>(
      `WITH runs AS (SELECT "projectId", count(*)::int AS runs FROM ${archived('Run', location)} ${runs} GROUP BY "projectId"),
            events AS (SELECT "projectId", count(*)::int AS events, max(seq) AS seq FROM ${archived('RunEvent', location)} ${events} GROUP BY "projectId"),
            counted AS (
              INSERT INTO "ArchivePeriodProject" ("archiveId", "projectId", runs, events)
              SELECT $1, runs."projectId", runs.runs, COALESCE(events.events, 0) FROM runs LEFT JOIN events USING ("projectId")
              ON CONFLICT ("archiveId", "projectId") DO UPDATE SET runs = "ArchivePeriodProject".runs + excluded.runs, events = "ArchivePeriodProject".events + excluded.events)
       SELECT sum(events)::int AS events, max(seq)::text AS seq FROM events`,
      [archiveId],
    );
    return { events: rows[0]?.events ?? 0, maxSeq: BigInt(rows[0]?.seq ?? 0) };
  }

  /** How many runs the hourly and the daily rollups count in the period; null when they disagree. */
  private async rollupsCount(client: pg.PoolClient, period: ArchivePeriodRecord): Promise<number | null> {
    const { rows } = await client.query<{ hours: number | null; days: number | null }>(
      `SELECT (SELECT sum(count)::int FROM "StatusBucket" WHERE hour >= $1 AND hour < $2) AS hours, (SELECT sum(count)::int FROM "StatusDayBucket" WHERE day >= $1 AND day < $2) AS days`,
      [period.periodStart, period.periodEnd],
    );
    const row = rows[0];
    return row && row.hours === row.days ? (row.hours ?? 0) : null;
  }

  /**
   * The archived rollups of a period just detached whole (no run of it was archived before): its
   * rows of the live rollups (already grouped, a few per hour) less the kept-hot runs, rather than
   * a grouping of every archived run.
   */
  private async archiveRollupsOfPeriod(client: pg.PoolClient, period: ArchivePeriodRecord): Promise<void> {
    for (const [table, column, unit] of ROLLUPS) {
      const live = table === 'ArchivedStatusBucket' ? 'StatusBucket' : 'StatusDayBucket';
      await client.query(
        `INSERT INTO "${table}" ("workflowId", ${column}, status, trigger, "projectId", count)
         SELECT "workflowId", ${column}, status, trigger, "projectId", sum(count)::int FROM (
           SELECT "workflowId", ${column}, status, trigger, "projectId", count FROM "${live}" WHERE ${column} >= $1 AND ${column} < $2
           UNION ALL
           SELECT "workflowId", date_trunc('${unit}', "createdAt"), status, trigger, "projectId", -count(*)::int FROM "Run"
            WHERE id = ANY (ARRAY(SELECT id FROM archive_kept)) GROUP BY 1, 2, 3, 4, 5
         ) AS counted GROUP BY 1, 2, 3, 4, 5 HAVING sum(count) <> 0
         ON CONFLICT ("workflowId", ${column}, status, trigger) DO UPDATE SET count = "${table}".count + excluded.count`,
        [period.periodStart, period.periodEnd],
      );
    }
  }

  private async archivedTally(client: pg.PoolClient, location: string): Promise<BatchTally> {
    const { rows } = await client.query<{ runs: number; steps: number; chunks: number; events: number }>(
      `SELECT (SELECT count(*)::int FROM ${archived('Run', location)}) AS runs, (SELECT count(*)::int FROM ${archived('StepRun', location)}) AS steps,
              (SELECT count(*)::int FROM ${archived('StepLogChunk', location)}) AS chunks, (SELECT count(*)::int FROM ${archived('RunEvent', location)}) AS events`,
    );
    const row = rows[0];
    if (!row) throw new Error(`No tally of archive ${location}`);
    return { runs: row.runs, steps: row.steps, logChunks: row.chunks, events: row.events };
  }

  private async commitCatalog(client: pg.PoolClient, period: ArchivePeriodRecord, committedBatch: number, tally: BatchTally, sign: 1 | -1, maxSeq: bigint): Promise<void> {
    const updated = await client.query(
      `UPDATE "ArchivePeriod" SET "committedBatch" = $1, runs = runs + $2, steps = steps + $3, events = events + $4,
         "maxSeq" = GREATEST("maxSeq", $5::bigint), changes = changes + 1, "updatedAt" = $6
       WHERE id = $7 AND "committedBatch" = $8`,
      [committedBatch, sign * tally.runs, sign * tally.steps, sign * tally.events, maxSeq.toString(), this.deps.now(), period.id, period.committedBatch],
    );
    if (updated.rowCount !== 1) throw new Error(`Archive ${period.id} changed under its move (committedBatch is no longer ${period.committedBatch})`);
  }

  /** The live columns of `table`, quoted, in order (an archived "Run" has one more). */
  private async columnsOf(client: pg.PoolClient, table: Table): Promise<string> {
    const known = this.columns.get(table);
    if (known) return known;
    const { rows } = await client.query<{ name: string }>(
      `SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
      [`public."${table}"`],
    );
    const columns = rows.map((row) => `"${row.name}"`).join(', ');
    this.columns.set(table, columns);
    return columns;
  }
}

type LiveTable = 'Run' | 'StepRun' | 'RunEvent';

/** The archived rollups, each with its time column and unit. */
const ROLLUPS = [
  ['ArchivedStatusBucket', 'hour', 'hour'],
  ['ArchivedStatusDayBucket', 'day', 'day'],
] as const;

/** A batch whose runs changed since they were chosen: it moves nothing. */
class BatchChanged extends Error {}

function partitionsOf(period: ArchivePeriodRecord): Record<LiveTable, HistoryPartition> {
  return periodPartitions({ start: period.periodStart.getTime(), end: period.periodEnd.getTime() });
}

function safeLocation(period: ArchivePeriodRecord): string {
  if (!LOCATION.test(period.location)) throw new Error(`Archive ${period.id} has no PostgreSQL location: ${period.location}`);
  return period.location;
}

function archived(table: Table, location: string): string {
  return `${ARCHIVE_SCHEMA}."${table}_${location}"`;
}

/**
 * Whether the run `alias` moves by its workflow's bounds (archive_bounds): withinBounds of
 * src/domain/archive/archive-order.ts in SQL. A workflow without bounds keeps every run.
 */
function archivable(alias: string): string {
  const at = (column: string) => `(${alias}."createdAt", ${alias}.id) < (b.${column}_at, b.${column}_id)`;
  return `${alias}.status IN (${TERMINAL}) AND EXISTS (SELECT 1 FROM archive_bounds b WHERE b.workflow_id = ${alias}."workflowId" AND ${at('before')}
    AND (${alias}.status NOT IN (${KEPT_FAILED}) OR ${at('failed')}))`;
}

/** A time as the "timestamp" columns hold it (UTC, no zone). */
function sqlTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '');
}

/** The condition that keeps a statement to a partition's key range (so it reads that partition alone). */
function rangeOf(partition: HistoryPartition, column: string): string {
  return `AND ${column} >= '${partition.from}' AND ${column} < '${partition.to}'`;
}

/** `query` with the history tables named as a period's archive tables. */
function inArchive(query: Prisma.Sql, location: string): Prisma.Sql {
  const rename = (text: string) => text.replace(/"(Run|StepRun|RunEvent|StepLogChunk)"/g, (_whole, table: string) => `${ARCHIVE_SCHEMA}."${table}_${location}"`);
  return new Prisma.Sql(query.strings.map(rename), query.values);
}
