/** Which database a process talks to and where; parsed from DATABASE_URL by src/config.ts. */
export type DatabaseConfig = { provider: 'sqlite'; url: string } | { provider: 'postgresql'; url: string };

export type DbProvider = DatabaseConfig['provider'];

/** How history reads are spread (HISTORY_READ_THREADS, PG_POOL_SIZE, HISTORY_READ_QUEUE). */
export interface HistoryReadSettings {
  /** SQLite: worker threads with a read-only connection each; 0 reads on the event loop's thread. */
  threads: number;
  /** PostgreSQL: connections of the history reader's pool. */
  pgPoolSize: number;
  /** Reads that may wait for a thread or connection; one more is refused with RATE_LIMITED. */
  queueLimit: number;
}

/** One connection on the event loop's thread (SQLite), a pool of 4 (PostgreSQL): what tools and tests that open a database get. */
export const IN_PROCESS_READS: HistoryReadSettings = { threads: 0, pgPoolSize: 4, queueLimit: 1_000 };
