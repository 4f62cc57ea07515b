// `npm run bench:ui -- [--runs 1000000] [--repeat 9]`: the UI on a seeded history, in Chromium.
// (a) /runs until its first rows show, beside a bare page that reads the same 50 runs with raw
// SQL and sends them as a static table, both checked to show the same run ids; (b) the newest
// run's page until its heading and facts show; (c) the dashboard until its numbers, then its
// charts, are painted; each cold (fresh context) and warm (navigated again); (d) the JavaScript
// each page ships. Exit 1 when the rows differ; a missed aim is only reported.
import { chromium } from 'playwright-core';
import { prepareDataset, type Dataset } from './history/dataset.ts';
import { BenchFailure } from './shared/bench-failure.ts';
import { count, machineLines } from './shared/report.ts';
import { build, startBenchServer, type BenchServer } from './shared/server-process.ts';
import { startBareRunsPage } from './ui/bare-runs-page.ts';
import { dashboardPath } from './ui/dashboard-path.ts';
import { parseOptions } from './ui/options.ts';
import { loadTwice, RowCheck, type LoadSetup, type Target } from './ui/page-loads.ts';
import { CHARTS_MARK, FIRST_ROWS_MARK, NUMBERS_MARK, RUN_PAGE_MARK, type LoadBreakdown, type Mark } from './ui/paint-marks.ts';
import { aimLines, breakdownTable, scriptTable, summary, timeTable, type TimeRow } from './ui/results.ts';
import { scriptBytes, type ScriptBytes } from './ui/script-bytes.ts';
import { signedInState } from './ui/sign-in.ts';

const CHROMIUM = '/usr/bin/chromium';
const SERVER_READY_TIMEOUT_MS = 10 * 60 * 1000;
const SERVER_STOP_GRACE_MS = 60 * 1000;
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

interface Targets {
  /** Goes first in the unmeasured round: its rows are what the others must show. */
  floor: Target;
  runs: Target;
  /** The newest run's page: the floor's first row. */
  run: Target;
  dashboard: Target;
}

interface Samples {
  /** Per mark name. */
  cold: Map<string, number[]>;
  warm: Map<string, number[]>;
  coldBreakdowns: LoadBreakdown[];
}

function noSamples(): Samples {
  return { cold: new Map(), warm: new Map(), coldBreakdowns: [] };
}

function add(into: Map<string, number[]>, times: Record<string, number>): void {
  for (const [mark, time] of Object.entries(times)) into.set(mark, [...(into.get(mark) ?? []), time]);
}

function log(line: string): void {
  console.log(line);
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  // The server (dist/) and the UI (.next/), each rebuilt only when its sources changed.
  build('server and UI');
  const dataset = await prepareDataset(options.dataset, log);
  const sqliteFile = dataset.databaseUrl.slice('file:'.length);
  log('starting the server with its UI (ENGINE=off, SCHEDULER=off)…');
  const server = await startUiServer(dataset);
  const bare = await startBareRunsPage(sqliteFile);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const setup: LoadSetup = { browser, state: await signedInState(browser, dataset, server.url), rows: new RowCheck(), notes: [] };
    printHeader(dataset, options.repeat, browser.version());
    const dashboard = dashboardPath(sqliteFile, Date.now());
    if (dashboard.note) setup.notes.push(dashboard.note);
    const floor: Target = { name: 'bare page /runs', url: `${bare.url}/runs`, marks: [FIRST_ROWS_MARK], runIds: true };
    log('one unmeasured round (the server loads its routes, the database its pages)…');
    await loadTwice(setup, floor);
    const newest = setup.rows.expected?.[0];
    if (!newest) throw new BenchFailure('the bare page showed no runs: the dataset is empty');
    const targets: Targets = {
      floor,
      runs: { name: '/runs', url: `${server.url}/runs`, marks: [FIRST_ROWS_MARK], runIds: true },
      run: { name: '/runs/<newest>', url: `${server.url}/runs/${newest}`, marks: [RUN_PAGE_MARK], runIds: false },
      dashboard: { name: dashboard.path, url: `${server.url}${dashboard.path}`, marks: [NUMBERS_MARK, CHARTS_MARK], runIds: false },
    };
    const order = [targets.floor, targets.runs, targets.run, targets.dashboard];
    for (const target of order.slice(1)) await loadTwice(setup, target);
    const samples = new Map(order.map((target) => [target, noSamples()]));
    for (let round = 1; round <= options.repeat; round += 1) {
      log(`round ${round} of ${options.repeat}…`);
      // Each round starts with another target, so none always runs first after a pause.
      for (const target of rotate(order, round)) {
        const loads = await loadTwice(setup, target);
        const into = samples.get(target);
        if (!into) continue;
        add(into.cold, loads.cold);
        add(into.warm, loads.warm);
        into.coldBreakdowns.push(loads.coldBreakdown);
      }
    }

    log('JavaScript per page (fresh context each)…');
    const paths = [dashboard.path, '/runs', `/runs/${newest}`, '/workflows', '/playground'];
    const scripts: ScriptBytes[] = [];
    for (const path of paths) scripts.push(await scriptBytes(browser, setup.state, server.url, path));

    return printResults(setup, samples, targets, scripts);
  } finally {
    await browser.close();
    await bare.close();
    await server.stop();
  }
}

