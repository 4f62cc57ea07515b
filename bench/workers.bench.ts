// `npm run bench:workers -- [--runs 2000] [--workers 1,2,4] …`: distributed execution on
// PostgreSQL. One `runtrail api` and N workers (each its own process and data directory)
// execute runs of a one-step `true` workflow triggered through GraphQL: runs completed/s and
// enqueue→start p50/p99 beside the floor, N bare processes spawning `true` at the same
// parallelism fed the same arrivals. Then chaos: a steady stream of `sleep 1` runs (of a step
// without a retry policy, and of one with a retry) while a random worker is SIGKILLed (and
// replaced) every few seconds; afterwards every run must be terminal, no step may have run twice
// except through a retry its policy allowed, and every orphaned run must have been settled by
// its policy within the lease + 5 s. Exit 1 when a check fails or the two sides gave different answers.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTempPostgres } from '../src/test/temp-database.ts';
import { runBench, type CleanUps } from './shared/lifecycle.ts';
import { count, machineLines, ms, percentile, table } from './shared/report.ts';
import { build } from './shared/server-process.ts';
import { runChaos, chaosLines } from './workers/chaos.ts';
import { Cluster } from './workers/cluster.ts';
import { measureFloor, type Timings } from './workers/floor.ts';
import { parseOptions, type WorkersBenchOptions } from './workers/options.ts';
import { measureOurs, TRUE_WORKFLOW, withWorkers, type Arrivals, type OursResult } from './workers/throughput.ts';

interface Row {
  workers: number;
  arrivals: Arrivals;
  ours: OursResult;
  floor: Timings;
}

function log(line: string): void {
  console.log(line);
}

async function main(options: WorkersBenchOptions, cleanUps: CleanUps): Promise<number> {
  build('server');
  for (const line of machineLines()) log(line);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-bench-workers-'));
  const database = await createTempPostgres('bench_workers');
  const databaseName = new URL(database.config.url).pathname.slice(1);
  if (options.keep) {
    cleanUps.add(async () => log(`kept: the database ${databaseName} and the data directories (logs of every process) in ${dataDir}`));
  } else {
    cleanUps.add(async () => rmSync(dataDir, { recursive: true, force: true }));
    cleanUps.add(() => database.drop());
  }
  const maxActiveRuns = Math.max(...options.workers, options.chaosWorkers) * options.concurrency;
  const cluster = await Cluster.start({ dataDir, databaseUrl: database.config.url, maxActiveRuns });
  cleanUps.add(() => cluster.stop());
  log(`PostgreSQL database ${databaseName}, one API process, workers with EXECUTOR_CONCURRENCY=${options.concurrency}, MAX_ACTIVE_RUNS=${maxActiveRuns}`);

  const workflowId = await cluster.saveWorkflow(TRUE_WORKFLOW('one-true', maxActiveRuns));
  const rows: Row[] = [];
  for (const workers of options.workers) {
    const plans: Arrivals[] = [
      { kind: 'burst', runs: options.runs, inFlight: options.triggers },
      { kind: 'paced', runs: options.pacedRuns, perSecond: options.pacedRate },
    ];
    await withWorkers(cluster, workers, options.concurrency, async (started) => {
      for (const arrivals of plans) {
        log(`\n${workers} worker${workers === 1 ? '' : 's'}, ${arrivalsLabel(arrivals)}…`);
        const ours = await measureOurs(cluster, workflowId, started, arrivals);
        log(`  ours: ${[...ours.statuses].map(([status, runs]) => `${count(runs)} ${status}`).join(', ')}; executed per worker: ${ours.perWorker.map(count).join(' / ')}; CPU per run: API ${cpuMs(ours.apiCpuMsPerRun)}, workers ${cpuMs(ours.workersCpuMsPerRun)}`);
        const floor = await measureFloor(ours.arrivalsMs, workers, options.concurrency, dataDir);
        log(`  floor: ${count(floor.completed)} of ${count(ours.arrivalsMs.length)} spawns exited 0`);
        rows.push({ workers, arrivals, ours, floor });
      }
    });
  }
  log('');
  for (const line of throughputLines(rows, options)) log(line);
  const sameAnswer = rows.every((row) => row.ours.completed === row.arrivals.runs && row.floor.completed === row.arrivals.runs);
  log(`same answer (every run SUCCEEDED, every spawn exited 0): ${sameAnswer ? 'yes' : 'NO'}`);

  let chaosPassed = true;
  if (options.chaosSeconds > 0) {
    log(
      `\nchaos: ${options.chaosWorkers} workers with LEASE_SECONDS=${options.chaosLeaseSeconds}, ${options.chaosRate} runs/s of a \`sleep 1\` step (every other run with a retry), ` +
        `a random worker SIGKILLed every ${options.killEverySeconds} s for ${options.chaosSeconds} s and replaced under a new name…`,
    );
    const chaos = await runChaos(cluster, options, maxActiveRuns, dataDir);
    for (const line of chaosLines(chaos, options)) log(line);
    chaosPassed = chaos.checks.every((check) => check.passed);
  }
  return sameAnswer && chaosPassed ? 0 : 1;
}

