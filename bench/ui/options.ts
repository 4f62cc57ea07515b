import { parseOptions as parseHistoryOptions, type BenchOptions as HistoryOptions } from '../history/options.ts';
import { parseBenchArgs, wholeNumber } from '../shared/options.ts';

export interface UiBenchOptions {
  runs: number;
  /** Measured page loads per side and state (cold, warm), after one unmeasured round. */
  repeat: number;
  /** What the shared dataset module needs to find or seed the data. */
  dataset: HistoryOptions;
}

export const USAGE = 'usage: npm run bench:ui -- [--runs 1000000] [--repeat 9] [--reseed]';

const DEFAULT_RUNS = 1_000_000;
const DEFAULT_REPEAT = 9;

export function parseOptions(argv: readonly string[]): UiBenchOptions {
  const values = parseBenchArgs(
    argv,
    {
      runs: { type: 'string', default: String(DEFAULT_RUNS) },
      repeat: { type: 'string', default: String(DEFAULT_REPEAT) },
      reseed: { type: 'boolean', default: false },
    },
    USAGE,
  );
  const runs = wholeNumber('--runs', values.runs, 1);
  // The same SQLite dataset bench:history seeds and caches under .bench-data/.
  const dataset = parseHistoryOptions(['--runs', String(runs), '--database', 'sqlite', ...(values.reseed ? ['--reseed'] : [])]);
  return { runs, repeat: wholeNumber('--repeat', values.repeat, 1), dataset };
}

