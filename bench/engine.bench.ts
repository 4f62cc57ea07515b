// `npm run bench:engine`: steps per second through the engine beside bare process spawning on
// the same machine, in one process, on SQLite and PostgreSQL, and status changes per second
// through the write path alone on both beside bare SQL.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { TEST_ACCESS, TEST_ENGINE } from '../src/test/compose.ts';
import { composeServices, type Services } from '../src/composition.ts';
import { openDatabase } from '../src/db/client.ts';
import { migrate } from '../src/db/migrator.ts';
import type { DatabaseConfig } from '../src/db/provider.ts';
import { systemClock } from '../src/domain/clock.ts';
import { newId } from '../src/domain/ids.ts';
import { isRunStatus, isTerminalRunStatus } from '../src/domain/status.ts';
import { InProcessRunEventBus } from '../src/events/run-event-bus.ts';
import type { RunRecord } from '../src/repositories/run.repository.ts';
import type { WorkflowRecord } from '../src/repositories/workflow.repository.ts';
import { createTempPostgres } from '../src/test/temp-database.ts';
import { spawnsFromSmallProcess } from './engine/small-process-spawns.ts';
import { measureWritePath, writePathLines } from './engine/write-path.ts';
import { BenchFailure } from './shared/bench-failure.ts';
import { count, ms, table } from './shared/report.ts';

const STEPS = Number(process.env.BENCH_STEPS ?? 1000);
const PARALLEL = Number(process.env.BENCH_PARALLEL ?? 8);
// Each round runs the workflow once and the floors once.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const WARM_UP_STEPS = 100;
// Runs of the write-path part (0: no write-path part), each taking four status changes, and how many change at once.
const WRITE_RUNS = Number(process.env.BENCH_WRITE_RUNS ?? 2000);
const WRITE_CONCURRENCY = Number(process.env.BENCH_WRITE_CONCURRENCY ?? 64);
// `sqlite`, `postgresql` or both (the default): which databases the engine part runs on.
const ENGINE_PROVIDERS = (process.env.BENCH_PROVIDERS ?? 'sqlite,postgresql').split(',');

function spawnOnce(command: string, args: string[]): Promise<number | null> {
  return new Promise((resolve) => spawn(command, args, { stdio: 'ignore', detached: true }).once('close', resolve));
}

/** Runs `total` spawns with at most `width` at once; returns the exit codes. */
async function bareSpawns(total: number, width: number, command: string, args: string[]): Promise<(number | null)[]> {
  const codes: (number | null)[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < total) {
        next += 1;
        codes.push(await spawnOnce(command, args));
      }
    }),
  );
  return codes;
}

/** Wall-clock ms and this process's CPU ms (all its threads) that `work` took. */
async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await work();
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { result, ms, cpuMs: (used.user + used.system) / 1000 };
}

function yamlOf(steps: number, parallel: boolean): string {
  const lines = ['maxActiveRuns: 1', 'steps:'];
  for (let index = 0; index < steps; index += 1) lines.push(`  - name: s${index}`, '    command: "true"', ...(parallel ? ['    depends: []'] : []));
  return `${lines.join('\n')}\n`;
}

interface Side {
  ms: number;
  cpuMs: number;
}

/** One measurement: ours and the floor in steps/s, wall ms and CPU ms of this process a step, and how many times faster the floor is. */
function row(label: string, ours: Side, floor: Side): string[] {
  const perStep = (side: Side) => `${ms(side.ms / STEPS)} / ${ms(side.cpuMs / STEPS)}`;
  return [label, count((STEPS / ours.ms) * 1000), count((STEPS / floor.ms) * 1000), perStep(ours), perStep(floor), `${(ours.ms / floor.ms).toFixed(2)}x`];
}

function sum(sides: readonly Side[]): Side {
  return { ms: sides.reduce((total, side) => total + side.ms, 0), cpuMs: sides.reduce((total, side) => total + side.cpuMs, 0) };
}

