// `npm run bench:history -- --runs 1000000 [--database sqlite|postgres]`: the history queries
// (a page of runs filtered by two statuses, a page 100 deep, status counts over all time and
// the last 7 days, an hourly trend over 30 days) over HTTP against the real server on a seeded
// history, beside the same answers by the best plain SQL straight on the database, all checked
// equal. A page is judged against that SQL plus a bare node:http server answering the same bytes,
// timed in the same run with the same client. Exit 1 when any answer differs; a missed target is
// only reported.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiHistory, apiCountsText, apiPage, apiPageText, apiTrendText, type Exchange } from './history/api-history.ts';
import { countsText, firstDifference, pageText, PAGE_SIZE, trendPointsFromCells, trendText, type PageAnswer, type StatusCount } from './history/answers.ts';
import { startBareHttp } from './history/bare-http.ts';
import { apiAnswer, apiExchange, concurrencyLines, describeMix, drive, historyMix, mixQueryText, PostgresFloor, SqliteFloor, type ConcurrencyRow, type Floor, type Load } from './history/concurrency.ts';
import { adminToken, prepareDataset, type Dataset } from './history/dataset.ts';
import { parseOptions, type BenchOptions } from './history/options.ts';
import { PostgresRawHistory, SqliteRawHistory, type RawHistory, type RawRun, type RunKey } from './history/raw-history.ts';
import { PEAK_RSS_TARGET_BYTES, tableLines, verdict, type Row } from './history/results.ts';
import { time, type TimingPlan, type Timings } from './history/timing.ts';
import { BenchFailure } from './shared/bench-failure.ts';
import { memory, resetPeakRss } from './shared/process-stats.ts';
import { count, machineLines, megabytes, ms } from './shared/report.ts';
import { build, startBenchServer, type BenchServer } from './shared/server-process.ts';

// The schema our server serves (`npm run schema:emit`), for the graphql-js ceiling of the concurrent mix.
const SCHEMA_FILE = path.join(__dirname, '..', 'schema.graphql');

const DEEP_PAGE = 100;
const DAY_MS = 24 * 60 * 60 * 1000;
// The engine may still be writing after /readyz.
const QUIET_FOR_MS = 3_000;
const QUIET_TIMEOUT_MS = 30 * 60 * 1000;
const QUIET_POLL_MS = 250;
const STILL_BUSY_EVERY_MS = 10_000;
// Recovery after a fresh seed settles every run the seed left RUNNING, one transaction each.
const SERVER_READY_TIMEOUT_MS = 30 * 60 * 1000;
const SERVER_STOP_GRACE_MS = 60 * 1000;

type PageKey = 'firstPage' | 'deepPage';
type RowKey = PageKey | 'countsAll' | 'countsWeek' | 'trend';
const ROW_KEYS: readonly RowKey[] = ['firstPage', 'deepPage', 'countsAll', 'countsWeek', 'trend'];

/** Times one query against an expected answer. */
type Timed = (expected: string, plan: TimingPlan) => Promise<Timings>;

interface TimeWindow {
  now: Date;
  weekAgo: Date;
  monthAgo: Date;
}

interface Walk<Cursor> {
  /** Each page's answer, from page 1 on. */
  texts: string[];
  /** The cursor that fetched the last page (null when that is page 1). */
  cursorOfLast: Cursor | null;
}

/** The floor's answers, computed once the database is quiet. */
interface Reference {
  walk: Walk<RunKey>;
  byStatus: StatusCount[];
  answers: Record<RowKey, string>;
}

interface ServerMemory {
  label: string;
  /** VmHWM over the server's whole life. */
  life: number | null;
  /** VmHWM from when the database was quiet until the timings ended. */
  whileTiming: number | null;
}

interface Baseline {
  label: string;
  timings: Timings;
}

interface Bench {
  options: BenchOptions;
  dataset: Dataset;
  raw: RawHistory;
  token: string;
  window: TimeWindow;
  plan: TimingPlan;
  rows: Record<RowKey, Row>;
  memory: ServerMemory[];
  baselines: Baseline[];
  concurrency: ConcurrencyRow[];
  /** Answers of the concurrent mix that differed from the floor's. */
  concurrencyDifferences: string[];
  notes: string[];
}

