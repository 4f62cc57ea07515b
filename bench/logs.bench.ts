// `npm run bench:logs`: a step that writes BENCH_LOG_MB of output as fast as it can, through the
// engine (to its log file and, in chunks, to the database) on SQLite and PostgreSQL, beside the
// floor: the same command writing the same bytes to a file, with no engine. Prints the time, the
// rows and statements the log cost, and checks that the database holds exactly the floor's bytes.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { composeTestServices, TEST_ENGINE } from '../src/test/compose.ts';
import { openDatabase } from '../src/db/client.ts';
import type { DatabaseConfig } from '../src/db/provider.ts';
import { migrate } from '../src/db/migrator.ts';
import { newId } from '../src/domain/ids.ts';
import { waitForRunEnd } from '../src/test/engine-helpers.ts';
import { createTempPostgres } from '../src/test/temp-database.ts';
import { BenchFailure } from './shared/bench-failure.ts';
import { count, duration, table } from './shared/report.ts';

const MB = Number(process.env.BENCH_LOG_MB ?? 50);
const BYTES = MB * 1024 * 1024;
const ROUNDS = Number(process.env.BENCH_LOG_ROUNDS ?? 3);
const FLUSH_MS = Number(process.env.BENCH_LOG_FLUSH_MS ?? 100);
const COMMAND = `yes | head -c ${BYTES}`;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The floor: the shell writes the bytes to a file itself; the time and the file's hash. */
function floor(dir: string): { ms: number; hash: string } {
  const file = path.join(dir, 'floor.out');
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const started = performance.now();
    const result = spawnSync('sh', ['-c', `${COMMAND} > ${file}`]);
    times.push(performance.now() - started);
    if (result.status !== 0) throw new BenchFailure(`the floor command failed: ${result.stderr.toString()}`);
  }
  return { ms: median(times), hash: sha256(readFileSync(file)) };
}

interface Figures {
  ms: number;
  rows: number;
  inserts: number;
  sameAnswer: boolean;
}

/** One step of COMMAND through the engine, ROUNDS times: the median time, and what the last round cost the database. */
async function throughEngine(config: DatabaseConfig, dir: string, floorHash: string): Promise<Figures> {
  await migrate(config);
  const database = await openDatabase(config, pino({ level: 'silent' }));
  const dataDir = mkdtempSync(path.join(dir, 'data-'));
  // A cap above the output: every byte goes through.
  const services = composeTestServices(database, { dataDir, engine: { ...TEST_ENGINE, stepLogMaxBytes: BYTES + 1024 * 1024, stepLogFlushMs: FLUSH_MS } });
  await services.engine.start({ recover: false });
  try {
    const project = await services.repositories.projects.create({ id: newId('prj'), slug: 'bench', name: 'Bench' });
    const loaded = await services.workflows.load({ projectId: project.id, yaml: `steps:\n  - name: loud\n    command: ${COMMAND}\n`, source: 'api', defaultName: 'loud' });
    if (!loaded.ok) throw new BenchFailure(`the bench workflow was refused: ${loaded.message}`);
    const times: number[] = [];
    let figures: Omit<Figures, 'ms'> = { rows: 0, inserts: 0, sameAnswer: false };
    for (let round = 0; round < ROUNDS; round += 1) {
      let inserts = 0;
      database.onStatement((sql) => {
        if (/^\s*INSERT INTO\s.*StepLogChunk/is.test(sql)) inserts += 1;
      });
      const started = performance.now();
      const run = await services.control.start(loaded.workflow, {}, 'API', 'bench');
      const finished = await waitForRunEnd(services, run.id, 600_000);
      times.push(performance.now() - started);
      database.onStatement(null);
      const step = await services.repositories.steps.findByRunAndName(run.id, 'loud');
      if (!step) throw new BenchFailure(`run ${run.id} has no step "loud"`);
      const size = await services.repositories.logChunks.size(step.id);
      const stored = await services.repositories.logChunks.read(step.id, 0, size);
      const file = readFileSync(services.repositories.stepLogs.pathOf(run.id, 'loud'));
      const rows = await database.db.stepLogChunk.count({ where: { stepRunId: step.id } });
      figures = { rows, inserts, sameAnswer: finished.status === 'SUCCEEDED' && size === BYTES && sha256(stored) === floorHash && sha256(file) === floorHash };
    }
    return { ms: median(times), ...figures };
  } finally {
    await services.engine.stop('bench over');
    await database.close();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-bench-logs-'));
  const postgres = await createTempPostgres('bench_logs');
  try {
    console.log(`a step running \`${COMMAND}\` (${MB} MiB), median of ${ROUNDS}, STEP_LOG_FLUSH_MS=${FLUSH_MS}, ${os.cpus().length} cores, node ${process.version}\n`);
    const bare = floor(dir);
    const rows: string[][] = [];
    let sameAnswer = true;
    for (const [label, config] of [
      ['SQLite', { provider: 'sqlite' as const, url: `file:${path.join(dir, 'bench.db')}` }],
      ['PostgreSQL', postgres.config],
    ] as const) {
      const ours = await throughEngine(config, dir, bare.hash);
      sameAnswer &&= ours.sameAnswer;
      rows.push([label, duration(ours.ms), `${count(BYTES / 1024 / 1024 / (ours.ms / 1000))} MiB/s`, duration(bare.ms), `${(ours.ms / bare.ms).toFixed(2)}x`, count(ours.rows), count(ours.inserts), ours.sameAnswer ? 'yes' : 'NO']);
    }
    for (const line of table(['database', 'runtrail', 'rate', `floor: sh -c '${COMMAND} > file'`, 'ours / floor', 'rows', 'INSERTs', 'same bytes'], rows)) console.log(`  ${line}`);
    console.log(`\n  same answer (the database's log and the log file hash to the floor's file): ${sameAnswer ? 'yes' : 'NO'}`);
    if (!sameAnswer) process.exitCode = 1;
  } finally {
    await postgres.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof BenchFailure ? `bench:logs failed: ${error.message}` : error);
  process.exit(1);
});
