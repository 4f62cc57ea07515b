import type BetterSqlite3 from 'better-sqlite3';

/** The tables whose rows move to an archive with their runs, each after the ones it refers to. */
export const ARCHIVED_TABLES = ['Run', 'StepRun', 'StepLogChunk', 'RunEvent'] as const;
export type ArchivedTable = (typeof ARCHIVED_TABLES)[number];

/** The archive's one column more: the batch of the move that copied the run (see ArchivePeriod.committedBatch). */
export const BATCH_COLUMN = 'archiveBatch';

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
 * indexes as they are now, without the references to tables that stay in the live store
 * (projects, workflows), and "Run"."archiveBatch" with an index of its own.
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
    const indexes = (live.prepare(`SELECT sql FROM main.sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name`).all(table) as { sql: string }[]).map(
      (row) => row.sql,
    );
    const batchIndex = table === 'Run' ? [`CREATE INDEX "Run_${BATCH_COLUMN}_idx" ON "Run"(${quoted(BATCH_COLUMN)})`] : [];
    return [`CREATE TABLE ${quoted(table)} (\n  ${definitions.join(',\n  ')}\n)`, ...indexes, ...batchIndex];
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