function log(line: string): void {
  console.log(line);
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  // `runtrail seed` and the server run the compiled code in dist/.
  build('server');
  const dataset = await prepareDataset(options, log);
  const bench: Bench = {
    options,
    dataset,
    raw: await openRawHistory(dataset),
    token: await adminToken(dataset),
    window: timeWindow(new Date()),
    plan: { warmup: options.warmup, iterations: options.iterations },
    rows: emptyRows(options),
    memory: [],
    baselines: [],
    concurrency: [],
    concurrencyDifferences: [],
    notes: [],
  };
  printHeader(bench);
  let failure: unknown = null;
  try {
    await timeEngineServer(bench);
    if (!options.concurrencyOnly) await timeCachedServer(bench);
  } catch (error) {
    failure = error;
  } finally {
    await bench.raw.close();
  }
  printResults(bench);
  if (failure !== null) throw failure;
  return ROW_KEYS.some((key) => bench.rows[key].differences.length > 0) || bench.concurrencyDifferences.length > 0 ? 1 : 0;
}

function openRawHistory(dataset: Dataset): Promise<RawHistory> {
  return dataset.database === 'sqlite'
    ? Promise.resolve(new SqliteRawHistory(dataset.databaseUrl.slice('file:'.length)))
    : PostgresRawHistory.connect(dataset.databaseUrl);
}

function timeWindow(now: Date): TimeWindow {
  return { now, weekAgo: new Date(now.getTime() - 7 * DAY_MS), monthAgo: new Date(now.getTime() - 30 * DAY_MS) };
}

function emptyRows(options: BenchOptions): Record<RowKey, Row> {
  const statuses = options.statuses.join('+');
  const row = (name: string, kind: Row['kind']): Row => ({ name, kind, differences: [] });
  return {
    firstPage: row(`runs page 1, ${statuses}`, 'page'),
    deepPage: row(`runs page ${DEEP_PAGE}, ${statuses}`, 'page'),
    countsAll: row('runStatusCounts, all time', 'aggregate'),
    countsWeek: row('runStatusCounts, last 7 days', 'aggregate'),
    trend: row('runStatusTrend HOUR, 30 days', 'aggregate'),
  };
}

/**
 * The server with the answer cache off: ours (the query engine) beside the SQL floor and the
 * naive form; then the bare HTTP server, answering the bytes ours answered for each page.
 */
async function timeEngineServer(bench: Bench): Promise<void> {
  log('\nstarting the server with the answer cache off (ANSWER_CACHE_MB=0)…');
  await onQuietServer(bench, { label: 'uncached', answerCache: false }, async (api, reference) => {
    describeReference(bench, reference);
    if (!bench.options.concurrencyOnly) await timeSequential(bench, api, reference);
    await timeConcurrency(bench, api);
  });
}

/** Each query on its own, one after another: ours beside the SQL floor, the naive form and a bare HTTP server. */
async function timeSequential(bench: Bench, api: ApiHistory, reference: Reference): Promise<void> {
  log('timing the SQL floor and the naive form on the database…');
  const naiveWalk = await walk<RunKey>((after) => bench.raw.naivePage(bench.options.statuses, after).then(rawPage), reference.walk.texts.length);
  compareWalks(bench.rows.deepPage, 'naive', reference.walk.texts, naiveWalk.texts);
  await timeSide(bench, 'sql', sqlQueries(bench, reference.walk.cursorOfLast), reference.answers);
  await timeSide(bench, 'naive', naivePageQueries(bench, naiveWalk.cursorOfLast), reference.answers);
  log('timing ours over HTTP (answer cache off)…');
  const deepCursor = await timeApi(bench, 'ours', api, reference);
  await timeBareHttp(bench, api, deepCursor, reference);
}

/**
 * The mix of pages and counts by N clients at once: ours over HTTP beside the floor, the same
 * SQL by N threads (SQLite) or connections (PostgreSQL) straight on the database.
 */
