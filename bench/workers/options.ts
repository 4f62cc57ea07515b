import { BenchFailure } from '../shared/bench-failure.ts';
import { parseBenchArgs, wholeNumber } from '../shared/options.ts';

export interface WorkersBenchOptions {
  /** Runs of the one-step `true` workflow in the burst, per worker count. */
  runs: number;
  /** The worker counts measured, one after the other. */
  workers: number[];
  /** EXECUTOR_CONCURRENCY of every worker: runs one worker executes at once. */
  concurrency: number;
  /** triggerRun requests the bench keeps in flight against the API process during the burst. */
  triggers: number;
  /** Then runs triggered at a steady rate below what the workers execute: enqueue→start of an idle worker. */
  pacedRuns: number;
  pacedRate: number;
  /** Chaos: how long workers are killed for, how often, and the LEASE_SECONDS of that part. */
  chaosSeconds: number;
  killEverySeconds: number;
  chaosLeaseSeconds: number;
  chaosWorkers: number;
  /** Runs of the `sleep 1` workflow triggered per second during the chaos. */
  chaosRate: number;
  /** Leave the database and the processes' data directories (their logs) for a look afterwards. */
  keep: boolean;
}

export const USAGE =
  'usage: npm run bench:workers -- [--runs 2000] [--workers 1,2,4] [--concurrency 8] [--triggers 8] [--paced-runs 100] [--paced-rate 10]\n' +
  '                                [--chaos-seconds 60] [--kill-every 5] [--chaos-lease 5] [--chaos-workers 3] [--chaos-rate 8] [--keep]';

const DEFAULTS = {
  runs: 2000,
  workers: '1,2,4',
  concurrency: 8,
  triggers: 8,
  pacedRuns: 100,
  pacedRate: 10,
  chaosSeconds: 60,
  killEvery: 5,
  chaosLease: 5,
  chaosWorkers: 3,
  chaosRate: 8,
};

// A bound on the worker processes one 2-core machine is asked to start.
const MAX_WORKERS = 16;

export function parseOptions(argv: readonly string[]): WorkersBenchOptions {
  const values = parseBenchArgs(
    argv,
    {
      runs: { type: 'string', default: String(DEFAULTS.runs) },
      workers: { type: 'string', default: DEFAULTS.workers },
      concurrency: { type: 'string', default: String(DEFAULTS.concurrency) },
      triggers: { type: 'string', default: String(DEFAULTS.triggers) },
      'paced-runs': { type: 'string', default: String(DEFAULTS.pacedRuns) },
      'paced-rate': { type: 'string', default: String(DEFAULTS.pacedRate) },
      'chaos-seconds': { type: 'string', default: String(DEFAULTS.chaosSeconds) },
      'kill-every': { type: 'string', default: String(DEFAULTS.killEvery) },
      'chaos-lease': { type: 'string', default: String(DEFAULTS.chaosLease) },
      'chaos-workers': { type: 'string', default: String(DEFAULTS.chaosWorkers) },
      'chaos-rate': { type: 'string', default: String(DEFAULTS.chaosRate) },
      keep: { type: 'boolean', default: false },
    },
    USAGE,
  );
  const workers = values.workers.split(',').map((text) => wholeNumber('--workers', text.trim(), 1));
  if (workers.some((count) => count > MAX_WORKERS)) throw new BenchFailure(`--workers: at most ${MAX_WORKERS} workers, got "${values.workers}"`);
  const chaosWorkers = wholeNumber('--chaos-workers', values['chaos-workers'], 2);
  if (chaosWorkers > MAX_WORKERS) throw new BenchFailure(`--chaos-workers: at most ${MAX_WORKERS}, got ${chaosWorkers}`);
  return {
    runs: wholeNumber('--runs', values.runs, 1),
    workers,
    concurrency: wholeNumber('--concurrency', values.concurrency, 1),
    triggers: wholeNumber('--triggers', values.triggers, 1),
    pacedRuns: wholeNumber('--paced-runs', values['paced-runs'], 1),
    pacedRate: wholeNumber('--paced-rate', values['paced-rate'], 1),
    chaosSeconds: wholeNumber('--chaos-seconds', values['chaos-seconds'], 0),
    killEverySeconds: wholeNumber('--kill-every', values['kill-every'], 1),
    // LEASE_SECONDS' own minimum.
    chaosLeaseSeconds: wholeNumber('--chaos-lease', values['chaos-lease'], 2),
    chaosWorkers,
    chaosRate: wholeNumber('--chaos-rate', values['chaos-rate'], 1),
    keep: values.keep,
  };
}