function arrivalsLabel(arrivals: Arrivals): string {
  return arrivals.kind === 'burst'
    ? `a burst of ${count(arrivals.runs)} runs of \`true\`, ${arrivals.inFlight} triggerRun requests in flight`
    : `${count(arrivals.runs)} runs of \`true\` triggered at ${arrivals.perSecond}/s`;
}

function cpuMs(value: number | null): string {
  return value === null ? 'n/a' : `${ms(value)} ms`;
}

// The database keeps milliseconds: a floor under one is counted as one.
function ratio(ours: number, floor: number): string {
  return `${(ours / Math.max(floor, 1)).toFixed(1)}x`;
}

function throughputLines(rows: readonly Row[], options: WorkersBenchOptions): string[] {
  const cells = rows.map(({ workers, arrivals, ours, floor }) => {
    const oursWaits = [...ours.waits].sort((a, b) => a - b);
    const floorWaits = [...floor.waits].sort((a, b) => a - b);
    const [oursP50, oursP99, floorP50, floorP99] = [percentile(oursWaits, 0.5), percentile(oursWaits, 0.99), percentile(floorWaits, 0.5), percentile(floorWaits, 0.99)];
    return [
      `${workers} x ${options.concurrency}`,
      arrivals.kind === 'burst' ? `burst of ${count(arrivals.runs)}` : `${count(arrivals.runs)} at ${arrivals.perSecond}/s`,
      count(ours.triggeredPerSecond),
      count(ours.perSecond),
      count(floor.perSecond),
      `${(floor.perSecond / ours.perSecond).toFixed(2)}x`,
      `${ms(oursP50)} / ${ms(oursP99)}`,
      `${ms(floorP50)} / ${ms(floorP99)}`,
      `${ratio(oursP50, floorP50)} / ${ratio(oursP99, floorP99)}`,
    ];
  });
  return [
    ...table(['workers x concurrency', 'runs', 'triggered/s', 'completed/s ours', 'floor', 'floor / ours', 'enqueue→start p50 / p99 ms, ours', 'floor', 'ours / floor'], cells),
    '(triggered/s: runs the API process accepted while the bench triggered them; the floor is fed the same arrival times, so where it',
    ' keeps up its completed/s is the trigger rate; a burst queues runs faster than the workers start them, so its enqueue→start',
    ' is mostly time in the queue, and the paced runs show the latency of an idle worker; times are in whole ms as the database keeps',
    ' them, and a ratio counts a floor under 1 ms as 1 ms)',
  ];
}

runBench({
  name: 'workers',
  interrupted: 'stopping the processes, dropping the database…',
  parse: () => parseOptions(process.argv.slice(2)),
  main,
});
