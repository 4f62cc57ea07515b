// `npm run bench:seed -- [--runs 1000000] [--days 30] [--kept-indexes]`: `runtrail seed` of N
// runs into a fresh PostgreSQL database, beside its floor measured in the same run: PostgreSQL
// loading the very rows the seed wrote, from files on the server (COPY FROM a file: no client,
// no generation, no encoding), into a second fresh database the same way the seed does it on an
// empty database (secondary indexes and foreign keys built after the rows, in one transaction).
// `--kept-indexes` adds a third: the same files into a database whose indexes and foreign keys
// are kept while loading, as on a database that already has runs. Prints wall time, rows/s,
// ours / floor, the seed's CPU and peak RSS, and the database's size; then drops the databases
// and the files. Only PostgreSQL: SQLite has no COPY.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { migrate } from '../src/db/migrator.ts';
import { loadIntoEmptyTables } from '../src/seed/postgres-bulk-load.ts';
import { createTempPostgres } from '../src/test/temp-database.ts';
import { BenchFailure } from './shared/bench-failure.ts';
import { runBench, type CleanUps } from './shared/lifecycle.ts';
import { parseBenchArgs, wholeNumber } from './shared/options.ts';
import { cpuSample, memory, type CpuSample } from './shared/process-stats.ts';
import { count, duration, machineLines, megabytes, table } from './shared/report.ts';
import { build, REPOSITORY_ROOT } from './shared/server-process.ts';

const USAGE = 'usage: npm run bench:seed -- [--runs 1000000] [--days 30] [--kept-indexes]';
/** Rows the history tables point at, copied into each floor database before it is timed. */
const PARENT_TABLES = ['Project', 'Workflow', 'WorkflowVersion'] as const;
const HISTORY_TABLES = ['Run', 'StepRun', 'RunEvent'] as const;
const ROLLUP_TABLES = ['StatusBucket', 'StatusDayBucket', 'StatusProjectBucket'] as const;
const POLL_MS = 500;

interface SeedBenchOptions {
  runs: number;
  days: number;
  keptIndexes: boolean;
}

interface Load {
  label: string;
  wallMs: number;
  rows: number;
  bytes: number;
}

function parseOptions(argv: readonly string[]): SeedBenchOptions {
  const values = parseBenchArgs(argv, { runs: { type: 'string', default: '1000000' }, days: { type: 'string', default: '30' }, 'kept-indexes': { type: 'boolean', default: false } }, USAGE);
  return { runs: wholeNumber('--runs', values.runs, 1), days: wholeNumber('--days', values.days, 1), keptIndexes: values['kept-indexes'] };
}

function log(line: string): void {
  console.log(line);
}

async function main(options: SeedBenchOptions, cleanUps: CleanUps): Promise<number> {
  build('server');
  for (const line of machineLines()) log(line);
  log(`bench:seed — runtrail seed --runs ${count(options.runs)} --days ${options.days} on PostgreSQL, beside COPY of the same rows from files`);
  const files = mkdtempSync(path.join(os.tmpdir(), 'runtrail-bench-seed-'));
  // The server's own process writes and reads the files.
  chmodSync(files, 0o777);
  cleanUps.add(async () => rmSync(files, { recursive: true, force: true }));

  const seeded = await createTempPostgres('bench_seed');
  const dropSeeded = cleanUps.add(seeded.drop);
  const seed = await runSeed(options, seeded.config.url, files, cleanUps);
  const ours: Load = { label: 'runtrail seed (empty database)', wallMs: seed.wallMs, rows: await historyRows(seeded.config.url), bytes: await databaseBytes(seeded.config.url) };
  log(`runtrail seed: ${duration(ours.wallMs)}, ${count(ours.rows)} rows (load average ${os.loadavg().map((value) => value.toFixed(1)).join(' / ')})`);
  const partitions = await withClient(seeded.config.url, async (client) => {
    // A partitioned table is copied out through a query (COPY refuses the table itself).
    for (const name of [...PARENT_TABLES, ...HISTORY_TABLES]) await client.query(`COPY (SELECT * FROM "${name}") TO '${path.join(files, `${name}.tsv`)}'`);
    return partitionsOf(client);
  });
  await dropSeeded();

  const loads = [ours, await floorLoad('COPY FROM files, indexes built after (floor)', files, partitions, 'built after', cleanUps)];
  if (options.keptIndexes) loads.push(await floorLoad('COPY FROM files, indexes kept', files, partitions, 'kept', cleanUps));
  const floor = loads[1] ?? ours;
  log('');
  for (const line of table(
    ['load', 'wall', 'rows (runs+steps+events)', 'rows/s', 'runs/s', '/ floor', 'database size'],
    loads.map((load) => [
      load.label,
      duration(load.wallMs),
      count(load.rows),
      count(load.rows / (load.wallMs / 1000)),
      count(options.runs / (load.wallMs / 1000)),
      `${(load.wallMs / floor.wallMs).toFixed(2)}x`,
      megabytes(load.bytes),
    ]),
  ))
    log(line);
  log(`the seed process: ${seed.cpuSeconds === null ? 'n/a' : `${seed.cpuSeconds.toFixed(1)} s`} of CPU, peak RSS ${megabytes(seed.peakRss)}`);
  log(`load average at the end: ${os.loadavg().map((value) => value.toFixed(1)).join(' / ')}`);
  return 0;
}

