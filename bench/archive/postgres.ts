// bench:archive on PostgreSQL (`--database postgres`): seeds the previous calendar month and the
// days of this one (kept between runs in a database of its own, copied afresh as a template for
// each run), starts the real server on the copy, and archives the previous month with archiveNow
// over GraphQL: its partitions detached into the schema `archive`, the runs that stay hot moved
// back. Beside it: the floor (on a second copy, the bare SQL that detaches the same partitions
// into the same schema, nothing else), counts and trends before and after, an includeArchived
// page across the boundary against the plain SQL over the live and archive tables, the live
// tables' size and the server's RSS before and after.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { BenchFailure } from '../shared/bench-failure.ts';
import type { CleanUps } from '../shared/lifecycle.ts';
import { cpuSample, cpuSeconds, memory, resetPeakRss } from '../shared/process-stats.ts';
import { count, duration, megabytes, ms, table } from '../shared/report.ts';
import { REPOSITORY_ROOT } from '../shared/server-process.ts';
import { apiOf, checksum, startArchiveServer, timePages, type Api, type Timings } from './api.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const PAGE_SIZE = 50;
const ARCHIVE_TARGET_MS = 5_000;
const HISTORY = `'"Run"'::regclass, '"StepRun"'::regclass, '"RunEvent"'::regclass`;

export interface PostgresOptions {
  runs: number;
  iterations: number;
  reseed: boolean;
  postgresUrl: string;
}