async function timeConcurrency(bench: Bench, api: ApiHistory): Promise<void> {
  const { concurrency, concurrencySeconds } = bench.options;
  const mix = historyMix(bench.window.now);
  log(`timing the concurrent mix at ${concurrency.join(', ')} clients, ${concurrencySeconds} s per side: ${describeMix(mix)}`);
  const floor = openFloor(bench.dataset, Math.max(...concurrency));
  try {
    const expected: string[] = [];
    for (const query of mix) expected.push(await floor.answer(0, query));
    for (const [index, query] of mix.entries()) {
      const got = await apiAnswer(api, query);
      if (got !== expected[index]) noteMixDifference(bench, 'ours', { query, expected: expected[index] ?? '', got });
    }
    const exchanges: Exchange[] = [];
    for (const query of mix) exchanges.push(await apiExchange(api, query));
    const ceilingServer = await startBareHttp(bench.dataset.dataDir, exchanges, readFileSync(SCHEMA_FILE, 'utf8'));
    try {
      const ceilingApi = new ApiHistory(ceilingServer.url, bench.token);
      for (const clients of concurrency) {
        const ours = await drive(clients, concurrencySeconds, mix, expected, (_lane, query) => apiAnswer(api, query));
        const ceiling = await drive(clients, concurrencySeconds, mix, expected, (_lane, query) => apiAnswer(ceilingApi, query));
        const floorLoad = await drive(clients, concurrencySeconds, mix, expected, (lane, query) => floor.answer(lane, query));
        for (const [side, load] of [['ours', ours], ['graphql-js ceiling', ceiling], ['floor', floorLoad]] as const) if (load.wrong) noteMixDifference(bench, `${side} at ${clients} clients`, load.wrong);
        log(`  ${clients} clients: ours ${ours.perSecond.toFixed(0)} q/s, graphql-js ceiling ${ceiling.perSecond.toFixed(0)} q/s, floor ${floorLoad.perSecond.toFixed(0)} q/s`);
        bench.concurrency.push({ clients, ours, ceiling, floor: floorLoad });
      }
    } finally {
      await ceilingServer.stop();
    }
  } finally {
    await floor.close();
  }
}

function openFloor(dataset: Dataset, lanes: number): Floor {
  return dataset.database === 'sqlite' ? SqliteFloor.open(dataset.databaseUrl.slice('file:'.length), lanes) : PostgresFloor.open(dataset.databaseUrl, lanes);
}

function noteMixDifference(bench: Bench, side: string, wrong: NonNullable<Load['wrong']>): void {
  const { expected, got } = firstDifference(wrong.expected, wrong.got);
  bench.concurrencyDifferences.push(`${side}, ${mixQueryText(wrong.query)}: answered differently from the SQL floor\n      ${'sql'.padEnd(8)}: ${expected}\n      ${side.padEnd(8)}: ${got}`);
}

/** A bare node:http server answering each page request with the bytes ours answered, timed with the same client. */
async function timeBareHttp(bench: Bench, api: ApiHistory, deepCursor: string | null, reference: Reference): Promise<void> {
  const { statuses } = bench.options;
  const exchanges = [await api.pageExchange(statuses, PAGE_SIZE, null), await api.pageExchange(statuses, PAGE_SIZE, deepCursor)];
  log(`timing a bare node:http server answering the same ${exchanges.map((exchange) => Buffer.byteLength(exchange.response)).join(' and ')} bytes…`);
  const bare = await startBareHttp(bench.dataset.dataDir, exchanges);
  try {
    await timeSide(bench, 'bareHttp', pageQueries(bench, new ApiHistory(bare.url, bench.token), deepCursor), reference.answers);
  } finally {
    await bare.stop();
  }
}

/** A second server with the answer cache at its default: the same queries, as repeated requests meet them. */
async function timeCachedServer(bench: Bench): Promise<void> {
  log('\nstarting the server with the answer cache at its default…');
  await onQuietServer(bench, { label: 'cached', answerCache: true }, async (api, reference) => {
    log('timing ours over HTTP (answer cache on)…');
    await timeApi(bench, 'cached', api, reference);
  });
}

/**
 * Starts a server and waits until its engine has stopped writing (its recovery fails the runs the
 * seed left RUNNING; resumed WAITING runs wait, until a shutdown aborts them). Only then are the
 * floor's answers computed and the server measured.
 */
async function onQuietServer(
  bench: Bench,
  settings: { label: string; answerCache: boolean },
  use: (api: ApiHistory, reference: Reference) => Promise<void>,
): Promise<void> {
  const server = await startServer(bench.dataset, settings);
  try {
    const api = new ApiHistory(server.url, bench.token);
    const quietSeq = await waitUntilQuiet(bench.raw);
    const startupPeak = memory(server.pid).peak;
    const peakWasReset = resetPeakRss(server.pid);
    await use(api, await floorReference(bench));
    await timeBaseline(bench, settings.label, api);
    await noteIfChanged(bench, quietSeq, settings.label);
    bench.memory.push(serverMemory(settings.label, server.pid, startupPeak, peakWasReset));
  } finally {
    await server.stop();
  }
}

