// `npm run bench:archive -- [--database sqlite|postgres] [--runs 600000] [--days 45] [--month-days 30] [--iterations 50] [--reseed]`: seeds a
// history of `--runs` runs over `--days` days (kept in .bench-data/ between runs, copied afresh for
// each), starts the real server, and archives its oldest `--month-days` days (about 400,000 runs with
// their steps and events by default) with archiveNow over GraphQL, timed. Beside it: counts and
// trends over random ranges and filters before and after (they must be identical), an includeArchived
// page across the boundary between the stores against the plain SQL over both files (ratio), and the
// live file's size and the server's RSS before and after. Exit 1 when an answer differs; a missed
// target is only reported. With `--database postgres` (`--runs` default 500000; --days and
// --month-days do not apply: the previous calendar month is archived) see bench/archive/postgres.ts.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { BenchFailure } from './shared/bench-failure.ts';
import { runBench, type CleanUps } from './shared/lifecycle.ts';
import { parseBenchArgs, wholeNumber } from './shared/options.ts';
import { cpuSample, cpuSeconds, memory, resetPeakRss } from './shared/process-stats.ts';
import { archiveSchemaOf, ARCHIVED_TABLES, liveColumns } from '../src/repositories/archive/archive-schema.ts';
import { count, duration, machineLines, megabytes, ms, table } from './shared/report.ts';
import { build, REPOSITORY_ROOT, type BenchServer } from './shared/server-process.ts';
import { apiOf, checksum, startArchiveServer, timePages, type Api, type Timings } from './archive/api.ts';
import { benchPostgres } from './archive/postgres.ts';

const USAGE =
  'usage: npm run bench:archive -- [--database sqlite|postgres] [--runs 600000 (postgres: 500000)] [--days 45] [--month-days 30] [--iterations 50] [--reseed] [--postgres-url postgres://postgres@127.0.0.1:5432/postgres]';
const DAY_MS = 24 * 60 * 60 * 1000;
const PAGE_SIZE = 50;
const ARCHIVE_TARGET_MS = 60_000;
const RUN_COLUMNS = 'id, "projectId", "workflowId", status, trigger, "createdAt", "durationMs"';
// As the server is configured (ARCHIVE_BATCH_RUNS' default).
const batchRuns = 2_000;

interface Options {
  database: 'sqlite' | 'postgres';
  postgresUrl: string;
  runs: number;
  days: number;
  monthDays: number;
  iterations: number;
  reseed: boolean;
}

function parse(): Options {
  const values = parseBenchArgs(
    process.argv.slice(2),
    {
      database: { type: 'string', default: 'sqlite' },
      'postgres-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
      runs: { type: 'string' },
      days: { type: 'string', default: '45' },
      'month-days': { type: 'string', default: '30' },
      iterations: { type: 'string', default: '50' },
      reseed: { type: 'boolean', default: false },
    },
    USAGE,
  );
  const database = values.database === 'sqlite' || values.database === 'postgres' ? values.database : null;
  if (database === null) throw new BenchFailure(`--database is sqlite or postgres, not ${values.database}\n${USAGE}`);
  const options: Options = {
    database,
    postgresUrl: values['postgres-url'],
    runs: wholeNumber('--runs', values.runs ?? (database === 'postgres' ? '500000' : '600000'), 1),
    days: wholeNumber('--days', values.days, 2),
    monthDays: wholeNumber('--month-days', values['month-days'], 1),
    iterations: wholeNumber('--iterations', values.iterations, 1),
    reseed: values.reseed,
  };
  if (options.monthDays >= options.days) throw new BenchFailure(`--month-days (${options.monthDays}) must be fewer than --days (${options.days})\n${USAGE}`);
  return options;
}

const log = (line: string) => console.log(line);

runBench({ name: 'archive', interrupted: 'stopping the server', parse, main });

