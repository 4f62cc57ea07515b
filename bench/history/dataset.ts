// The seeded history the bench reads, kept between bench runs: seeding a million runs takes
// minutes, timing them seconds. Reused when it holds exactly the asked number of runs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { generateTokenSecret, hashTokenSecret } from '../../src/auth/token-secret.ts';
import { newId } from '../../src/domain/ids.ts';
import { BenchFailure } from '../shared/bench-failure.ts';
import { count } from '../shared/report.ts';
import { REPOSITORY_ROOT } from '../shared/server-process.ts';
import type { BenchDatabase, BenchOptions } from './options.ts';

const BENCH_DATA = path.join(REPOSITORY_ROOT, '.bench-data');
const ADMIN_TOKEN_FILE = 'admin-token';

export interface Dataset {
  database: BenchDatabase;
  runs: number;
  /** DATA_DIR of the seed and the server: admin token, an empty workflows dir, server logs. */
  dataDir: string;
  databaseUrl: string;
  /** Where the data is, for people. */
  where: string;
  /** False when a cached dataset was reused. */
  seeded: boolean;
}

export async function prepareDataset(options: Pick<BenchOptions, 'database' | 'runs' | 'reseed' | 'postgresUrl'>, log: (line: string) => void): Promise<Dataset> {
  const dataDir = path.join(BENCH_DATA, `history-${options.database}-${options.runs}`);
  const target =
    options.database === 'sqlite' ? sqliteTarget(dataDir) : postgresTarget(dataDir, options.postgresUrl, `runtrail_bench_${options.runs}`);
  const found = options.reseed ? null : await target.runCount();
  const reusable = found === options.runs && (options.database === 'postgres' || existsSync(path.join(dataDir, ADMIN_TOKEN_FILE)));
  if (reusable) {
    log(`reusing ${target.where}: it holds ${count(options.runs)} runs (--reseed to seed again)`);
    return { database: options.database, runs: options.runs, dataDir, databaseUrl: target.url, where: target.where, seeded: false };
  }
  log(
    options.reseed
      ? `seeding ${target.where} again (--reseed)`
      : found === null
        ? `seeding ${target.where}`
        : `seeding ${target.where} again: it holds ${count(found)} runs, not ${count(options.runs)}`,
  );
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  await target.recreate();
  seed(options.runs, { DATA_DIR: dataDir, DATABASE_URL: target.url });
  return { database: options.database, runs: options.runs, dataDir, databaseUrl: target.url, where: target.where, seeded: true };
}

/** The admin token the seed's first start wrote; on a reused PostgreSQL database whose DATA_DIR is gone, a new one. */
export async function adminToken(dataset: Dataset): Promise<string> {
  const file = path.join(dataset.dataDir, ADMIN_TOKEN_FILE);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  if (dataset.database !== 'postgres') throw new BenchFailure(`${file} is missing: run again with --reseed`);
  const token = await mintPostgresAdminToken(dataset.databaseUrl);
  mkdirSync(dataset.dataDir, { recursive: true });
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}

interface Target {
  url: string;
  where: string;
  /** Runs in the database; null when there is no database or no Run table yet. */
  runCount(): Promise<number | null>;
  /** An empty database the seed can migrate. */
  recreate(): Promise<void>;
}

function sqliteTarget(dataDir: string): Target {
  const file = path.join(dataDir, 'runtrail.db');
  return {
    url: `file:${file}`,
    where: path.relative(process.cwd(), file) || file,
    runCount: async () => {
      if (!existsSync(file)) return null;
      const db = new Database(file, { fileMustExist: true });
      try {
        return (db.prepare<[], { count: number }>('SELECT COUNT(*) AS count FROM "Run"').get()?.count ?? 0);
      } catch {
        return null;
      } finally {
        db.close();
      }
    },
    // The data dir is removed before seeding, and SQLite creates the file.
    recreate: async () => {},
  };
}

function postgresTarget(dataDir: string, adminUrl: string, name: string): Target {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    where: `PostgreSQL database ${name} on ${url.host}`,
    runCount: async () => {
      const exists = await withPostgres(adminUrl, async (client) => (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount);
      if (!exists) return null;
      return withPostgres(url.toString(), async (client) => {
        const table = await client.query<{ present: boolean }>(`SELECT to_regclass('"Run"') IS NOT NULL AS present`);
        if (!table.rows[0]?.present) return null;
        return Number((await client.query<{ count: string }>('SELECT COUNT(*) AS count FROM "Run"')).rows[0]?.count ?? 0);
      });
    },
    recreate: () =>
      withPostgres(adminUrl, async (client) => {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await client.query(`CREATE DATABASE "${name}"`);
      }),
  };
}

async function withPostgres<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    throw new BenchFailure(`cannot connect to PostgreSQL at ${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** `runtrail seed` itself, so the bench reads what users seed; it prints its own progress. */
function seed(runs: number, env: { DATA_DIR: string; DATABASE_URL: string }): void {
  const result = spawnSync(process.execPath, [path.join(REPOSITORY_ROOT, 'bin', 'runtrail'), 'seed', '--runs', String(runs)], {
    cwd: REPOSITORY_ROOT,
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new BenchFailure(`runtrail seed --runs ${runs} failed (exit ${result.status ?? result.signal}); see its output above`);
}

async function mintPostgresAdminToken(url: string): Promise<string> {
  const token = generateTokenSecret();
  await withPostgres(url, async (client) => {
    const inserted = await client.query(
      `INSERT INTO "ApiToken" (id, "userId", name, "tokenHash", "createdAt")
       SELECT $1, id, 'bench:history', $2, $3 FROM "User" WHERE username = 'admin'`,
      [newId('tok'), hashTokenSecret(token), new Date().toISOString().replace('Z', '')],
    );
    if (inserted.rowCount !== 1) throw new BenchFailure(`${url} has no admin user: run again with --reseed`);
  });
  return token;
}
