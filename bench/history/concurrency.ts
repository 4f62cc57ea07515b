// Concurrent clients (`--concurrency`): a mix of 50-run pages and status counts, each with a
// filter of its own, sent by N clients at once to our server over HTTP, beside the floor: the
// same SQL run by N threads (SQLite) or N connections (PostgreSQL) straight on the database: the
// per-status keyset UNION ALL for pages; for counts what the server runs too, the daily and
// hourly rollups for whole days and hours and the runs of the partial edge hour, in one statement.
// Every answer of both sides is checked against the floor's, computed once beforehand.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { coverRange, type TimeRange } from '../../src/domain/history/time-cover.ts';
import { RUN_STATUSES } from '../../src/domain/status.ts';
import { countsText, pageText, PAGE_SIZE, type StatusCount } from './answers.ts';
import { apiCountsText, apiPageText, type ApiHistory, type Exchange } from './api-history.ts';
import type { FloorRequest } from './floor-thread.ts';
import { parseUtcTimestamp, POSTGRES, SQLITE, TIMESTAMP_WITHOUT_TIME_ZONE, unionPageSql, utcTimestamp, type Dialect } from './raw-history.ts';
import { ms, percentile, table } from '../shared/report.ts';

export type MixQuery = { kind: 'page'; statuses: readonly string[] } | { kind: 'counts'; createdAfterMs: number };

const MIX_PAGES = 32;
const MIX_COUNTS = 32;
const HOUR_MS = 60 * 60 * 1000;
// The counts reach back 6 h, 12 h, … 8 days: each its own range of the createdAt index.
const COUNTS_STEP_MS = 6 * HOUR_MS;

export const CONCURRENCY_TARGET = { clients: 64, ratio: 0.5, p99Ms: 50 };

/** Pages over every pair, then triple, of run statuses; counts since distinct times; interleaved. */
export function historyMix(now: Date): MixQuery[] {
  const filters = [...combinations(RUN_STATUSES, 2), ...combinations(RUN_STATUSES, 3)].slice(0, MIX_PAGES);
  const pages = filters.map((statuses): MixQuery => ({ kind: 'page', statuses }));
  const counts = Array.from({ length: MIX_COUNTS }, (_, index): MixQuery => ({ kind: 'counts', createdAfterMs: now.getTime() - (index + 1) * COUNTS_STEP_MS }));
  return pages.flatMap((page, index) => [page, ...counts.slice(index, index + 1)]);
}

function combinations<T>(items: readonly T[], size: number): T[][] {
  if (size === 0) return [[]];
  return items.flatMap((item, index) => combinations(items.slice(index + 1), size - 1).map((rest) => [item, ...rest]));
}

export function describeMix(mix: readonly MixQuery[]): string {
  const pages = mix.filter((query) => query.kind === 'page').length;
  return `${mix.length} queries, each filter distinct: ${pages} pages of ${PAGE_SIZE} runs (two or three statuses) and ${mix.length - pages} status counts (since 6 h … ${(MIX_COUNTS * COUNTS_STEP_MS) / (24 * HOUR_MS)} days ago)`;
}

/** One query's request body and answer as they went over the wire. */
export async function apiExchange(api: ApiHistory, query: MixQuery): Promise<Exchange> {
  return query.kind === 'page' ? api.pageExchange(query.statuses, PAGE_SIZE, null) : api.countsExchange(new Date(query.createdAfterMs));
}

/** One query's answer through the API, in the floor's canonical text. */
export async function apiAnswer(api: ApiHistory, query: MixQuery): Promise<string> {
  return query.kind === 'page' ? apiPageText(await api.page(query.statuses, PAGE_SIZE, null)) : apiCountsText(await api.counts(new Date(query.createdAfterMs)));
}

interface FloorRow {
  id?: string;
  status?: string;
  count?: number | string;
}

/** The floor's statement for a query of the mix, with its values (`time` makes a timestamp parameter). */
function floorStatement(dialect: Dialect, query: MixQuery, time: (ms: number) => unknown): { sql: string; values: unknown[] } {
  if (query.kind === 'page') return { sql: unionPageSql(dialect, query.statuses.length, false), values: [...query.statuses] };
  const values: unknown[] = [];
  const part = (table: string, column: string, counted: string, range: TimeRange) => {
    const conditions: string[] = [];
    for (const [bound, operator] of [[range.from, '>='], [range.to, '<']] as const) {
      if (bound === null) continue;
      values.push(time(bound));
      conditions.push(`${column} ${operator} ${dialect.param(values.length)}`);
    }
    return `SELECT status, ${counted} AS count FROM ${table}${conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : ''} GROUP BY status`;
  };
  const cover = coverRange({ from: query.createdAfterMs, to: null }, 'DAY');
  const parts = [
    ...cover.runs.map((range) => part('"Run"', '"createdAt"', 'COUNT(*)', range)),
    ...cover.hours.map((range) => part('"StatusProjectBucket"', 'hour', 'SUM(count)', range)),
    ...cover.days.map((range) => part('"StatusDayBucket"', 'day', 'SUM(count)', range)),
  ];
  return { sql: parts.map((sql, index) => `SELECT * FROM (${sql}) AS part${index}`).join(' UNION ALL '), values };
}

function floorText(query: MixQuery, rows: readonly FloorRow[]): string {
  if (query.kind === 'page') return pageText({ ids: rows.slice(0, PAGE_SIZE).map((row) => String(row.id)), hasNextPage: rows.length > PAGE_SIZE });
  const byStatus = new Map<string, number>();
  for (const row of rows) byStatus.set(String(row.status), (byStatus.get(String(row.status)) ?? 0) + Number(row.count));
  const cells: StatusCount[] = [...byStatus].map(([status, count]) => ({ status, count }));
  return countsText(cells.reduce((total, cell) => total + cell.count, 0), cells);
}

