import { existsSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

/** Where every run is, read straight from the files: the live database and each archive the catalog names. */
export interface ArchiveCensus {
  /** Runs in the live store. */
  live: Set<string>;
  /** Archived runs (batch committed in the catalog), by id, with their archive's id; a run in two archives is in `twice`. */
  archived: Map<string, string>;
  /** Runs found in more than one place among the live store and the committed batches. */
  twice: string[];
  /** Rows of batches past the catalog's committedBatch: copies of a move in progress, nobody reads them. */
  uncommitted: number;
  /** The catalog's state of each period. */
  states: Map<string, string>;
  /** Rows of each table over the live store and every committed batch. */
  rows: { runs: number; steps: number; logChunks: number; events: number };
}

const COUNTS = {
  steps: `SELECT COUNT(*) AS n FROM "StepRun" s JOIN "Run" r ON r.id = s."runId" WHERE BATCH`,
  logChunks: `SELECT COUNT(*) AS n FROM "StepLogChunk" c JOIN "StepRun" s ON s.id = c."stepRunId" JOIN "Run" r ON r.id = s."runId" WHERE BATCH`,
  events: `SELECT COUNT(*) AS n FROM "RunEvent" e JOIN "Run" r ON r.id = e."runId" WHERE BATCH`,
} as const;

export function archiveCensus(liveFile: string, dataDir: string): ArchiveCensus {
  const live = new BetterSqlite3(liveFile, { readonly: true });
  try {
    const census: ArchiveCensus = { live: new Set(), archived: new Map(), twice: [], uncommitted: 0, states: new Map(), rows: { runs: 0, steps: 0, logChunks: 0, events: 0 } };
    for (const row of live.prepare('SELECT id FROM "Run"').all() as { id: string }[]) census.live.add(row.id);
    census.rows.runs = census.live.size;
    for (const [key, sql] of Object.entries(COUNTS) as [keyof typeof COUNTS, string][]) census.rows[key] += count(live, sql.replace('BATCH', '1 = 1'));
    const periods = live.prepare('SELECT id, location, state, "committedBatch" AS committed FROM "ArchivePeriod"').all() as { id: string; location: string; state: string; committed: number }[];
    for (const period of periods) {
      census.states.set(period.id, period.state);
      const file = path.join(dataDir, 'archive', period.location);
      if (!existsSync(file)) continue;
      const archive = new BetterSqlite3(file, { readonly: true });
      try {
        for (const row of archive.prepare('SELECT id, "archiveBatch" AS batch FROM "Run"').all() as { id: string; batch: number }[]) {
          if (row.batch > period.committed) {
            census.uncommitted += 1;
            continue;
          }
          if (census.live.has(row.id) || census.archived.has(row.id)) census.twice.push(row.id);
          census.archived.set(row.id, period.id);
          census.rows.runs += 1;
        }
        const committed = `r."archiveBatch" <= ${period.committed}`;
        for (const [key, sql] of Object.entries(COUNTS) as [keyof typeof COUNTS, string][]) census.rows[key] += count(archive, sql.replace('BATCH', committed));
      } finally {
        archive.close();
      }
    }
    return census;
  } finally {
    live.close();
  }
}

function count(connection: BetterSqlite3.Database, sql: string): number {
  return (connection.prepare(sql).get() as { n: number }).n;
}
