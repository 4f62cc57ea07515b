import { BenchFailure } from '../shared/bench-failure.ts';
import { parseBenchArgs, wholeNumber } from '../shared/options.ts';

export interface AlertsBenchOptions {
  /** Failing runs, one per watched workflow: each is one FIRING episode and one webhook. */
  runs: number;
  /** Failing runs triggered per second. */
  rate: number;
  /** Runs of a `true` workflow triggered per second meanwhile: the steady load. */
  loadRate: number;
  /** Simulated hours of the flapping workflow. */
  hours: number;
  /** Leave the data directory (the server's log and database) for a look afterwards. */
  keep: boolean;
}

export const USAGE = 'usage: npm run bench:alerts -- [--runs 50] [--rate 1] [--load-rate 3] [--hours 24] [--keep]';

const DEFAULTS = { runs: 50, rate: 1, loadRate: 3, hours: 24 };

// Bounds that keep one run of the bench within minutes on a small machine.
const MAX_RUNS = 500;
const MAX_RATE = 20;
const MAX_HOURS = 24 * 7;

export function parseOptions(argv: readonly string[]): AlertsBenchOptions {
  const values = parseBenchArgs(
    argv,
    {
      runs: { type: 'string', default: String(DEFAULTS.runs) },
      rate: { type: 'string', default: String(DEFAULTS.rate) },
      'load-rate': { type: 'string', default: String(DEFAULTS.loadRate) },
      hours: { type: 'string', default: String(DEFAULTS.hours) },
      keep: { type: 'boolean', default: false },
    },
    USAGE,
  );
  const options = {
    runs: wholeNumber('--runs', values.runs, 1),
    rate: wholeNumber('--rate', values.rate, 1),
    loadRate: wholeNumber('--load-rate', values['load-rate'], 0),
    hours: wholeNumber('--hours', values.hours, 1),
    keep: values.keep,
  };
  if (options.runs > MAX_RUNS) throw new BenchFailure(`--runs must be at most ${MAX_RUNS}, got ${options.runs}\n${USAGE}`);
  if (options.rate > MAX_RATE || options.loadRate > MAX_RATE) throw new BenchFailure(`--rate and --load-rate must be at most ${MAX_RATE} runs/s\n${USAGE}`);
  if (options.hours > MAX_HOURS) throw new BenchFailure(`--hours must be at most ${MAX_HOURS}, got ${options.hours}\n${USAGE}`);
  return options;
}