export async function benchPostgres(options: PostgresOptions, cleanUps: CleanUps, log: (line: string) => void): Promise<number> {
  const now = Date.now();
  const thisMonth = monthStart(now, 0);
  const lastMonth = monthStart(now, -1);
  // From a little before last month began, so that the whole month is seeded: whole days back from now.
  const days = Math.ceil((now - lastMonth) / DAY_MS);
  // Runs older than this many days are past `hot`: the whole previous month (a period moves once all its runs are).
  const hotDays = Math.floor((now - thisMonth) / DAY_MS);
  const names = { pristine: `runtrail_bench_archive_${options.runs}`, work: 'runtrail_bench_archive_work', floor: 'runtrail_bench_archive_floor' };
  const pristineDir = path.join(REPOSITORY_ROOT, '.bench-data', `archive-postgres-${options.runs}`);
  await preparePristine(options, names.pristine, pristineDir, days, lastMonth, log);
  for (const name of [names.work, names.floor]) {
    await admin(options.postgresUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin(options.postgresUrl, `CREATE DATABASE "${name}" TEMPLATE "${names.pristine}"`);
    cleanUps.add(() => admin(options.postgresUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  }
  const workUrl = urlOf(options.postgresUrl, names.work);
  const dataDir = path.join(pristineDir, 'work');
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  log(`history: ${count(options.runs)} runs over ${days} days on PostgreSQL; archiving what is older than ${hotDays} days (the month from ${new Date(lastMonth).toISOString().slice(0, 10)})`);

  const server = await startArchiveServer(dataDir, workUrl, hotDays);
  const stopServer = cleanUps.add(() => server.stop());
  const api = apiOf(server, readFileSync(path.join(pristineDir, 'admin-token'), 'utf8').trim());
  const work = new pg.Client({ connectionString: workUrl });
  await work.connect();
  cleanUps.add(() => work.end());

  const range = { oldest: now - days * DAY_MS, now };
  const sizeBefore = await liveBytes(work);
  const rssBefore = memory(server.pid).now;
  const checksumBefore = await checksum(api, range);
  const dryRun = await api<{ archiveNow: { total: number } }>('mutation { archiveNow(dryRun: true) { total } }');
  resetPeakRss(server.pid);
  const cpuBefore = cpuSample(server.pid, performance.now());
  const started = performance.now();
  const moved = await api<{ archiveNow: { total: number; cutoff: string } }>('mutation { archiveNow { total cutoff } }');
  const archiveMs = performance.now() - started;
  const archiveCpu = cpuSeconds(cpuBefore, cpuSample(server.pid, performance.now()));
  const rssPeak = memory(server.pid).peak;
  const rssAfter = memory(server.pid).now;
  const sizeAfter = await liveBytes(work);
  const checksumAfter = await checksum(api, range);
  const archives = (await api<{ archives: { id: string; runs: number; events: number; bytes: number }[] }>('{ archives { id runs events bytes } }')).archives;
  const locations = (await work.query<{ location: string }>(`SELECT location FROM "ArchivePeriod" ORDER BY "periodStart"`)).rows.map((row) => row.location);
  const kept = Number((await work.query<{ n: string }>(`SELECT count(*) AS n FROM "Run" WHERE "createdAt" < $1`, [sqlTime(thisMonth)])).rows[0]?.n ?? 0);
  const page = await pageAcrossBoundary(api, work, locations, thisMonth, options.iterations);
  await stopServer();
  const floor = await bareDetach(urlOf(options.postgresUrl, names.floor), locations);

  const failures: string[] = [];
  if (moved.archiveNow.total !== dryRun.archiveNow.total) failures.push(`archiveNow moved ${moved.archiveNow.total} runs, its dry run said ${dryRun.archiveNow.total}`);
  if (checksumAfter !== checksumBefore) failures.push('counts or trends differ after archival');
  if (!page.same) failures.push('the includeArchived page differs from the plain SQL over the live and archive tables');
  const archivedRuns = archives.reduce((sum, archive) => sum + archive.runs, 0);
  if (archivedRuns !== moved.archiveNow.total) failures.push(`the archives hold ${archivedRuns} runs, ${moved.archiveNow.total} moved`);

  log('');
  for (const line of table(
    ['', 'figure'],
    [
      ['runs moved', `${count(moved.archiveNow.total)} (${archives.map((archive) => `${archive.id}: ${count(archive.runs)} runs, ${count(archive.events)} events, ${megabytes(archive.bytes)}`).join('; ')})`],
      ['runs of those periods kept hot', `${count(kept)} (active runs, each workflow's last 20 runs, recent failures; moved back into new partitions)`],
      [
        'archival (archiveNow over HTTP)',
        `${duration(archiveMs)} (${count(moved.archiveNow.total / (archiveMs / 1000))} runs/s, ${archiveCpu === null ? 'n/a' : `${archiveCpu.toFixed(1)} s`} of server CPU; target < ${duration(ARCHIVE_TARGET_MS)})`,
      ],
      ['floor: bare DETACH + SET SCHEMA of the same partitions', `${duration(floor.ms)} (${floor.statements} statements in one transaction; ours / floor ${(archiveMs / floor.ms).toFixed(2)})`],
      ['counts and trends before = after', checksumAfter === checksumBefore ? 'identical (50 answers)' : 'DIFFERENT'],
      ['live history tables (all partitions, with indexes)', `${megabytes(sizeBefore)} → ${megabytes(sizeAfter)}`],
      ['server RSS', `${megabytes(rssBefore)} → ${megabytes(rssAfter)} (peak while archiving ${megabytes(rssPeak)})`],
      [
        `includeArchived page of ${PAGE_SIZE} across the boundary (p50 / p99)`,
        `${ms(page.api.p50)} / ${ms(page.api.p99)} ms over HTTP; plain SQL over the live and archive tables ${ms(page.floor.p50)} / ${ms(page.floor.p99)} ms; ratio ${(page.api.p50 / page.floor.p50).toFixed(1)}x`,
      ],
      ['the newest page of live runs alone, over HTTP (p50 / p99)', `${ms(page.live.p50)} / ${ms(page.live.p99)} ms`],
    ],
  ))
    log(line);
  if (archiveMs > ARCHIVE_TARGET_MS) log(`note: archival took longer than the ${duration(ARCHIVE_TARGET_MS)} target`);
  for (const failure of failures) console.error(`FAIL: ${failure}`);
  return failures.length > 0 ? 1 : 0;
}

/** The seeded database, seeded again when missing, of another size, or seeded before last month began. */
async function preparePristine(options: PostgresOptions, name: string, directory: string, days: number, lastMonth: number, log: (line: string) => void): Promise<void> {
  const url = urlOf(options.postgresUrl, name);
  if (!options.reseed && existsSync(path.join(directory, 'admin-token'))) {
    const found = await seededRange(options.postgresUrl, name, url);
    if (found && found.runs === options.runs && found.oldest < lastMonth && found.oldest > lastMonth - 2 * DAY_MS) {
      log(`reusing PostgreSQL database ${name} (--reseed to seed again)`);
      return;
    }
  }
  log(`seeding PostgreSQL database ${name}: ${count(options.runs)} runs over ${days} days`);
  await admin(options.postgresUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin(options.postgresUrl, `CREATE DATABASE "${name}"`);
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  const seeded = spawnSync(process.execPath, [path.join(REPOSITORY_ROOT, 'bin', 'runtrail'), 'seed', '--runs', String(options.runs), '--days', String(days)], {
    cwd: REPOSITORY_ROOT,
    env: { ...process.env, DATA_DIR: directory, DATABASE_URL: url, LOG_LEVEL: 'warn', LOAD_EXAMPLES: 'false' },
    stdio: 'inherit',
  });
  if (seeded.status !== 0) throw new BenchFailure(`runtrail seed failed (exit ${seeded.status ?? seeded.signal})`);
  // A template is copied only while nobody is connected to it, and it should be analyzed once for every copy.
  await withClient(url, (client) => client.query('VACUUM ANALYZE'));
}

async function seededRange(adminUrl: string, name: string, url: string): Promise<{ runs: number; oldest: number } | null> {
  const exists = await withClient(adminUrl, async (client) => (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount);
  if (!exists) return null;
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ runs: string; oldest: number | null }>(`SELECT count(*) AS runs, extract(epoch FROM min("createdAt")) * 1000 AS oldest FROM "Run"`);
    const row = rows[0];
    return row && row.oldest !== null ? { runs: Number(row.runs), oldest: Number(row.oldest) } : null;
  });
}

/**
 * A page of `includeArchived` runs newest first whose first half is live and second half archived,
 * over HTTP, against the same page by plain SQL on the live "Run" and each archive table (a
 * statement each, merged): the order, limit and columns of the page, nothing else.
 */
async function pageAcrossBoundary(api: Api, client: pg.Client, locations: readonly string[], boundary: number, iterations: number): Promise<{ api: Timings; floor: Timings; live: Timings; same: boolean }> {
  const { rows } = await client.query<{ at: number }>(`SELECT extract(epoch FROM "createdAt") * 1000 AS at FROM "Run" WHERE "createdAt" >= $1 ORDER BY "createdAt", id LIMIT 1 OFFSET ${PAGE_SIZE / 2 - 1}`, [sqlTime(boundary)]);
  const half = rows[0];
  if (!half) throw new BenchFailure('no live runs after the boundary');
  const before = Math.round(Number(half.at)) + 1;
  const tables = ['"Run"', ...locations.map((location) => `archive."Run_${location}"`)];
  const floorPage = async () => {
    const found: { id: string; at: number }[] = [];
    for (const name of tables) {
      const result = await client.query<{ id: string; at: string }>(
        `SELECT id, extract(epoch FROM "createdAt") * 1000 AS at, "projectId", "workflowId", status, trigger, "durationMs" FROM ${name} WHERE "createdAt" < $1 ORDER BY "createdAt" DESC, id DESC LIMIT ${PAGE_SIZE + 1}`,
        [sqlTime(before)],
      );
      found.push(...result.rows.map((row) => ({ id: row.id, at: Number(row.at) })));
    }
    return found
      .sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1))
      .slice(0, PAGE_SIZE)
      .map((row) => row.id);
  };
  const query = `query ($before: DateTime!) { runs(filter: { includeArchived: true, createdBefore: $before }, first: ${PAGE_SIZE}) { edges { node { id status trigger createdAt durationMs archived } } } }`;
  const liveQuery = `{ runs(first: ${PAGE_SIZE}) { edges { node { id status trigger createdAt durationMs archived } } } }`;
  const apiPage = async () => (await api<{ runs: { edges: { node: { id: string } }[] } }>(query, { before: new Date(before).toISOString() })).runs.edges.map((edge) => edge.node.id);
  const livePage = async () => (await api<{ runs: { edges: { node: { id: string } }[] } }>(liveQuery)).runs.edges.length;
  return timePages({ api: apiPage, floor: floorPage, live: livePage }, iterations);
}

