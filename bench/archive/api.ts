// What both databases' archive benches ask the server over GraphQL.
import { BenchFailure } from '../shared/bench-failure.ts';
import { percentile } from '../shared/report.ts';
import { startBenchServer, type BenchServer } from '../shared/server-process.ts';

const SERVER_READY_TIMEOUT_MS = 10 * 60 * 1000;
const SERVER_STOP_GRACE_MS = 60 * 1000;

/**
 * The server an archive bench measures: the engine on, for the leader (it gives the freed space
 * back on SQLite); ARCHIVE_EVERY_MINUTES=0, so only archiveNow moves runs, those older than `hotDays`.
 */
export function startArchiveServer(dataDir: string, databaseUrl: string, hotDays: number): Promise<BenchServer> {
  return startBenchServer({
    dataDir,
    databaseUrl,
    logName: 'server.log',
    env: {
      ENGINE: 'on',
      SCHEDULER: 'on',
      ARCHIVE_EVERY_MINUTES: '0',
      RETENTION_HOT_DAYS: String(hotDays),
      RETENTION_KEEP_FAILED_FOR_DAYS: String(hotDays),
      LOG_LEVEL: 'info',
      PARTITION_INTERVAL: 'month',
    },
    readyTimeoutMs: SERVER_READY_TIMEOUT_MS,
    stopGraceMs: SERVER_STOP_GRACE_MS,
  });
}

export type Api = <T>(query: string, variables?: Record<string, unknown>) => Promise<T>;

export function apiOf(server: BenchServer, token: string): Api {
  return async <T,>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(30 * 60 * 1000),
    });
    const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
    if (body.errors || !body.data) throw new BenchFailure(`${query.slice(0, 60)}…: ${JSON.stringify(body.errors)}`);
    return body.data;
  };
}

/** Counts and trends over random ranges and filters (a fixed random sequence): one text to compare. */
export async function checksum(api: Api, range: { oldest: number; now: number }): Promise<string> {
  let state = 7;
  const random = () => ((state = (state * 1_664_525 + 1_013_904_223) >>> 0) / 2 ** 32);
  const statuses = ['SUCCEEDED', 'FAILED', 'ABORTED', 'RUNNING', 'PARTIALLY_SUCCEEDED'];
  const answers: unknown[] = [];
  const span = range.now - range.oldest;
  for (let index = 0; index < 25; index += 1) {
    const from = new Date(range.oldest + random() * span);
    const to = new Date(from.getTime() + random() * (range.now - from.getTime()) + 1);
    const filter = { createdAfter: from.toISOString(), createdBefore: to.toISOString(), ...(random() < 0.5 ? { statuses: statuses.filter(() => random() < 0.4) } : {}) };
    const bucket = random() < 0.5 ? 'HOUR' : 'DAY';
    answers.push(
      await api('query ($filter: RunFilter, $from: DateTime!, $to: DateTime!, $bucket: TimeBucket!) { runStatusCounts(filter: $filter) { total byStatus { status count } } runStatusTrend(filter: $filter, bucket: $bucket, from: $from, to: $to) { start counts { status count } } }', {
        filter,
        from: filter.createdAfter,
        to: filter.createdBefore,
        bucket,
      }),
    );
  }
  return JSON.stringify(answers);
}

export interface Timings {
  p50: number;
  p99: number;
}

/**
 * The boundary page timed in turns: the plain SQL over both stores first, then the API's
 * includeArchived page, then a page of live runs alone; whether the API and the floor agreed.
 */
export async function timePages(pages: { api: () => Promise<string[]>; floor: () => string[] | Promise<string[]>; live: () => Promise<number> }, iterations: number): Promise<{ api: Timings; floor: Timings; live: Timings; same: boolean }> {
  const same = JSON.stringify(await pages.api()) === JSON.stringify(await pages.floor());
  const apiTimes: number[] = [];
  const floorTimes: number[] = [];
  const liveTimes: number[] = [];
  for (let index = 0; index < iterations; index += 1) {
    let at = performance.now();
    await pages.floor();
    floorTimes.push(performance.now() - at);
    at = performance.now();
    await pages.api();
    apiTimes.push(performance.now() - at);
    at = performance.now();
    await pages.live();
    liveTimes.push(performance.now() - at);
  }
  const timings = (values: number[]): Timings => {
    const sorted = [...values].sort((a, b) => a - b);
    return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
  };
  return { api: timings(apiTimes), floor: timings(floorTimes), live: timings(liveTimes), same };
}
