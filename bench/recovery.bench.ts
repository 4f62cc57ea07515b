// `npm run bench:recovery -- [--database sqlite|postgres] [--running 10000] [--waiting 10000] …`:
// start-up recovery after a crash. A seeded history plus the runs a gone executor left RUNNING
// and WAITING for an approval; then the real server starts on it and, while it recovers, the
// bench asks it for the newest page of 50 runs over and over. Printed: how long recovery took,
// the server's peak RSS, the page's p50/p95 during recovery beside the floor measured on the
// same data in the same run (the same page from an API-only server before, and from the same
// server after; the plain SQL), and the checks of what recovery left behind. Exit 1 when a check
// fails or an answer differs; a missed target is only reported.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DatabaseConfig } from '../src/db/provider.ts';
import { createTempPostgres } from '../src/test/temp-database.ts';
import { checkRecovered, type Check, type TimeValue } from './recovery/checks.ts';
import { addActiveRuns, seedHistory, type ActiveRuns } from './recovery/dataset.ts';
import { parseOptions, type RecoveryBenchOptions } from './recovery/options.ts';
import { Api, openRaw, timeCalls, type RawDatabase } from './recovery/probes.ts';
import { runBench, type CleanUps } from './shared/lifecycle.ts';
import { cpuSample, cpuSeconds, memory } from './shared/process-stats.ts';
import { count, duration, machineLines, megabytes, ms, percentile, table } from './shared/report.ts';
import { build, startBenchServer, type BenchServer } from './shared/server-process.ts';

/** The issue's targets, on this machine. */
const TARGET_PAGE_P50_MS = 20;
const TARGET_PEAK_RSS_BYTES = 300 * 1024 * 1024;
// The recovering server's executor name: on SQLite the crashed server was this same one.
const EXECUTOR_NAME = 'bench-recovery';
const GONE_WORKER = 'bench-gone-worker';
const LEASE_MS = 30_000;
const READINESS_POLL_MS = 200;
const SERVER_READY_TIMEOUT_MS = 30 * 60 * 1000;
const SERVER_STOP_GRACE_MS = 30_000;

interface Timing {
  label: string;
  samples: number[];
}

interface Recovered {
  /** From the first answer of /healthz to the first 200 of /readyz. */
  durationMs: number;
  /** The server's VmHWM when recovery had ended: its whole life so far. */
  peakRss: number | null;
  cpuSeconds: number | null;
  during: Timing;
  /** The last progress /readyz reported, and how many times it was asked. */
  lastProgress: { settled: number; total: number } | null;
  pageErrors: number;
}

function log(line: string): void {
  console.log(line);
}

