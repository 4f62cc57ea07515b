import { parseBenchArgs, wholeNumber } from '../shared/options.ts';
import { BenchFailure } from '../shared/bench-failure.ts';

export interface LiveBenchOptions {
  subscribers: number;
  /** Events written per second. */
  rate: number;
  seconds: number;
  /** Concurrent writer loops: a transaction holds the event counter's lock, so more loops only overlap the client side. */
  writers: number;
  /** A PostgreSQL server's maintenance database, where the bench database is created. */
  postgresUrl: string;
  redisUrl: string;
}

export const USAGE =
  'usage: npm run bench:live -- [--subscribers 1000] [--rate 500] [--seconds 30] [--writers 4]\n' +
  '                             [--postgres-url postgres://postgres@127.0.0.1:5432/postgres] [--redis-url redis://127.0.0.1:6379]';

const DEFAULTS = {
  subscribers: 1000,
  rate: 500,
  seconds: 30,
  writers: 4,
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
    postgresUrl: values['postgres-url'],
    redisUrl: values['redis-url'],
  };
}