/** The server that answers history, with its answer cache on or off. */
function startServer(dataset: Dataset, settings: { label: string; answerCache: boolean }): Promise<BenchServer> {
  return startBenchServer({
    dataDir: dataset.dataDir,
    databaseUrl: dataset.databaseUrl,
    logName: `server-${settings.label}.log`,
    env: { ANSWER_CACHE_MB: settings.answerCache ? undefined : '0' },
    readyTimeoutMs: SERVER_READY_TIMEOUT_MS,
    stopGraceMs: SERVER_STOP_GRACE_MS,
    stillStarting: (seconds) => log(`  still starting after ${seconds}s (recovery settles the runs the seed left RUNNING)`),
  });
}

/**
 * Walks the pages over HTTP to get the deep page's cursor (checking every page on the way), then
 * times each query; returns that cursor.
 */
async function timeApi(bench: Bench, side: 'ours' | 'cached', api: ApiHistory, reference: Reference): Promise<string | null> {
  const apiWalk = await walk<string>((after) => api.page(bench.options.statuses, PAGE_SIZE, after).then(apiRunsPage), reference.walk.texts.length);
  compareWalks(bench.rows.deepPage, side, reference.walk.texts, apiWalk.texts);
  await timeSide(bench, side, apiQueries(bench, api, apiWalk.cursorOfLast), reference.answers);
  return apiWalk.cursorOfLast;
}

/** Waits until no event has been written for a while; returns the event seq it settled at. */
async function waitUntilQuiet(raw: RawHistory): Promise<string> {
  const started = performance.now();
  let seq = await raw.headSeq();
  let changedAt = started;
  let lastNote = started;
  for (;;) {
    await sleep(QUIET_POLL_MS);
    const now = performance.now();
    const next = await raw.headSeq();
    if (next !== seq) {
      seq = next;
      changedAt = now;
    } else if (now - changedAt >= QUIET_FOR_MS) {
      return seq;
    }
    if (now - started > QUIET_TIMEOUT_MS) throw new BenchFailure(`the server's engine kept changing runs for ${QUIET_TIMEOUT_MS / 60_000} minutes`);
    if (now - lastNote > STILL_BUSY_EVERY_MS) {
      lastNote = now;
      log(`  waiting for the engine to stop writing (event seq ${seq})…`);
    }
  }
}

async function noteIfChanged(bench: Bench, quietSeq: string, label: string): Promise<void> {
  const seq = await bench.raw.headSeq();
  if (seq !== quietSeq) bench.notes.push(`runs changed while the ${label} server was timed (event seq ${quietSeq} → ${seq}): answers may differ for that reason`);
}

async function floorReference(bench: Bench): Promise<Reference> {
  const { raw, options, window } = bench;
  const pages = await walk<RunKey>((after) => raw.unionPage(options.statuses, after).then(rawPage), DEEP_PAGE);
  const byStatus = await raw.statusCounts(null);
  const week = await raw.statusCounts(window.weekAgo.getTime());
  const trend = await raw.hourlyTrend(window.monthAgo.getTime(), window.now.getTime());
  return {
    walk: pages,
    byStatus,
    answers: {
      firstPage: pages.texts[0] ?? '',
      deepPage: pages.texts.at(-1) ?? '',
      countsAll: countsText(sum(byStatus), byStatus),
      countsWeek: countsText(sum(week), week),
      trend: trendText(trendPointsFromCells(trend)),
    },
  };
}

function describeReference(bench: Bench, reference: Reference): void {
  const byStatus = [...reference.byStatus].sort((a, b) => b.count - a.count);
  const wanted = new Set<string>(bench.options.statuses);
  const filtered = byStatus.filter((cell) => wanted.has(cell.status));
  log(`runs by status once settled: ${byStatus.map((cell) => `${cell.status} ${count(cell.count)}`).join(', ')}`);
  log(`pages filter ${bench.options.statuses.join(', ')}: ${count(sum(filtered))} runs (${percent(sum(filtered), sum(byStatus))} of all)`);
  const depth = reference.walk.texts.length;
  if (depth < DEEP_PAGE) {
    bench.rows.deepPage.name = `runs page ${depth} (last), ${bench.options.statuses.join('+')}`;
    log(`only ${depth} pages of those runs: the deep page is page ${depth}; page ${DEEP_PAGE} needs more --runs`);
  }
}