/**
 * Starts the workflow and resolves with the run once the bus carried its final status. Only the
 * bus is watched (the database is read once, at the end): the bench adds no work per event to
 * the process whose engine it measures.
 */
async function runToEnd(services: Services, workflow: WorkflowRecord): Promise<RunRecord> {
  const iterator = services.bus.subscribe()[Symbol.asyncIterator]();
  try {
    let pending = iterator.next();
    const run = await services.control.start(workflow, {}, 'API', 'bench');
    for (;;) {
      const next = await pending;
      if (next.done) throw new BenchFailure(`the bus closed before run ${run.id} ended`);
      pending = iterator.next();
      const event = next.value;
      if (event.runId === run.id && event.stepRunId === null && isRunStatus(event.to) && isTerminalRunStatus(event.to)) break;
    }
    const finished = await services.repositories.runs.findById(run.id);
    if (!finished) throw new BenchFailure(`run ${run.id} is gone`);
    return finished;
  } finally {
    await iterator.return?.();
  }
}

/** The engine's part on one database: a chain and independent steps, each beside the floor; false when an answer differed. */
async function measureEngine(config: DatabaseConfig, label: string, dir: string): Promise<boolean> {
  await migrate(config);
  const database = await openDatabase(config, pino({ level: 'silent' }));
  const services = composeServices({
    db: database.db,
    reader: database.reader,
    writer: database.writer,
    logConnection: database.logs,
    clock: systemClock,
    bus: new InProcessRunEventBus(),
    logger: pino({ level: 'warn' }),
    dataDir: dir,
    engine: { ...TEST_ENGINE, maxActiveRuns: 4, maxParallelSteps: PARALLEL, maxParallelStepsPerRun: PARALLEL, stepLogMaxBytes: 1024 * 1024, killGraceMs: 1000 },
    history: { snapshotHorizonMs: 3_600_000, answerCacheBytes: 0, subscriptionBuffer: 1_000, replayMaxEvents: 100_000, countsIntervalMs: 250 },
    access: TEST_ACCESS,
    workflowMaxBytes: 256 * 1024,
    expectedMigrations: [],
    alertAllowPrivateTargets: false,
  });
  let sameAnswers = true;
  try {
    await services.engine.start({ recover: false });
    const project = await services.repositories.projects.create({ id: newId('prj'), slug: 'bench', name: 'Bench' });
    // A short chain first, not counted: a server that runs for a while has its code compiled.
    const warmUp = await services.workflows.load({ projectId: project.id, yaml: yamlOf(WARM_UP_STEPS, false), source: 'api', defaultName: 'warm-up' });
    if (!warmUp.ok) throw new BenchFailure(`the warm-up workflow was refused: ${warmUp.message}`);
    await runToEnd(services, warmUp.workflow);
    console.log(
      `${STEPS} steps of \`true\` on ${label} (after a ${WARM_UP_STEPS}-step chain not counted), ${os.cpus().length} cores, node ${process.version}, load average ${os.loadavg().map((load) => load.toFixed(2)).join(' ')}\n`,
    );
    for (const parallel of [false, true]) {
      const loaded = await services.workflows.load({ projectId: project.id, yaml: yamlOf(STEPS, parallel), source: 'api', defaultName: parallel ? 'parallel' : 'chain' });
      if (!loaded.ok) throw new BenchFailure(`the bench workflow was refused: ${loaded.message}`);
      const width = parallel ? PARALLEL : 1;
      const ours: Side[] = [];
      const bare: Side[] = [];
      const bareShell: Side[] = [];
      const bareSmall: Side[] = [];
      let smallRss = 0;
      let sameAnswer = true;
      const measureOurs = async () => {
        const { result: finished, ...side } = await timed(() => runToEnd(services, loaded.workflow));
        const steps = await services.repositories.steps.listByRunIds([finished.id]);
        sameAnswer &&= finished.status === 'SUCCEEDED' && steps.length === STEPS && steps.every((step) => step.status === 'SUCCEEDED' && step.exitCode === 0);
        ours.push(side);
      };
      const measureFloors = async () => {
        for (const [sides, command, args] of [[bare, 'true', []], [bareShell, 'sh', ['-c', 'true']]] as const) {
          const { result: codes, ...side } = await timed(() => bareSpawns(STEPS, width, command, [...args]));
          sameAnswer &&= codes.length === STEPS && codes.every((code) => code === 0);
          sides.push(side);
        }
        const small = await spawnsFromSmallProcess(STEPS, width, 'true', []);
        sameAnswer &&= small.codes.length === STEPS && small.codes.every((code) => code === 0);
        bareSmall.push({ ms: small.ms, cpuMs: small.cpuMs });
        smallRss = Math.round(small.rssMb);
      };
      // Rounds in turn floor first and ours first: a load that drifts weighs on both alike.
      for (let round = 0; round < ROUNDS; round += 1) {
        for (const measure of round % 2 === 0 ? [measureFloors, measureOurs] : [measureOurs, measureFloors]) await measure();
      }
      // A fork copies the page tables of the process that spawns: the floors spawn from this one, at this size, and from a bare node;
      // the engine spawns from its step launcher, a bare node too.
      const rss = `${Math.round(process.memoryUsage().rss / (1024 * 1024))} MB RSS`;
      console.log(parallel ? `independent steps, ${width} at once (${ROUNDS} rounds, ${rss}):` : `a chain, one step at a time (${ROUNDS} rounds, ${rss}):`);
      const rows = [
        row('floor: spawn("true")', sum(ours), sum(bare)),
        row('floor: spawn("sh", ["-c", "true"])', sum(ours), sum(bareShell)),
        row(`floor: spawn("true") from a ${smallRss} MB node`, sum(ours), sum(bareSmall)),
      ];
      for (const line of table(['steps/s', 'runtrail', 'floor', 'ms/step ours (wall / CPU)', 'floor (wall / CPU)', 'ours / floor'], rows)) console.log(`  ${line}`);
      console.log(`  ours / spawn("true") in each round: ${ours.map((side, round) => `${(side.ms / (bare[round]?.ms ?? Number.NaN)).toFixed(2)}x`).join(' ')}`);
      console.log(`  same answer (${STEPS} steps exit 0 both ways, every round): ${sameAnswer ? 'yes' : 'NO'}\n`);
      sameAnswers &&= sameAnswer;
    }
  } finally {
    await services.engine.stop('bench over');
    await database.close();
  }
  return sameAnswers;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-bench-'));
  const postgres = await createTempPostgres('bench');
  try {
    for (const [config, label] of [
      [{ provider: 'sqlite' as const, url: `file:${path.join(dir, 'bench.db')}` }, 'SQLite'],
      [postgres.config, 'PostgreSQL'],
    ] as const) {
      if (ENGINE_PROVIDERS.includes(config.provider) && !(await measureEngine(config, label, dir))) process.exitCode = 1;
    }
    // The write path on databases of its own: the engine's runs do not weigh on it.
    const writePostgres = await createTempPostgres('bench_write');
    try {
      for (const [config, label] of [
        [{ provider: 'sqlite' as const, url: `file:${path.join(dir, 'write-path.db')}` }, 'SQLite'],
        [writePostgres.config, 'PostgreSQL'],
      ] as const) {
        if (WRITE_RUNS === 0) continue;
        await migrate(config);
        const figures = await measureWritePath(config, label, WRITE_RUNS, WRITE_CONCURRENCY);
        for (const line of writePathLines(figures)) console.log(line);
        console.log('');
        if (!figures.sameAnswer) process.exitCode = 1;
      }
    } finally {
      await writePostgres.drop();
    }
  } finally {
    await postgres.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof BenchFailure ? `bench:engine failed: ${error.message}` : error);
  process.exit(1);
});
