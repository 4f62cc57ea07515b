import { parseArgs } from 'node:util';
import { BenchFailure } from '../history/bench-failure';

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
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        subscribers: { type: 'string', default: String(DEFAULTS.subscribers) },
        rate: { type: 'string', default: String(DEFAULTS.rate) },
        seconds: { type: 'string', default: String(DEFAULTS.seconds) },
        writers: { type: 'string', default: String(DEFAULTS.writers) },
        'postgres-url': { type: 'string', default: DEFAULTS.postgresUrl },
        'redis-url': { type: 'string', default: DEFAULTS.redisUrl },
      },
    }));
  } catch (error) {
    throw new BenchFailure(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
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

function wholeNumber(name: string, text: string, min: number): number {
  const value = Number(text.replaceAll('_', ''));
  if (!Number.isSafeInteger(value) || value < min) throw new BenchFailure(`${name} must be a whole number >= ${min}, got "${text}"`);
  return value;
}