/** The server with its UI on the bench dataset, serving the Next.js production build from .next/. */
function startUiServer(dataset: Dataset): Promise<BenchServer> {
  return startBenchServer({
    dataDir: dataset.dataDir,
    databaseUrl: dataset.databaseUrl,
    logName: 'server-ui.log',
    env: { UI: 'true', ANSWER_CACHE_MB: undefined },
    readyTimeoutMs: SERVER_READY_TIMEOUT_MS,
    stopGraceMs: SERVER_STOP_GRACE_MS,
  });
}

function printHeader(dataset: Dataset, repeat: number, chromiumVersion: string): void {
  log(`\nbench:ui — ${count(dataset.runs)} runs (${dataset.where}), ${repeat} rounds, Chromium ${chromiumVersion}`);
  for (const line of machineLines()) log(line);
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const start = by % items.length;
  return [...items.slice(start), ...items.slice(0, start)];
}

function printResults(setup: LoadSetup, samples: ReadonlyMap<Target, Samples>, targets: Targets, scripts: readonly ScriptBytes[]): number {
  const of = (target: Target) => samples.get(target) ?? noSamples();
  const times = (target: Target, mark: Mark, state: 'cold' | 'warm') => summary(of(target)[state].get(mark.name) ?? []);
  const { differences, expected } = setup.rows;
  const same = differences.length === 0 ? 'yes' : 'NO';
  const floor = { cold: times(targets.floor, FIRST_ROWS_MARK, 'cold'), warm: times(targets.floor, FIRST_ROWS_MARK, 'warm') };
  const dashboard = targets.dashboard.name;
  const firstRows: TimeRow = { name: '/runs first rows, cold', ours: times(targets.runs, FIRST_ROWS_MARK, 'cold'), floor: floor.cold, sameRows: same };
  const runPage: TimeRow = { name: 'run page first paint, cold', ours: times(targets.run, RUN_PAGE_MARK, 'cold'), floor: floor.cold, sameRows: '—' };
  const numbers: TimeRow = { name: `${dashboard} numbers painted, cold`, ours: times(targets.dashboard, NUMBERS_MARK, 'cold'), floor: floor.cold, sameRows: '—' };
  const rows: TimeRow[] = [
    firstRows,
    { name: '/runs first rows, warm', ours: times(targets.runs, FIRST_ROWS_MARK, 'warm'), floor: floor.warm, sameRows: same },
    runPage,
    { name: 'run page first paint, warm', ours: times(targets.run, RUN_PAGE_MARK, 'warm'), floor: floor.warm, sameRows: '—' },
    numbers,
    { name: `${dashboard} numbers painted, warm`, ours: times(targets.dashboard, NUMBERS_MARK, 'warm'), floor: floor.warm, sameRows: '—' },
    { name: `${dashboard} charts painted, cold`, ours: times(targets.dashboard, CHARTS_MARK, 'cold'), sameRows: '—' },
    { name: `${dashboard} charts painted, warm`, ours: times(targets.dashboard, CHARTS_MARK, 'warm'), sameRows: '—' },
  ];
  const breakdown = breakdownTable([
    { name: '/runs first rows', loads: of(targets.runs).coldBreakdowns },
    { name: 'run page', loads: of(targets.run).coldBreakdowns },
    { name: `${dashboard} numbers`, loads: of(targets.dashboard).coldBreakdowns },
    { name: 'bare page rows', loads: of(targets.floor).coldBreakdowns },
  ]);
  const dashboardScript = scripts.find((page) => page.path === dashboard) ?? null;
  for (const line of ['', ...timeTable(rows), '', ...breakdown, '', ...scriptTable(scripts), '', ...aimLines(firstRows, dashboardScript)]) log(line);
  for (const note of setup.notes) log(`note: ${note}`);
  for (const difference of differences) log(`DIFFERENT ROWS, ${difference}`);
  if (differences.length === 0) log(`same rows: every load of /runs and of the bare page showed the same ${expected?.length ?? 0} run ids in the same order`);
  return differences.length > 0 ? 1 : 0;
}

// Exiting through process.exit runs the 'exit' hook that stops a running server.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof BenchFailure ? `bench:ui failed: ${error.message}` : error);
    process.exit(1);
  },
);