async function main(options: RecoveryBenchOptions, cleanUps: CleanUps): Promise<number> {
  build('server');
  for (const line of machineLines()) log(line);
  const loadAtStart = loadAverage();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-bench-recovery-'));
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-bench-recovery-work-'));
  const config = await databaseConfig(options, dataDir, cleanUps);
  if (options.keep) cleanUps.add(async () => log(`kept: ${dataDir} (the database${options.database === 'postgres' ? ` is ${config.url}` : ''}, the servers' logs)`));
  else cleanUps.add(async () => rmSync(dataDir, { recursive: true, force: true }));
  cleanUps.add(async () => rmSync(workDir, { recursive: true, force: true }));

  const seeding = performance.now();
  log(`seeding ${count(options.history)} runs of history with runtrail seed…`);
  seedHistory(options.history, { DATA_DIR: dataDir, DATABASE_URL: config.url });
  const seeded = performance.now();
  // SQLite: the same server, SIGKILLed a moment ago (its claims still look alive); PostgreSQL: another worker, gone longer than its lease.
  const claim =
    options.database === 'sqlite'
      ? { owner: EXECUTOR_NAME, leaseExpiresAt: new Date(Date.now() + LEASE_MS) }
      : { owner: GONE_WORKER, leaseExpiresAt: new Date(Date.now() - LEASE_MS) };
  log(`adding ${count(options.running)} RUNNING and ${count(options.waiting)} WAITING runs claimed by ${claim.owner}…`);
  const active = await addActiveRuns(config, { running: options.running, waiting: options.waiting }, claim);
  log(`seeded in ${duration(seeded - seeding)} + ${duration(performance.now() - seeded)} (history + active runs)`);

  const token = readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
  const raw = await openRaw(options.database, config.url);
  cleanUps.add(() => raw.close());
  const serverEnv = { dataDir, databaseUrl: config.url, workDir, cleanUps };

  log('\nfloor: an API-only server (ENGINE=off) on the same data, and the plain SQL…');
  const floor = await withServer(serverEnv, 'floor', { ENGINE: 'off' }, 'ready', async (server) => {
    const api = new Api(server.url, token);
    const answers = { api: await api.page(), sql: await raw.page() };
    const timings = [
      { label: 'page, API-only server before recovery (floor)', samples: await timeCalls(() => api.page(), options.iterations) },
      { label: 'page, plain SQL', samples: await timeCalls(() => raw.page(), options.iterations) },
    ];
    return { answers, timings, peakRss: memory(server.pid).peak };
  });

  log('\nours: the server with its engine on, recovering, asked for the page all along…');
  const ours = await withServer(serverEnv, 'recovery', { ENGINE: 'on', EXECUTOR_NAME, LEASE_SECONDS: String(LEASE_MS / 1000) }, 'listening', async (server) => {
    const api = new Api(server.url, token);
    const recovered = await measureRecovery(server, api);
    const after = { label: 'page, the same server after recovery', samples: await timeCalls(() => api.page(), options.iterations) };
    const answers = { api: await api.page(), sql: await raw.page() };
    log('checking what recovery left…');
    const checks = await checkRecovered(raw, api, active, {
      reason: options.database === 'sqlite' ? 'executor lost' : 'worker lost',
      owner: EXECUTOR_NAME,
      time: timeValue(options),
    });
    return { recovered, after, answers, checks };
  });

  const sameAnswers = floor.answers.api === floor.answers.sql && ours.answers.api === ours.answers.sql;
  const failed = ours.checks.filter((check) => !check.passed);
  log('');
  log(`load average (1 min) ${loadAtStart} at the start, ${loadAverage()} at the end, on ${os.cpus().length} cores`);
  for (const line of resultLines(options, active, floor, ours)) log(line);
  log(`same answers (the page by GraphQL and by SQL, before and after recovery): ${sameAnswers ? 'yes' : 'NO'}`);
  if (!sameAnswers) log(`  before: API ${floor.answers.api.slice(0, 120)}…\n          SQL ${floor.answers.sql.slice(0, 120)}…\n  after:  API ${ours.answers.api.slice(0, 120)}…\n          SQL ${ours.answers.sql.slice(0, 120)}…`);
  log('');
  for (const line of checkLines(ours.checks)) log(line);
  return sameAnswers && failed.length === 0 ? 0 : 1;
}

async function databaseConfig(options: RecoveryBenchOptions, dataDir: string, cleanUps: CleanUps): Promise<DatabaseConfig> {
  if (options.database === 'sqlite') return { provider: 'sqlite', url: `file:${path.join(dataDir, 'runtrail.db')}` };
  const database = await createTempPostgres('bench_recovery');
  if (!options.keep) cleanUps.add(() => database.drop());
  return database.config;
}

function loadAverage(): string {
  return (os.loadavg()[0] ?? Number.NaN).toFixed(1);
}

function timeValue(options: RecoveryBenchOptions): TimeValue {
  return options.database === 'sqlite' ? (at) => at.getTime() : (at) => at.toISOString().replace('Z', '');
}

async function withServer<T>(
  settings: { dataDir: string; databaseUrl: string; workDir: string; cleanUps: CleanUps },
  name: string,
  env: Record<string, string>,
  until: 'ready' | 'listening',
  use: (server: BenchServer) => Promise<T>,
): Promise<T> {
  const server = await startBenchServer({
    dataDir: settings.dataDir,
    databaseUrl: settings.databaseUrl,
    logName: `server-${name}.log`,
    env: { ...env, WORK_DIR: settings.workDir },
    readyTimeoutMs: SERVER_READY_TIMEOUT_MS,
    until,
    stopGraceMs: SERVER_STOP_GRACE_MS,
  });
  // Also at an interruption, before its data and working directories are removed.
  const stop = settings.cleanUps.add(() => server.stop());
  try {
    return await use(server);
  } finally {
    await stop();
  }
}

