import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import type { DatabaseConfig } from './provider.ts';
import { sqliteFilePath } from './client.ts';

/**
 * Applies the committed migration files at startup, each in its own transaction, and records
 * them in Prisma's `_prisma_migrations` table with Prisma's checksum, so `prisma migrate
 * status` agrees with us. We do not call `prisma migrate deploy`: its wasm engine cannot read
 * PostgreSQL's catalog here, and one runner for both providers keeps startup the same.
 */

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

const projectRoot = path.resolve(__dirname, '..', '..');

export function migrationsDirectory(provider: DatabaseConfig['provider']): string {
  return provider === 'sqlite'
    ? path.join(projectRoot, 'prisma', 'migrations')
    : path.join(projectRoot, 'prisma', 'postgres', 'migrations');
}

export function readMigrationFiles(directory: string): MigrationFile[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(directory, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(directory, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

const SQLITE_HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL,
  "checksum" TEXT NOT NULL,
  "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL,
  "logs" TEXT,
  "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
  "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

const POSTGRES_HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

// Any constant works; it only has to be the same in every Runtrail process.
const POSTGRES_MIGRATION_LOCK = 7_402_119;

export class MigrationError extends Error {}

export async function migrate(config: DatabaseConfig, files = readMigrationFiles(migrationsDirectory(config.provider))): Promise<string[]> {
  return config.provider === 'sqlite' ? migrateSqlite(config.url, files) : migratePostgres(config.url, files);
}

function migrateSqlite(url: string, files: MigrationFile[]): string[] {
  const file = sqliteFilePath(url);
  mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new BetterSqlite3(file);
  try {
    sqlite.pragma('busy_timeout = 10000');
    // Archival frees pages that incremental_vacuum gives back to the file system a few at a time.
    // The mode takes effect only in a file without tables yet; an older file keeps reusing its
    // free pages, and switches at its next VACUUM (README "Storage over time").
    sqlite.pragma('auto_vacuum = INCREMENTAL');
    sqlite.exec(SQLITE_HISTORY_TABLE);
    const applied: string[] = [];
    for (const file of files) {
      // BEGIN IMMEDIATE takes the write lock first, so two processes never apply one file twice.
      sqlite.exec('BEGIN IMMEDIATE');
      try {
        const done = sqlite
          .prepare('SELECT 1 FROM "_prisma_migrations" WHERE migration_name = ? AND finished_at IS NOT NULL')
          .get(file.name);
        if (!done) {
          const startedAt = Date.now();
          sqlite.exec(file.sql);
          sqlite
            .prepare(
              'INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, ?, 1)',
            )
            .run(randomUUID(), file.checksum, Date.now(), file.name, startedAt);
          applied.push(file.name);
        }
        sqlite.exec('COMMIT');
      } catch (error) {
        sqlite.exec('ROLLBACK');
        throw new MigrationError(`Migration ${file.name} failed: ${(error as Error).message}`);
      }
    }
    return applied;
  } finally {
    sqlite.close();
  }
}

async function migratePostgres(url: string, files: MigrationFile[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [POSTGRES_MIGRATION_LOCK]);
    await client.query(POSTGRES_HISTORY_TABLE);
    const applied: string[] = [];
    for (const file of files) {
      const done = await client.query(
        'SELECT 1 FROM "_prisma_migrations" WHERE migration_name = $1 AND finished_at IS NOT NULL',
        [file.name],
      );
      if (done.rowCount) continue;
      await client.query('BEGIN');
      try {
        const startedAt = new Date();
        await client.query(file.sql);
        await client.query(
          'INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES ($1, $2, now(), $3, $4, 1)',
          [randomUUID(), file.checksum, file.name, startedAt],
        );
        await client.query('COMMIT');
        applied.push(file.name);
      } catch (error) {
        await client.query('ROLLBACK');
        throw new MigrationError(`Migration ${file.name} failed: ${(error as Error).message}`);
      }
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [POSTGRES_MIGRATION_LOCK]).catch(() => undefined);
    await client.end();
  }
}
