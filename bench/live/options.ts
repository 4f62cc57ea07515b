import { parseBenchArgs, wholeNumber } from '../shared/options.ts';
import { BenchFailure } from '../shared/bench-failure.ts';

export interface LiveBenchOptions {
  subscribers: number;
  /** Events written per second. */
  rate: number;
  seconds: number;
  /** Concurrent writer loops: the changes in flight at once, which the recorder commits together (group commit), as an engine with many runs does. */
  writers: number;
  /** API processes the subscribers are spread over (and bare broadcast processes, for the floor). */
  servers: number;
  /** Where each API process writes a CPU profile (node --cpu-prof) when it stops; null: none. */
  cpuProfileDir: string | null;
  /** A PostgreSQL server's maintenance database, where the bench database is created. */
  postgresUrl: string;
  redisUrl: string;
}

export const USAGE =
  'usage: npm run bench:live -- [--subscribers 1000] [--rate 500] [--seconds 30] [--writers 32] [--servers 1]\n' +
  '                             [--cpu-prof-dir DIR] [--postgres-url postgres://postgres@127.0.0.1:5432/postgres] [--redis-url redis://127.0.0.1:6379]';

const DEFAULTS = {
  subscribers: 1000,
  rate: 500,
  seconds: 30,
  writers: 32,
  servers: 1,
  postgresUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
  redisUrl: 'redis://127.0.0.1:6379',
};

export function parseOptions(argv: readonly string[]): LiveBenchOptions {
  const values = parseBenchArgs(
    argv,
    {
      subscribers: { type: 'string', default: String(DEFAULTS.subscribers) },
      rate: { type: 'string', default: String(DEFAULTS.rate) },
      seconds: { type: 'string', default: String(DEFAULTS.seconds) },
      writers: { type: 'string', default: String(DEFAULTS.writers) },
      servers: { type: 'string', default: String(DEFAULTS.servers) },
      'cpu-prof-dir': { type: 'string' },
      'postgres-url': { type: 'string', default: DEFAULTS.postgresUrl },
      'redis-url': { type: 'string', default: DEFAULTS.redisUrl },
    },
    USAGE,
  );
  if (!/^postgres(ql)?:\/\//.test(values['postgres-url'])) throw new BenchFailure(`--postgres-url must start with postgres://, got "${values['postgres-url']}"`);
  if (!/^rediss?:\/\//.test(values['redis-url'])) throw new BenchFailure(`--redis-url must start with redis://, got "${values['redis-url']}"`);
  return {
    subscribers: wholeNumber('--subscribers', values.subscribers, 1),
    rate: wholeNumber('--rate', values.rate, 1),
    seconds: wholeNumber('--seconds', values.seconds, 1),
    writers: wholeNumber('--writers', values.writers, 1),
    servers: wholeNumber('--servers', values.servers, 1),
    cpuProfileDir: values['cpu-prof-dir'] ?? null,
    postgresUrl: values['postgres-url'],
    redisUrl: values['redis-url'],
  };
}