async function walk<Cursor>(fetchPage: (after: Cursor | null) => Promise<{ page: PageAnswer; next: Cursor | null }>, maxPages: number): Promise<Walk<Cursor>> {
  const texts: string[] = [];
  let after: Cursor | null = null;
  for (;;) {
    const { page, next } = await fetchPage(after);
    texts.push(pageText(page));
    if (texts.length >= maxPages || !page.hasNextPage || next === null) return { texts, cursorOfLast: after };
    after = next;
  }
}

/** PAGE_SIZE + 1 rows: the extra one only says there is a next page. */
function rawPage(rows: readonly RawRun[]): { page: PageAnswer; next: RunKey | null } {
  const shown = rows.slice(0, PAGE_SIZE);
  const last = shown.at(-1);
  return { page: { ids: shown.map((run) => run.id), hasNextPage: rows.length > PAGE_SIZE }, next: last ? { createdAtMs: last.createdAtMs, id: last.id } : null };
}

function apiRunsPage(runs: Parameters<typeof apiPage>[0]): { page: PageAnswer; next: string | null } {
  return { page: apiPage(runs), next: runs.pageInfo.endCursor };
}

function compareWalks(row: Row, side: string, expected: readonly string[], got: readonly string[]): void {
  if (got.length !== expected.length) {
    row.differences.push(`${side}: walked ${got.length} pages where the SQL floor walked ${expected.length}`);
    return;
  }
  const index = expected.findIndex((text, at) => got[at] !== text);
  if (index === -1) return;
  const { expected: want, got: have } = firstDifference(expected[index] ?? '', got[index] ?? '');
  row.differences.push(`${side}: page ${index + 1} of the walk differs from the SQL floor's\n      ${'sql'.padEnd(8)}: ${want}\n      ${side.padEnd(8)}: ${have}`);
}

function timed<T>(run: () => Promise<T>, text: (value: T) => string): Timed {
  return (expected, plan) => time(run, text, expected, plan);
}

function sqlQueries(bench: Bench, deepKey: RunKey | null): Record<RowKey, Timed> {
  const { raw, options, window } = bench;
  const pageOf = (rows: RawRun[]) => pageText(rawPage(rows).page);
  const counts = (cells: StatusCount[]) => countsText(sum(cells), cells);
  return {
    firstPage: timed(() => raw.unionPage(options.statuses, null), pageOf),
    deepPage: timed(() => raw.unionPage(options.statuses, deepKey), pageOf),
    countsAll: timed(() => raw.statusCounts(null), counts),
    countsWeek: timed(() => raw.statusCounts(window.weekAgo.getTime()), counts),
    trend: timed(() => raw.hourlyTrend(window.monthAgo.getTime(), window.now.getTime()), (cells) => trendText(trendPointsFromCells(cells))),
  };
}

function naivePageQueries(bench: Bench, deepKey: RunKey | null): Partial<Record<RowKey, Timed>> {
  const { raw, options } = bench;
  const pageOf = (rows: RawRun[]) => pageText(rawPage(rows).page);
  return {
    firstPage: timed(() => raw.naivePage(options.statuses, null), pageOf),
    deepPage: timed(() => raw.naivePage(options.statuses, deepKey), pageOf),
  };
}

function pageQueries(bench: Bench, api: ApiHistory, deepCursor: string | null): Record<PageKey, Timed> {
  const { statuses } = bench.options;
  return {
    firstPage: timed(() => api.page(statuses, PAGE_SIZE, null), apiPageText),
    deepPage: timed(() => api.page(statuses, PAGE_SIZE, deepCursor), apiPageText),
  };
}

function apiQueries(bench: Bench, api: ApiHistory, deepCursor: string | null): Record<RowKey, Timed> {
  const { window } = bench;
  return {
    ...pageQueries(bench, api, deepCursor),
    countsAll: timed(() => api.counts(null), apiCountsText),
    countsWeek: timed(() => api.counts(window.weekAgo), apiCountsText),
    trend: timed(() => api.trend(window.monthAgo, window.now), apiTrendText),
  };
}

type Side = 'ours' | 'cached' | 'sql' | 'bareHttp' | 'naive';

async function timeSide(bench: Bench, side: Side, queries: Partial<Record<RowKey, Timed>>, expected: Record<RowKey, string>): Promise<void> {
  for (const key of ROW_KEYS) {
    const query = queries[key];
    if (!query) continue;
    const row = bench.rows[key];
    const timings = await query(expected[key], bench.plan);
    row[side] = timings;
    if (timings.wrong !== null) {
      const { expected: want, got } = firstDifference(expected[key], timings.wrong);
      row.differences.push(`${side}: answered differently from the SQL floor\n      ${'sql'.padEnd(8)}: ${want}\n      ${side.padEnd(8)}: ${got}`);
    }
  }
}