async function main(options: Options, cleanUps: CleanUps): Promise<number> {
  for (const line of machineLines()) log(line);
  build('server');
  if (options.database === 'postgres') return benchPostgres(options, cleanUps, log);
  const pristine = preparePristine(options);
  const dataDir = path.join(REPOSITORY_ROOT, '.bench-data', `archive-${options.runs}-${options.days}`, 'work');
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  for (const file of ['runtrail.db', 'admin-token']) copyFileSync(path.join(pristine, file), path.join(dataDir, file));
  const liveFile = path.join(dataDir, 'runtrail.db');

  const range = { ...createdRange(liveFile), now: Date.now() };
  // The oldest `monthDays` days move: whole days back from now, FAILED runs with the others.
  const hotDays = Math.ceil((Date.now() - (range.oldest + options.monthDays * DAY_MS)) / DAY_MS);
  log(`history: ${count(range.runs)} runs from ${new Date(range.oldest).toISOString()}; archiving what is older than ${hotDays} days`);
  const server = await startArchiveServer(dataDir, `file:${liveFile}`, hotDays);
  const stopServer = cleanUps.add(() => server.stop());
  const api = apiOf(server, readToken(dataDir));

  const sizeBefore = liveBytes(liveFile);
  const rssBefore = memory(server.pid).now;
  const checksumBefore = await checksum(api, range);
  const dryRun = await api<{ archiveNow: { total: number } }>('mutation { archiveNow(dryRun: true) { total } }');
  resetPeakRss(server.pid);
  const cpuBefore = cpuSample(server.pid, performance.now());
  const started = performance.now();
  const moved = await api<{ archiveNow: { total: number; cutoff: string } }>('mutation { archiveNow { total cutoff } }');
  const archiveMs = performance.now() - started;
  const archiveCpu = cpuSeconds(cpuBefore, cpuSample(server.pid, performance.now()));
  const sizeMoved = liveBytes(liveFile);
  const reclaimed = await spaceReclaimed(server);
  const reclaimMs = performance.now() - started - archiveMs;
  const rssPeak = memory(server.pid).peak;
  const rssAfter = memory(server.pid).now;
  const sizeAfter = liveBytes(liveFile);
  const checksumAfter = await checksum(api, range);
  const archives = (await api<{ archives: { id: string; runs: number; events: number; bytes: number }[] }>('{ archives { id runs events bytes } }')).archives;
  const page = await pageAcrossBoundary(api, dataDir, liveFile, Date.parse(moved.archiveNow.cutoff) - hotDays * DAY_MS, options.iterations);
  await stopServer();
  const floor = bareMove(pristine, path.join(path.dirname(dataDir), 'floor'), Date.parse(moved.archiveNow.cutoff) - hotDays * DAY_MS, batchRuns);

  const failures: string[] = [];
  if (moved.archiveNow.total !== dryRun.archiveNow.total) failures.push(`archiveNow moved ${moved.archiveNow.total} runs, its dry run said ${dryRun.archiveNow.total}`);
  if (checksumAfter !== checksumBefore) failures.push('counts or trends differ after archival');
  if (!page.same) failures.push('the includeArchived page differs from the plain SQL over both files');
  const archivedRuns = archives.reduce((sum, archive) => sum + archive.runs, 0);
  if (archivedRuns !== moved.archiveNow.total) failures.push(`the archives hold ${archivedRuns} runs, ${moved.archiveNow.total} moved`);

  log('');
  for (const line of table(
    ['', 'figure'],
    [
      ['runs moved', `${count(moved.archiveNow.total)} (${archives.map((archive) => `${archive.id}: ${count(archive.runs)} runs, ${count(archive.events)} events, ${megabytes(archive.bytes)}`).join('; ')})`],
      [
        'archival (archiveNow over HTTP)',
        `${duration(archiveMs)} (${count(moved.archiveNow.total / (archiveMs / 1000))} runs/s, ${archiveCpu === null ? 'n/a' : `${archiveCpu.toFixed(1)} s`} of server CPU; target < ${duration(ARCHIVE_TARGET_MS)})`,
      ],
      [
        'floor: the same rows copied and deleted by bare SQL',
        `${duration(floor.ms)} for ${count(floor.runs)} runs in batches of ${count(batchRuns)} (ours / floor ${(archiveMs / moved.archiveNow.total / (floor.ms / floor.runs)).toFixed(2)} per run)`,
      ],
      ['counts and trends before = after', checksumAfter === checksumBefore ? 'identical (50 answers)' : 'DIFFERENT'],
      ['live file (with its WAL)', `${megabytes(sizeBefore)} → ${megabytes(sizeMoved)} when moved → ${megabytes(sizeAfter)} once the leader gave ${count(reclaimed)} free pages back (${duration(reclaimMs)} more, in steps)`],
      ['server RSS', `${megabytes(rssBefore)} → ${megabytes(rssAfter)} (peak while archiving ${megabytes(rssPeak)})`],
      [
        `includeArchived page of ${PAGE_SIZE} across the boundary (p50 / p99)`,
        `${ms(page.api.p50)} / ${ms(page.api.p99)} ms over HTTP; plain SQL over both files ${ms(page.floor.p50)} / ${ms(page.floor.p99)} ms; ratio ${(page.api.p50 / page.floor.p50).toFixed(1)}x`,
      ],
      ['the newest page of live runs alone, over HTTP (p50 / p99)', `${ms(page.live.p50)} / ${ms(page.live.p99)} ms`],
    ],
  ))
    log(line);
  if (archiveMs > ARCHIVE_TARGET_MS) log(`note: archival took longer than the ${duration(ARCHIVE_TARGET_MS)} target`);
  for (const failure of failures) console.error(`FAIL: ${failure}`);
  return failures.length > 0 ? 1 : 0;
}

