import type BetterSqlite3 from 'better-sqlite3';

/** The tables whose rows move to an archive with their runs, each after the ones it refers to. */
export const ARCHIVED_TABLES = ['Run', 'StepRun', 'StepLogChunk', 'RunEvent'] as const;
export type ArchivedTable = (typeof ARCHIVED_TABLES)[number];

/** The archive's one column more: the batch of the move that copied the run (see ArchivePeriod.committedBatch). */
export const BATCH_COLUMN = 'archiveBatch';

/**
 * Indexes of the live tables that serve only the live store (executors' lease sweeps, cascades
 * from versions and retries, the event feed's replays by project and status): an archive is
 * never written but by moves, nor replayed, so it leaves them out, and each archived row costs
 * that much less to copy. It keeps every index its reads use (pages, counts, runs by id, their
 * steps, logs and events).
 */
const LIVE_ONLY_INDEXES = new Set(['Run_retryOfId_idx', 'Run_leaseExpiresAt_idx', 'Run_versionId_idx', 'RunEvent_projectId_seq_idx', 'RunEvent_stepRunId_idx', 'RunEvent_kind_to_seq_idx']);

interface ColumnInfo {
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
}

/** The columns of a live table, in order. */
export function liveColumns(live: BetterSqlite3.Database, table: ArchivedTable): string[] {
  return columnInfo(live, table).map((info) => info.name);
}

/**
 * The DDL of an archive file: the archived tables with the live database's columns, keys and
 * indexes as they are now (but LIVE_ONLY_INDEXES), without the references to tables that stay in
 * the live store (projects, workflows), and "Run"."archiveBatch" with an index of its own.
 */
export function archiveSchemaOf(live: BetterSqlite3.Database): string[] {
  return ARCHIVED_TABLES.flatMap((table) => {
    const columns = columnInfo(live, table);
    const definitions = columns.map((info) => {
      const notNull = info.notnull ? ' NOT NULL' : '';
      const fallback = info.dflt_value === null ? '' : ` DEFAULT ${info.dflt_value}`;
      return `${quoted(info.name)} ${info.type}${notNull}${fallback}`;
    });
    if (table === 'Run') definitions.push(`${quoted(BATCH_COLUMN)} INTEGER NOT NULL`);
    const key = columns.filter((info) => info.pk > 0).sort((a, b) => a.pk - b.pk);
    if (key.length > 0) definitions.push(`PRIMARY KEY (${key.map((info) => quoted(info.name)).join(', ')})`);
    const indexes = (live.prepare(`SELECT name, sql FROM main.sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name`).all(table) as { name: string; sql: string }[])
      .filter((row) => !LIVE_ONLY_INDEXES.has(row.name))
      .map((row) => row.sql);
    const batchIndex = table === 'Run' ? [`CREATE INDEX "Run_${BATCH_COLUMN}_idx" ON "Run"(${quoted(BATCH_COLUMN)})`] : [];
    return [`CREATE TABLE ${quoted(table)} (\n  ${definitions.join(',\n  ')}\n)`, ...indexes, ...batchIndex];
  });
}

/**
 * The ALTER statements that give an archive written by an older version the columns the live
 * tables gained since (all nullable, as a migration adds them), so moves into it go on.
 */
export function archiveUpgrades(live: BetterSqlite3.Database, schema: string): string[] {
  return ARCHIVED_TABLES.flatMap((table) => {
    const archived = new Set((live.prepare(`SELECT name FROM pragma_table_info(?, ?)`).all(table, schema) as { name: string }[]).map((row) => row.name));
    return columnInfo(live, table)
      .filter((info) => !archived.has(info.name) && info.notnull === 0)
      .map((info) => `ALTER TABLE ${schema}.${quoted(table)} ADD COLUMN ${quoted(info.name)} ${info.type}`);
  });
}

function columnInfo(live: BetterSqlite3.Database, table: ArchivedTable): ColumnInfo[] {
  const columns = live.prepare(`SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?, 'main')`).all(table) as ColumnInfo[];
  if (columns.length === 0) throw new Error(`The live database has no table "${table}"`);
  return columns;
}

export function quoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
