import { BenchFailure } from '../shared/bench-failure.ts';
import { parseBenchArgs, wholeNumber } from '../shared/options.ts';

export type RecoveryDatabase = 'sqlite' | 'postgres';

export interface RecoveryBenchOptions {
  database: RecoveryDatabase;
  /** Runs a gone executor left RUNNING (a step RUNNING, the rest not started). */
  running: number;
  /** Runs a gone executor left WAITING for an approval. */
  waiting: number;
  /** Finished history written first by `runtrail seed` (it leaves a few runs active too). */
  history: number;
  /** Requests of the page timed on the API-only server (the floor) and after recovery. */
  iterations: number;
  /** Leave the data directory (and the PostgreSQL database) for a look afterwards. */
  keep: boolean;
}

export const USAGE = 'usage: npm run bench:recovery -- [--database sqlite|postgres] [--running 10000] [--waiting 10000] [--history 50000] [--iterations 300] [--keep]';

const DEFAULTS = { running: 10_000, waiting: 10_000, history: 50_000, iterations: 300 };

export function parseOptions(argv: readonly string[]): RecoveryBenchOptions {
  const values = parseBenchArgs(
    argv,
    {
      database: { type: 'string', default: 'sqlite' },
      running: { type: 'string', default: String(DEFAULTS.running) },
      waiting: { type: 'string', default: String(DEFAULTS.waiting) },
      history: { type: 'string', default: String(DEFAULTS.history) },
      iterations: { type: 'string', default: String(DEFAULTS.iterations) },
      keep: { type: 'boolean', default: false },
    },
    USAGE,
  );
  const database = values.database;
  if (database !== 'sqlite' && database !== 'postgres') throw new BenchFailure(`--database must be sqlite or postgres, got "${database}"\n${USAGE}`);
  return {
    database,
    running: wholeNumber('--running', values.running, 1),
    waiting: wholeNumber('--waiting', values.waiting, 1),
    history: wholeNumber('--history', values.history, 1),
    iterations: wholeNumber('--iterations', values.iterations, 10),
    keep: values.keep,
  };
}
