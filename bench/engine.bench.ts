// `npm run bench:engine`: steps per second through the engine beside bare process spawning on
// the same machine, in one process, and status changes per second through the write path alone
// on SQLite and PostgreSQL beside bare SQL.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { TEST_ACCESS, TEST_ENGINE } from '../src/test/compose.ts';
import { composeServices } from '../src/composition.ts';
import { openDatabase } from '../src/db/client.ts';
import { migrate } from '../src/db/migrator.ts';
import { systemClock } from '../src/domain/clock.ts';
import { newId } from '../src/domain/ids.ts';
import { InProcessRunEventBus } from '../src/events/run-event-bus.ts';
import { waitForRunEnd } from '../src/test/engine-helpers.ts';
import { createTempPostgres } from '../src/test/temp-database.ts';
import { measureWritePath, writePathLines } from './engine/write-path.ts';
import { BenchFailure } from './shared/bench-failure.ts';
import { count, table } from './shared/report.ts';

const STEPS = Number(process.env.BENCH_STEPS ?? 1000);
const PARALLEL = Number(process.env.BENCH_PARALLEL ?? 8);
// Runs of the write-path part, each taking four status changes, and how many change at once.
const WRITE_RUNS = Number(process.env.BENCH_WRITE_RUNS ?? 2000);
const WRITE_CONCURRENCY = Number(process.env.BENCH_WRITE_CONCURRENCY ?? 64);

function spawnOnce(command: string, args: string[]): Promise<number | null> {
  return new Promise((resolve) => spawn(command, args, { stdio: 'ignore', detached: true }).once('close', resolve));
}

/** Runs `total` spawns with at most `width` at once; returns the exit codes and the elapsed ms. */
async function bareSpawns(total: number, width: number, command: string, args: string[]) {
  const codes: (number | null)[] = [];
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < total) {
        next += 1;
        codes.push(await spawnOnce(command, args));
      }
    }),
  );
  return { codes, ms: performance.now() - started };
}

function yamlOf(steps: number, parallel: boolean): string {
  const lines = ['maxActiveRuns: 1', 'steps:'];
  for (let index = 0; index < steps; index += 1) lines.push(`  - name: s${index}`, '    command: "true"', ...(parallel ? ['    depends: []'] : []));
  return `${lines.join('\n')}\n`;
}

/** One measurement: ours and the floor in steps/s, and how many times faster the floor is. */
function row(label: string, ours: number, floor: number): string[] {
  return [label, count(ours), count(floor), `${(floor / ours).toFixed(2)}x`];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-bench-'));
  const config = { provider: 'sqlite' as const, url: `file:${path.join(dir, 'bench.db')}` };
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
  });
  await services.engine.start({ recover: false });
  const project = await services.repositories.projects.create({ id: newId('prj'), slug: 'bench', name: 'Bench' });
  console.log(`${STEPS} steps of \`true\`, SQLite in ${dir}, ${os.cpus().length} cores, node ${process.version}\n`);

  for (const parallel of [false, true]) {
    const loaded = await services.workflows.load({ projectId: project.id, yaml: yamlOf(STEPS, parallel), source: 'api', defaultName: parallel ? 'parallel' : 'chain' });
    if (!loaded.ok) throw new BenchFailure(`the bench workflow was refused: ${loaded.message}`);
    const width = parallel ? PARALLEL : 1;
    const started = performance.now();
    const run = await services.control.start(loaded.workflow, {}, 'API', 'bench');
    const finished = await waitForRunEnd(services, run.id, 600_000);
    const engineMs = performance.now() - started;
    const steps = await services.repositories.steps.listByRunIds([run.id]);
    const bare = await bareSpawns(STEPS, width, 'true', []);
    const bareShell = await bareSpawns(STEPS, width, 'sh', ['-c', 'true']);
    const sameAnswer = finished.status === 'SUCCEEDED' && steps.every((step) => step.status === 'SUCCEEDED' && step.exitCode === 0) && bare.codes.every((code) => code === 0);
    console.log(parallel ? `independent steps, ${width} at once:` : 'a chain (one step at a time):');
    const oursPerSecond = (STEPS / engineMs) * 1000;
    const rows = [row('floor: spawn("true")', oursPerSecond, (STEPS / bare.ms) * 1000), row('floor: spawn("sh", ["-c", "true"])', oursPerSecond, (STEPS / bareShell.ms) * 1000)];
    for (const line of table(['steps/s', 'runtrail', 'floor', 'floor / ours'], rows)) console.log(`  ${line}`);
    console.log(`  same answer (${STEPS} steps exit 0 both ways): ${sameAnswer ? 'yes' : 'NO'}\n`);
    if (!sameAnswer) process.exitCode = 1;
  }

  await services.engine.stop('bench over');
  await database.close();

  const postgres = await createTempPostgres('bench_write');
  try {
    for (const [config, label] of [
      [{ provider: 'sqlite' as const, url: `file:${path.join(dir, 'write-path.db')}` }, 'SQLite'],
      [postgres.config, 'PostgreSQL'],
    ] as const) {
      await migrate(config);
      const figures = await measureWritePath(config, label, WRITE_RUNS, WRITE_CONCURRENCY);
      for (const line of writePathLines(figures)) console.log(line);
      console.log('');
      if (!figures.sameAnswer) process.exitCode = 1;
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