/** The floor: `lanes` threads or connections, each running one statement at a time. */
export interface Floor {
  answer(lane: number, query: MixQuery): Promise<string>;
  close(): Promise<void>;
}

export class SqliteFloor implements Floor {
  private constructor(private readonly threads: Worker[]) {}

  static open(file: string, lanes: number): SqliteFloor {
    // A thread does not inherit tsx's loader: esbuild-register compiles its TypeScript entry.
    const options = { workerData: file, execArgv: ['--require', require.resolve('esbuild-register')] };
    return new SqliteFloor(Array.from({ length: lanes }, () => new Worker(path.join(__dirname, 'floor-thread.ts'), options)));
  }

  async answer(lane: number, query: MixQuery): Promise<string> {
    const thread = this.threads[lane];
    if (!thread) throw new Error(`the floor has no thread ${lane}`);
    const request: FloorRequest = floorStatement(SQLITE, query, (ms) => ms);
    const rows = await new Promise<FloorRow[]>((resolve, reject) => {
      thread.once('error', reject);
      thread.once('message', (reply: FloorRow[]) => {
        thread.off('error', reject);
        resolve(reply);
      });
      thread.postMessage(request);
    });
    return floorText(query, rows);
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((thread) => thread.terminate()));
  }
}

export class PostgresFloor implements Floor {
  private constructor(private readonly pool: pg.Pool) {}

  static open(url: string, lanes: number): PostgresFloor {
    const pool = new pg.Pool({
      connectionString: url,
      max: lanes,
      types: { getTypeParser: (oid, format) => (oid === TIMESTAMP_WITHOUT_TIME_ZONE ? parseUtcTimestamp : pg.types.getTypeParser(oid, format)) },
    });
    // As the sequential floor: a generic plan cannot see which status a subquery asks for.
    pool.on('connect', (client) => void client.query('SET plan_cache_mode = force_custom_plan'));
    return new PostgresFloor(pool);
  }

  async answer(_lane: number, query: MixQuery): Promise<string> {
    const { sql, values } = floorStatement(POSTGRES, query, utcTimestamp);
    const { rows } = await this.pool.query<FloorRow>(sql, values);
    return floorText(query, rows);
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

export interface Load {
  queries: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** The first answer that differed from the floor's, if any did. */
  wrong: { query: MixQuery; expected: string; got: string } | null;
}

/**
 * `clients` loops, each sending the next query of the mix as soon as its last one is answered,
 * for `seconds`; client k starts at query k and walks the whole mix, so clients ask different
 * questions at once and each sends pages and counts alike.
 */
export async function drive(clients: number, seconds: number, mix: readonly MixQuery[], expected: readonly string[], answer: (lane: number, query: MixQuery) => Promise<string>): Promise<Load> {
  const samples: number[] = [];
  let wrong: Load['wrong'] = null;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const client = async (lane: number) => {
    for (let index = lane; performance.now() < deadline; index += 1) {
      const at = index % mix.length;
      const query = mix[at];
      if (!query) throw new Error(`the mix has no query ${at}`);
      const sent = performance.now();
      const got = await answer(lane, query);
      samples.push(performance.now() - sent);
      if (got !== expected[at]) wrong ??= { query, expected: expected[at] ?? '', got };
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, lane) => client(lane)));
  const elapsed = (performance.now() - started) / 1000;
  samples.sort((a, b) => a - b);
  return { queries: samples.length, perSecond: samples.length / elapsed, p50: percentile(samples, 0.5), p99: percentile(samples, 0.99), wrong };
}

export interface ConcurrencyRow {
  clients: number;
  ours: Load;
  /** graphql-js over bare HTTP answering from our recorded data: what the stack allows at most. */
  ceiling: Load;
  floor: Load;
}

export function concurrencyLines(rows: readonly ConcurrencyRow[]): string[] {
  const cells = rows.map(({ clients, ours, ceiling, floor }) => {
    const ratio = ours.perSecond / floor.perSecond;
    const judged = clients === CONCURRENCY_TARGET.clients;
    const met = ratio >= CONCURRENCY_TARGET.ratio && ours.p99 < CONCURRENCY_TARGET.p99Ms;
    return [
      String(clients),
      ours.perSecond.toFixed(0),
      `${ms(ours.p50)} / ${ms(ours.p99)}`,
      ceiling.perSecond.toFixed(0),
      `${ms(ceiling.p50)} / ${ms(ceiling.p99)}`,
      floor.perSecond.toFixed(0),
      `${ms(floor.p50)} / ${ms(floor.p99)}`,
      `${ratio.toFixed(2)}x`,
      `${(ceiling.perSecond / floor.perSecond).toFixed(2)}x`,
      judged ? (met ? 'ok' : 'MISSED') : '',
    ];
  });
  return table(['clients', 'ours q/s', 'ours p50 / p99 ms', 'graphql-js ceiling q/s', 'ceiling p50 / p99 ms', 'floor q/s', 'floor p50 / p99 ms', 'ours / floor q/s', 'ceiling / floor q/s', `target at ${CONCURRENCY_TARGET.clients}: >= ${CONCURRENCY_TARGET.ratio}x, p99 < ${CONCURRENCY_TARGET.p99Ms} ms`], cells);
}

export function mixQueryText(query: MixQuery): string {
  return query.kind === 'page' ? `page of ${query.statuses.join('+')}` : `counts since ${new Date(query.createdAfterMs).toISOString()}`;
}