/** The seeded history, seeded once per --runs and --days (again with --reseed). */
function preparePristine(options: Options): string {
  const directory = path.join(REPOSITORY_ROOT, '.bench-data', `archive-${options.runs}-${options.days}`, 'pristine');
  const file = path.join(directory, 'runtrail.db');
  if (!options.reseed && existsSync(file) && existsSync(path.join(directory, 'admin-token'))) {
    log(`reusing ${path.relative(process.cwd(), directory)} (--reseed to seed again)`);
    return directory;
  }
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  const seeded = spawnSync(process.execPath, [path.join(REPOSITORY_ROOT, 'bin', 'runtrail'), 'seed', '--runs', String(options.runs), '--days', String(options.days)], {
    cwd: REPOSITORY_ROOT,
    env: { ...process.env, DATA_DIR: directory, LOG_LEVEL: 'warn', LOAD_EXAMPLES: 'false' },
    stdio: 'inherit',
  });
  if (seeded.status !== 0) throw new BenchFailure(`runtrail seed failed (exit ${seeded.status ?? seeded.signal})`);
  // Folded into the file, so that copying the file copies the whole history.
  const db = new Database(file);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return directory;
}

function createdRange(file: string): { oldest: number; runs: number } {
  const db = new Database(file, { readonly: true });
  try {
    const row = db.prepare<[], { oldest: number; runs: number }>('SELECT MIN("createdAt") AS oldest, COUNT(*) AS runs FROM "Run"').get();
    if (!row) throw new BenchFailure(`${file} holds no runs`);
    return row;
  } finally {
    db.close();
  }
}

/** Waits for the leader to give the freed pages back (its log says how many); how many. */
async function spaceReclaimed(server: BenchServer): Promise<number> {
  for (const deadline = Date.now() + 30 * 60 * 1000; Date.now() < deadline; await sleep(250)) {
    const line = readFileSync(server.logFile, 'utf8')
      .split('\n')
      .find((entry) => entry.includes('"archive.space_reclaimed"'));
    if (line) return (JSON.parse(line) as { pages: number }).pages;
  }
  throw new BenchFailure(`the leader gave no space back within 30 minutes; see ${server.logFile}`);
}

function liveBytes(file: string): number {
  return ['', '-wal'].reduce((sum, suffix) => sum + (existsSync(file + suffix) ? statSync(file + suffix).size : 0), 0);
}

function readToken(dataDir: string): string {
  return readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
}

/**
 * A page of `includeArchived` runs newest first whose first half is live and second half archived,
 * over HTTP, against the same page by plain SQL on both files (a statement each, merged): the
 * order, limit and columns of the page, nothing else.
 */
