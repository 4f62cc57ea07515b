import type { Db } from '../db/client.ts';

/** Where every run is on PostgreSQL, read straight from the tables: the live ones and each period's archive tables the catalog names. */
export interface PostgresArchiveCensus {
  live: Set<string>;
  /** Archived runs (of a committed batch), by id, with their archive's id. */
  archived: Map<string, string>;
  /** Runs found in more than one place. */
  twice: string[];
  /** Rows over the live tables and every period's archive tables. */
  rows: { runs: number; steps: number; logChunks: number; events: number };
  /** Archived runs copied into a period archived before (batch 2 on), not detached with it. */
  copiedLater: number;
  /** The catalog's state of each period. */
  states: Map<string, string>;
  /** Tables in the schema `archive`. */
  tables: string[];
}

/** The seq of the newest event: what a seed wrote, read before a server starts and settles the runs the seed left running. */
export async function lastEventSeq(db: Db): Promise<bigint> {
  const [{ seq } = { seq: null }] = await db.$queryRawUnsafe<{ seq: bigint | null }[]>('SELECT max(seq) AS seq FROM "RunEvent"');
  return seq ?? 0n;
}

/**
 * `eventsUpTo`: count only the events of seq up to it, so a test can leave out the events a
 * starting server adds when it settles the runs a seed left running.
 */
export async function postgresArchiveCensus(db: Db, eventsUpTo?: bigint): Promise<PostgresArchiveCensus> {
  const upTo = eventsUpTo === undefined ? '' : ` WHERE seq <= ${eventsUpTo}`;
  const count = async (sql: string) => Number((await db.$queryRawUnsafe<{ n: bigint }[]>(sql))[0]?.n ?? 0n);
  const census: PostgresArchiveCensus = { live: new Set(), archived: new Map(), twice: [], copiedLater: 0, states: new Map(), rows: { runs: 0, steps: 0, logChunks: 0, events: 0 }, tables: [] };
  for (const row of await db.$queryRawUnsafe<{ id: string }[]>('SELECT id FROM "Run"')) census.live.add(row.id);
  census.rows = {
    runs: census.live.size,
    steps: await count('SELECT count(*) AS n FROM "StepRun"'),
    logChunks: await count('SELECT count(*) AS n FROM "StepLogChunk"'),
    events: await count(`SELECT count(*) AS n FROM "RunEvent"${upTo}`),
  };
  census.tables = (await db.$queryRawUnsafe<{ name: string }[]>(`SELECT c.relname::text AS name FROM pg_class c WHERE c.relnamespace = to_regnamespace('archive') AND c.relkind = 'r' ORDER BY 1`)).map((row) => row.name);
  const periods = await db.$queryRawUnsafe<{ id: string; location: string; state: string; committed: number }[]>(`SELECT id, location, state, "committedBatch" AS committed FROM "ArchivePeriod"`);
  for (const period of periods) {
    census.states.set(period.id, period.state);
    if (period.state === 'RESTORED') continue;
    if (!census.tables.includes(`Run_${period.location}`)) continue;
    const table = (name: string) => `archive."${name}_${period.location}"`;
    for (const row of await db.$queryRawUnsafe<{ id: string; batch: number }[]>(`SELECT id, "archiveBatch" AS batch FROM ${table('Run')} WHERE "archiveBatch" <= ${period.committed}`)) {
      if (row.batch > 1) census.copiedLater += 1;
      if (census.live.has(row.id) || census.archived.has(row.id)) census.twice.push(row.id);
      census.archived.set(row.id, period.id);
      census.rows.runs += 1;
    }
    census.rows.steps += await count(`SELECT count(*) AS n FROM ${table('StepRun')}`);
    census.rows.logChunks += await count(`SELECT count(*) AS n FROM ${table('StepLogChunk')}`);
    census.rows.events += await count(`SELECT count(*) AS n FROM ${table('RunEvent')}${upTo}`);
  }
  return census;
}