/**
 * The floor of archival on PostgreSQL, on a second copy of the same data: in one transaction, the
 * statements without which a partition cannot leave (the rows of other tables that refer to its
 * runs and steps deleted, its foreign keys dropped), DETACH and SET SCHEMA archive of the same
 * partitions. No run is kept hot, nothing is counted, no catalog, no policy.
 */
async function bareDetach(url: string, locations: readonly string[]): Promise<{ ms: number; statements: number }> {
  return withClient(url, async (client) => {
    let statements = 0;
    const run = async (sql: string) => {
      statements += 1;
      return client.query(sql);
    };
    const started = performance.now();
    await run('BEGIN');
    await run('LOCK TABLE "Run", "StepRun", "RunEvent" IN ACCESS EXCLUSIVE MODE');
    await run('CREATE SCHEMA IF NOT EXISTS archive');
    for (const location of locations) {
      const bound = async (table: string) => {
        const { rows } = await client.query<{ bound: string }>(`SELECT pg_get_expr(relpartbound, oid) AS bound FROM pg_class WHERE oid = $1::regclass`, [`"${table}_${location}"`]);
        const found = /FROM \('([^']+)'\) TO \('([^']+)'\)/.exec(rows[0]?.bound ?? '');
        if (!found?.[1] || !found[2]) throw new BenchFailure(`the partition ${table}_${location} has no time bounds`);
        return { low: found[1], high: found[2] };
      };
      const ofRun = await bound('Run');
      const step = await bound('StepRun');
      await run(`DELETE FROM "CronTick" WHERE "runId" >= '${ofRun.low}' AND "runId" < '${ofRun.high}'`);
      await run(`DELETE FROM "ApprovalDecision" WHERE "stepRunId" >= '${step.low}' AND "stepRunId" < '${step.high}'`);
      await run(`DELETE FROM "StepLogChunk" WHERE "stepRunId" >= '${step.low}' AND "stepRunId" < '${step.high}'`);
      for (const table of ['RunEvent', 'StepRun', 'Run']) {
        const partition = `"${table}_${location}"`;
        await run(`ALTER TABLE "${table}" DETACH PARTITION ${partition}`);
        const keys = await client.query<{ name: string }>(`SELECT conname AS name FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'f' AND conparentid = 0`, [partition]);
        if (keys.rows.length > 0) await run(`ALTER TABLE ${partition} ${keys.rows.map((key) => `DROP CONSTRAINT "${key.name}"`).join(', ')}`);
        await run(`ALTER TABLE ${partition} SET SCHEMA archive`);
      }
    }
    await run('COMMIT');
    return { ms: performance.now() - started, statements };
  });
}

async function liveBytes(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ bytes: string }>(`SELECT COALESCE(sum(pg_total_relation_size(i.inhrelid)), 0) AS bytes FROM pg_inherits i WHERE i.inhparent IN (${HISTORY})`);
  return Number(rows[0]?.bytes ?? 0);
}

function monthStart(at: number, offset: number): number {
  const date = new Date(at);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + offset, 1);
}

/** A timestamp as PostgreSQL's `timestamp` columns hold it (UTC, no zone). */
function sqlTime(at: number): string {
  return new Date(at).toISOString().replace('Z', '');
}

function urlOf(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin(adminUrl: string, sql: string): Promise<void> {
  await withClient(adminUrl, (client) => client.query(sql));
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
