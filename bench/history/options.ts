import { isRunStatus, type RunStatus } from '../../src/domain/status.ts';
import { parseBenchArgs, wholeNumber } from '../shared/options.ts';
import { BenchFailure } from '../shared/bench-failure.ts';

export type BenchDatabase = 'sqlite' | 'postgres';

export interface BenchOptions {
  runs: number;
  database: BenchDatabase;
  iterations: number;
  warmup: number;
  /** The statuses the page measurements filter by (`statuses: [...]`). */
  statuses: RunStatus[];
  reseed: boolean;
  /** A PostgreSQL server's maintenance database, where the bench database is created. */
  postgresUrl: string;
  /** Numbers of concurrent clients the mix of pages and counts is timed at. */
  concurrency: number[];
  /** How long each concurrency level is driven, per side. */
  concurrencySeconds: number;
  /** Time only the concurrent mix (skip the sequential timings and the cached server). */
  concurrencyOnly: boolean;
}

export const USAGE =
  'usage: npm run bench:history -- --runs N [--database sqlite|postgres] [--iterations 50] [--warmup 5]\n' +
  '                                [--statuses ABORTED,REJECTED] [--reseed] [--postgres-url postgres://postgres@127.0.0.1:5432/postgres]\n' +
  '                                [--concurrency 1,8,64] [--concurrency-seconds 10] [--concurrency-only]';

const DEFAULTS = {
  iterations: 50,
  warmup: 5,
  // The rarest pair of finished statuses in a seed (about 3% and 0.2% of runs), where the naive
  // `IN` form has the most to skip: on PostgreSQL it walks the ("createdAt", "id") index and keeps
  // about one row in 30. (SQLite reads each IN value's range of the status index and stops once
  // the LIMIT is filled, so no pair makes it slow there.)
  statuses: ['ABORTED', 'REJECTED'] as RunStatus[],
  postgresUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
  concurrency: [1, 8, 64],
  concurrencySeconds: 10,
};

export function parseOptions(argv: readonly string[]): BenchOptions {
  const values = parseBenchArgs(
    argv,
    {
      runs: { type: 'string' },
      database: { type: 'string', default: 'sqlite' },
      iterations: { type: 'string', default: String(DEFAULTS.iterations) },
      warmup: { type: 'string', default: String(DEFAULTS.warmup) },
      statuses: { type: 'string', default: DEFAULTS.statuses.join(',') },
      reseed: { type: 'boolean', default: false },
      'postgres-url': { type: 'string', default: DEFAULTS.postgresUrl },
      concurrency: { type: 'string', default: DEFAULTS.concurrency.join(',') },
      'concurrency-seconds': { type: 'string', default: String(DEFAULTS.concurrencySeconds) },
      'concurrency-only': { type: 'boolean', default: false },
    },
    USAGE,
  );
  if (values.runs === undefined) throw new BenchFailure(`--runs is required\n${USAGE}`);
  if (values.database !== 'sqlite' && values.database !== 'postgres') throw new BenchFailure(`--database must be sqlite or postgres, got "${values.database}"`);
  return {
    runs: wholeNumber('--runs', values.runs, 1),
    database: values.database,
    iterations: wholeNumber('--iterations', values.iterations, 1),
    warmup: wholeNumber('--warmup', values.warmup, 0),
    statuses: statusList(values.statuses),
    reseed: values.reseed,
    postgresUrl: values['postgres-url'],
    concurrency: values.concurrency.split(',').map((text) => wholeNumber('--concurrency', text.trim(), 1)),
    concurrencySeconds: wholeNumber('--concurrency-seconds', values['concurrency-seconds'], 1),
    concurrencyOnly: values['concurrency-only'],
  };
}

function statusList(text: string): RunStatus[] {
  const words = [...new Set(text.split(',').map((word) => word.trim().toUpperCase()))];
  const statuses = words.filter(isRunStatus);
  if (statuses.length !== words.length || statuses.length < 2) throw new BenchFailure(`--statuses needs two or more run statuses separated by commas, got "${text}"`);
  return statuses;
}