/** `runtrail seed` itself, as users run it, with its CPU and peak RSS read from /proc while it runs. */
async function runSeed(options: SeedBenchOptions, url: string, dataDir: string, cleanUps: CleanUps): Promise<{ wallMs: number; cpuSeconds: number | null; peakRss: number | null }> {
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(REPOSITORY_ROOT, 'bin', 'runtrail'), 'seed', '--runs', String(options.runs), '--days', String(options.days)], {
    cwd: REPOSITORY_ROOT,
    env: { ...process.env, DATABASE_URL: url, DATA_DIR: path.join(dataDir, 'data'), LOG_LEVEL: 'warn' },
    stdio: 'inherit',
  });
  cleanUps.add(async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let last: CpuSample | null = null;
  let peakRss: number | null = null;
  let code: number | null | undefined;
  while (code === undefined) {
    const pid = child.pid ?? 0;
    last = cpuSample(pid, performance.now()) ?? last;
    peakRss = memory(pid).peak ?? peakRss;
    code = await Promise.race([exited, sleep(POLL_MS).then(() => undefined)]);
  }
  if (code !== 0) throw new BenchFailure(`runtrail seed failed (exit ${code ?? 'by a signal'}); see its output above`);
  return { wallMs: performance.now() - started, cpuSeconds: last?.cpuSeconds ?? null, peakRss };
}

/** The history rows loaded from the files into a fresh migrated database, timed, with ANALYZE as the seed ends with. */
async function floorLoad(label: string, files: string, partitions: readonly string[], indexes: 'built after' | 'kept', cleanUps: CleanUps): Promise<Load> {
  const temp = await createTempPostgres('bench_seed_floor');
  const drop = cleanUps.add(temp.drop);
  await migrate(temp.config);
  const wallMs = await withClient(temp.config.url, async (client) => {
    for (const statement of partitions) await client.query(statement);
    for (const name of PARENT_TABLES) await client.query(`COPY "${name}" FROM '${path.join(files, `${name}.tsv`)}'`);
    const copyHistory = async () => {
      for (const name of HISTORY_TABLES) await client.query(`COPY "${name}" FROM '${path.join(files, `${name}.tsv`)}'`);
    };
    const started = performance.now();
    if (indexes === 'kept') {
      await client.query('BEGIN');
      await copyHistory();
      await client.query('COMMIT');
    } else if (!(await loadIntoEmptyTables(client, copyHistory))) {
      throw new BenchFailure('the floor database was not empty');
    }
    await client.query(`ANALYZE ${[...HISTORY_TABLES, ...ROLLUP_TABLES].map((name) => `"${name}"`).join(', ')}`);
    return performance.now() - started;
  });
  const load = { label, wallMs, rows: await historyRows(temp.config.url), bytes: await databaseBytes(temp.config.url) };
  await drop();
  return load;
}

/** The statements that make the seeded database's history partitions (the seed made them before its first row), DEFAULT ones left out: the migration made those. */
async function partitionsOf(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string; parent: string; bound: string }>(
    `SELECT c.relname::text AS name, p.relname::text AS parent, pg_get_expr(c.relpartbound, c.oid) AS bound
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
      WHERE p.relname = ANY ($1::text[]) AND pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT' ORDER BY 2, 1`,
    [[...HISTORY_TABLES]],
  );
  const uniqueIndexes = await client.query<{ definition: string }>(
    `SELECT pg_get_indexdef(x.indexrelid) AS definition FROM pg_index x JOIN pg_inherits i ON i.inhrelid = x.indrelid JOIN pg_class c ON c.oid = x.indrelid
      WHERE i.inhparent = '"StepRun"'::regclass AND pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT' AND x.indisunique AND NOT x.indisprimary
        AND NOT EXISTS (SELECT 1 FROM pg_inherits ii WHERE ii.inhrelid = x.indexrelid)`,
  );
  return [...rows.map((row) => `CREATE TABLE "${row.name}" PARTITION OF "${row.parent}" ${row.bound}`), ...uniqueIndexes.rows.map((row) => row.definition)];
}

async function historyRows(url: string): Promise<number> {
  return withClient(url, async (client) => {
    let rows = 0;
    for (const name of HISTORY_TABLES) rows += Number((await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM "${name}"`)).rows[0]?.n ?? 0);
    return rows;
  });
}

async function databaseBytes(url: string): Promise<number> {
  return withClient(url, async (client) => Number((await client.query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes')).rows[0]?.bytes ?? 0));
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

runBench({
  name: 'seed',
  interrupted: 'stopping the seed, dropping the databases, removing the files…',
  parse: () => parseOptions(process.argv.slice(2)),
  main,
});