async function timeBaseline(bench: Bench, label: string, api: ApiHistory): Promise<void> {
  bench.baselines.push({ label, timings: await time(() => api.ping(), (typename) => typename, 'Query', bench.plan) });
}

function serverMemory(label: string, pid: number, startupPeak: number | null, peakWasReset: boolean): ServerMemory {
  const sinceQuiet = memory(pid).peak;
  const life = startupPeak === null || sinceQuiet === null ? (startupPeak ?? sinceQuiet) : Math.max(startupPeak, sinceQuiet);
  return { label, life, whileTiming: peakWasReset ? sinceQuiet : null };
}

function printHeader(bench: Bench): void {
  const { options, dataset, window, plan } = bench;
  log('');
  log(`bench:history — ${count(dataset.runs)} runs on ${dataset.database === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${dataset.where} (${dataset.seeded ? 'seeded now' : 'reused'})`);
  for (const line of machineLines()) log(line);
  log(`each timing: ${plan.warmup} warm-up + ${plan.iterations} timed sequential iterations; HTTP to 127.0.0.1 over a keep-alive connection, as admin`);
  log(`window: now = ${window.now.toISOString()}; counts since ${window.weekAgo.toISOString()}; trend HOUR from ${window.monthAgo.toISOString()}`);
  log(`pages: first ${PAGE_SIZE} runs with statuses ${options.statuses.join(', ')}, newest first; the deep page after walking ${DEEP_PAGE - 1} pages`);
}

function printResults(bench: Bench): void {
  const rows = ROW_KEYS.map((key) => bench.rows[key]);
  log('');
  if (!bench.options.concurrencyOnly) for (const line of tableLines(rows)) log(line);
  if (bench.concurrency.length > 0) {
    log('');
    log('concurrent clients, the mix of pages and counts (answer cache off); floor: the same SQL by as many threads straight on the database');
    for (const line of concurrencyLines(bench.concurrency)) log(line);
  }
  log('');
  if (bench.baselines.length > 0) {
    const baselines = bench.baselines.map(({ label, timings }) => `${label} ${ms(timings.p50)} / ${ms(timings.p95)}`);
    log(`for scale, \`{ __typename }\` over HTTP (no data, what every request pays) p50/p95: ${baselines.join(', ')} ms`);
  }
  for (const memory of bench.memory) {
    const met = memory.life !== null && memory.life < PEAK_RSS_TARGET_BYTES;
    const whileTiming = memory.whileTiming === null ? '' : `, ${megabytes(memory.whileTiming)} while answering`;
    log(`server peak RSS (VmHWM), ${memory.label.padEnd(6)}: ${megabytes(memory.life)} over its life${whileTiming}; target < ${megabytes(PEAK_RSS_TARGET_BYTES)} ${met ? 'ok' : 'MISSED'}`);
  }
  for (const note of bench.notes) log(`note: ${note}`);
  const missed = rows.filter((row) => verdict(row)?.met === false).map((row) => row.name);
  const memoryMissed = bench.memory.filter((memory) => memory.life === null || memory.life >= PEAK_RSS_TARGET_BYTES).map((memory) => `peak RSS (${memory.label})`);
  if (missed.length + memoryMissed.length > 0) log(`MISSED targets: ${[...missed, ...memoryMissed].join('; ')}`);
  const differing = rows.filter((row) => row.differences.length > 0);
  for (const row of differing) for (const difference of row.differences) log(`DIFFERENT ANSWER, ${row.name}: ${difference}`);
  for (const difference of bench.concurrencyDifferences) log(`DIFFERENT ANSWER, concurrent mix: ${difference}`);
  if (differing.length === 0 && rows.some((row) => row.ours)) log('all answers are the same: ours (with and without the answer cache), the SQL floor, the bare HTTP server and the naive form');
}

function sum(cells: readonly StatusCount[]): number {
  return cells.reduce((total, cell) => total + cell.count, 0);
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '0%' : `${((part / whole) * 100).toFixed(1)}%`;
}

// Exiting through process.exit runs the 'exit' hook that stops a running server.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof BenchFailure) {
      console.error(`bench:history failed: ${error.message}`);
    } else {
      console.error(error);
    }
    process.exit(1);
  },
);
