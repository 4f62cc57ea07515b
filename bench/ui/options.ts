import { parseArgs } from 'node:util';
import { BenchFailure } from '../history/bench-failure';
import { parseOptions as parseHistoryOptions, type BenchOptions as HistoryOptions } from '../history/options';

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
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        runs: { type: 'string', default: String(DEFAULT_RUNS) },
        repeat: { type: 'string', default: String(DEFAULT_REPEAT) },
        reseed: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new BenchFailure(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
  const runs = wholeNumber('--runs', values.runs, 1);
  // The same SQLite dataset bench:history seeds and caches under .bench-data/.
  const dataset = parseHistoryOptions(['--runs', String(runs), '--database', 'sqlite', ...(values.reseed ? ['--reseed'] : [])]);
  return { runs, repeat: wholeNumber('--repeat', values.repeat, 1), dataset };
}

function wholeNumber(name: string, text: string, min: number): number {
  const value = Number(text.replaceAll('_', ''));
  if (!Number.isSafeInteger(value) || value < min) throw new BenchFailure(`${name} must be a whole number >= ${min}, got "${text}"`);
  return value;
}
