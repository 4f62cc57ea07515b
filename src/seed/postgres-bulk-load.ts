import type pg from 'pg';
import { RUN_TABLE, STEP_TABLE, EVENT_TABLE } from './history-tables.ts';

const HISTORY_TABLES = [RUN_TABLE.name, STEP_TABLE.name, EVENT_TABLE.name].map((name) => `"${name}"`).join(', ');
/** Sorting for an index build in memory instead of in temporary files; PostgreSQL's default is 64 MB. */
const INDEX_BUILD_MEMORY = '1GB';

/** What loadIntoEmptyTables put aside, to be made again once the rows are in. */
interface SetAside {
  indexes: string[];
  foreignKeys: string[];
}

/**
 * Runs `load` in the client's transaction with the run, step and event tables locked, their
 * secondary indexes and foreign keys dropped, then builds them again and commits: one sort
 * per index instead of an insertion per row, and one join per foreign key instead of a lookup
 * per row. Only when the three tables are empty once locked (a fresh database); otherwise
 * returns null, having changed nothing. The drops are part of the transaction, so a failure
 * anywhere rolls back to the empty tables with their indexes, and nobody, being locked out
 * until the commit, ever sees the tables without them. The primary keys and unique indexes
 * stay: they are what would refuse a duplicate row.
 */
export async function loadIntoEmptyTables<T>(client: pg.ClientBase, load: () => Promise<T>): Promise<{ result: T } | null> {
  // Asked first without the lock, which would hold up every reader of a database in use until its holder's turn came.
  if (!(await historyTablesEmpty(client))) return null;
  await client.query('BEGIN');
  try {
    await client.query(`LOCK TABLE ${HISTORY_TABLES} IN ACCESS EXCLUSIVE MODE`);
    if (!(await historyTablesEmpty(client))) {
      await client.query('ROLLBACK');
      return null;
    }
    const setAside = await dropSecondaryStructures(client);
    const result = await load();
    await client.query(`SET LOCAL maintenance_work_mem = '${INDEX_BUILD_MEMORY}'`);
    for (const statement of [...setAside.indexes, ...setAside.foreignKeys]) await client.query(statement);
    await client.query('COMMIT');
    return { result };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function historyTablesEmpty(client: pg.ClientBase): Promise<boolean> {
  const found = await client.query(`SELECT 1 FROM "${RUN_TABLE.name}" UNION ALL SELECT 1 FROM "${STEP_TABLE.name}" UNION ALL SELECT 1 FROM "${EVENT_TABLE.name}" LIMIT 1`);
  return found.rows.length === 0;
}

async function dropSecondaryStructures(client: pg.ClientBase): Promise<SetAside> {
  const indexes = await client.query<{ name: string; definition: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
     FROM pg_index i
     WHERE i.indrelid IN (${tableOids()}) AND NOT i.indisprimary AND NOT i.indisunique
     ORDER BY 1`,
  );
  const foreignKeys = await client.query<{ table: string; name: string; definition: string }>(
    `SELECT c.conrelid::regclass::text AS "table", quote_ident(c.conname) AS name, pg_get_constraintdef(c.oid) AS definition
     FROM pg_constraint c
     WHERE c.contype = 'f' AND c.conrelid IN (${tableOids()}) AND c.conparentid = 0
     ORDER BY 1, 2`,
  );
  for (const { table, name } of foreignKeys.rows) await client.query(`ALTER TABLE ${table} DROP CONSTRAINT ${name}`);
  for (const { name } of indexes.rows) await client.query(`DROP INDEX ${name}`);
  return {
    // On a partitioned table the definition is of the parent's index alone (ON ONLY); built on the parent, it is built on every partition too.
    indexes: indexes.rows.map(({ definition }) => definition.replace(' ON ONLY ', ' ON ')),
    foreignKeys: foreignKeys.rows.map(({ table, name, definition }) => `ALTER TABLE ${table} ADD CONSTRAINT ${name} ${definition}`),
  };
}

function tableOids(): string {
  return [RUN_TABLE.name, STEP_TABLE.name, EVENT_TABLE.name].map((name) => `'"${name}"'::regclass`).join(', ');
}