/** Asks for the page one request after the other until /readyz says recovery is over. */
async function measureRecovery(server: BenchServer, api: Api): Promise<Recovered> {
  const started = performance.now();
  const cpuBefore = cpuSample(server.pid, started);
  let recovering = true;
  let lastProgress: Recovered['lastProgress'] = null;
  let lastNote = started;
  const readiness = (async () => {
    while (recovering) {
      const progress = await api.readiness();
      if (progress === null) {
        recovering = false;
        break;
      }
      lastProgress = progress;
      if (performance.now() - lastNote > 10_000) {
        lastNote = performance.now();
        log(`  recovering: ${count(progress.settled)} / ${count(progress.total)} runs after ${duration(lastNote - started)}`);
      }
      await sleep(READINESS_POLL_MS);
    }
    return performance.now();
  })();
  const samples: number[] = [];
  let pageErrors = 0;
  while (recovering) {
    const before = performance.now();
    try {
      await api.page();
      // A request that ended after recovery did is not one made while it worked.
      if (recovering) samples.push(performance.now() - before);
    } catch {
      pageErrors += 1;
    }
  }
  const readyAt = await readiness;
  const cpuAfter = cpuSample(server.pid, readyAt);
  return {
    durationMs: readyAt - started,
    peakRss: memory(server.pid).peak,
    cpuSeconds: cpuSeconds(cpuBefore, cpuAfter),
    during: { label: 'page, while the server recovers (ours)', samples },
    lastProgress,
    pageErrors,
  };
}

function resultLines(
  options: RecoveryBenchOptions,
  active: ActiveRuns,
  floor: { timings: Timing[]; peakRss: number | null },
  ours: { recovered: Recovered; after: Timing },
): string[] {
  const { recovered } = ours;
  const floorP50 = percentile(sorted(floor.timings[0]?.samples ?? []), 0.5);
  const rows = [recovered.during, ...floor.timings, ours.after].map((timing) => {
    const values = sorted(timing.samples);
    const p50 = percentile(values, 0.5);
    return [timing.label, count(values.length), ms(p50), ms(percentile(values, 0.95)), ms(values.at(-1) ?? Number.NaN), `${(p50 / floorP50).toFixed(2)}x`];
  });
  const duringP50 = percentile(sorted(recovered.during.samples), 0.5);
  const lostPerRun = recovered.durationMs / (active.running + active.waiting);
  return [
    `${options.database}: ${count(options.history)} runs of seeded history, ${count(active.running)} RUNNING and ${count(active.waiting)} WAITING runs of a gone executor`,
    `recovery: ${duration(recovered.durationMs)} (${ms(lostPerRun)} ms per affected run), ${recovered.cpuSeconds === null ? 'n/a' : `${recovered.cpuSeconds.toFixed(1)} s`} of the server's CPU; /readyz last said ${recovered.lastProgress ? `${count(recovered.lastProgress.settled)} / ${count(recovered.lastProgress.total)}` : 'ready at once'}`,
    `server peak RSS (VmHWM): ${megabytes(recovered.peakRss)} recovering, ${megabytes(floor.peakRss)} API-only on the same data (floor) — target < ${megabytes(TARGET_PEAK_RSS_BYTES)}: ${recovered.peakRss !== null && recovered.peakRss < TARGET_PEAK_RSS_BYTES ? 'ok' : 'MISSED'}`,
    '',
    ...table(['newest page of 50 runs (ms)', 'requests', 'p50', 'p95', 'max', 'p50 / floor'], rows),
    `page p50 while recovering: ${ms(duringP50)} ms — target < ${TARGET_PAGE_P50_MS} ms: ${duringP50 < TARGET_PAGE_P50_MS ? 'ok' : 'MISSED'}${recovered.pageErrors > 0 ? `; ${recovered.pageErrors} requests failed` : ''}`,
  ];
}

function checkLines(checks: readonly Check[]): string[] {
  return checks.map((check) => `${check.passed ? 'pass' : 'FAIL'}  ${check.name}: ${check.detail}`);
}

function sorted(samples: readonly number[]): number[] {
  return [...samples].sort((a, b) => a - b);
}

runBench({
  name: 'recovery',
  interrupted: 'stopping the server, removing the data…',
  parse: () => parseOptions(process.argv.slice(2)),
  main,
});