async function pageAcrossBoundary(api: Api, dataDir: string, liveFile: string, boundary: number, iterations: number): Promise<{ api: Timings; floor: Timings; live: Timings; same: boolean }> {
  const live = new Database(liveFile, { readonly: true });
  const archiveFiles = readdirSync(path.join(dataDir, 'archive')).filter((file) => file.endsWith('.db'));
  const archives = archiveFiles.map((file) => new Database(path.join(dataDir, 'archive', file), { readonly: true }));
  try {
    const half = live.prepare<[number], { createdAt: number }>(`SELECT "createdAt" FROM "Run" WHERE "createdAt" >= ? ORDER BY "createdAt", id LIMIT 1 OFFSET ${PAGE_SIZE / 2 - 1}`).get(boundary);
    if (!half) throw new BenchFailure('no live runs after the boundary');
    const before = half.createdAt + 1;
    const sql = `SELECT ${RUN_COLUMNS} FROM "Run" WHERE "createdAt" < ? ORDER BY "createdAt" DESC, id DESC LIMIT ${PAGE_SIZE + 1}`;
    const statements = [live, ...archives].map((db) => db.prepare<[number], { id: string; createdAt: number }>(sql));
    const floorPage = () =>
      statements
        .flatMap((statement) => statement.all(before))
        .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1))
        .slice(0, PAGE_SIZE)
        .map((row) => row.id);
    const query = `query ($before: DateTime!) { runs(filter: { includeArchived: true, createdBefore: $before }, first: ${PAGE_SIZE}) { edges { node { id status trigger createdAt durationMs archived } } } }`;
    const liveQuery = `{ runs(first: ${PAGE_SIZE}) { edges { node { id status trigger createdAt durationMs archived } } } }`;
    const apiPage = async () => (await api<{ runs: { edges: { node: { id: string } }[] } }>(query, { before: new Date(before).toISOString() })).runs.edges.map((edge) => edge.node.id);
    const livePage = async () => (await api<{ runs: { edges: { node: { id: string } }[] } }>(liveQuery)).runs.edges.length;
    return timePages({ api: apiPage, floor: floorPage, live: livePage }, iterations);
  } finally {
    live.close();
    for (const archive of archives) archive.close();
  }
}

/**
 * The floor of a move: on a fresh copy of the seeded file, the finished runs created before
 * `boundary` in creation order, each batch copied into a new archive file (one INSERT … SELECT
 * per table, synced) and then deleted from the live file (one DELETE per table), with nothing
 * else: no checks, no rollups, no catalog, no policy.
 */
function bareMove(pristine: string, directory: string, boundary: number, batch: number): { ms: number; runs: number } {
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  const file = path.join(directory, 'runtrail.db');
  copyFileSync(path.join(pristine, 'runtrail.db'), file);
  const live = new Database(file);
  try {
    live.pragma('journal_mode = WAL');
    live.pragma('synchronous = NORMAL');
    // The page caches the server's move uses (32 MiB each).
    live.pragma('cache_size = -32768');
    const archive = new Database(path.join(directory, 'archive.db'));
    archive.pragma('journal_mode = WAL');
    for (const statement of archiveSchemaOf(live)) archive.exec(statement);
    archive.close();
    live.prepare('ATTACH DATABASE ? AS archive').run(path.join(directory, 'archive.db'));
    live.pragma('archive.synchronous = FULL');
    live.pragma('archive.cache_size = -32768');
    live.exec('CREATE TEMP TABLE batch (id TEXT PRIMARY KEY)');
    const columns = Object.fromEntries(ARCHIVED_TABLES.map((table) => [table, liveColumns(live, table).map((name) => `"${name}"`).join(', ')]));
    const ids = live
      .prepare<[number], { id: string }>(`SELECT id FROM "Run" WHERE "createdAt" < ? AND status NOT IN ('QUEUED', 'RUNNING', 'WAITING') ORDER BY "createdAt", id`)
      .all(boundary)
      .map((row) => row.id);
    const runs = 'SELECT id FROM temp.batch';
    const started = performance.now();
    for (let offset = 0; offset < ids.length; offset += batch) {
      live.transaction(() => {
        live.exec('DELETE FROM temp.batch');
        const insert = live.prepare('INSERT INTO temp.batch (id) VALUES (?)');
        for (const id of ids.slice(offset, offset + batch)) insert.run(id);
        live.exec(`INSERT INTO archive."Run" (${columns.Run}, "archiveBatch") SELECT ${columns.Run}, 1 FROM main."Run" WHERE id IN (${runs})`);
        live.exec(`INSERT INTO archive."StepRun" (${columns.StepRun}) SELECT ${columns.StepRun} FROM main."StepRun" WHERE "runId" IN (${runs})`);
        live.exec(`INSERT INTO archive."RunEvent" (${columns.RunEvent}) SELECT ${columns.RunEvent} FROM main."RunEvent" WHERE "runId" IN (${runs}) ORDER BY seq`);
      })();
      live
        .transaction(() => {
          live.exec(`DELETE FROM main."RunEvent" WHERE "runId" IN (${runs})`);
          live.exec(`DELETE FROM main."StepRun" WHERE "runId" IN (${runs})`);
          live.exec(`DELETE FROM main."CronTick" WHERE "runId" IN (${runs})`);
          live.exec(`DELETE FROM main."Run" WHERE id IN (${runs})`);
        })
        .immediate();
    }
    return { ms: performance.now() - started, runs: ids.length };
  } finally {
    live.close();
    rmSync(directory, { recursive: true, force: true });
  }
}
