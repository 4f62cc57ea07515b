import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseConfig } from '../db/provider.ts';

/** The PostgreSQL server that tests and db scripts create their throwaway databases on. */
export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TempDatabase {
  config: DatabaseConfig;
  drop(): Promise<void>;
}

export async function createTempPostgres(label = 'test'): Promise<TempDatabase> {
  const name = `runtrail_${label}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    config: { provider: 'postgresql', url: url.toString() },
    drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

export function createTempSqlite(label = 'test'): TempDatabase {
  const directory = mkdtempSync(path.join(os.tmpdir(), `runtrail-${label}-`));
  return {
    config: { provider: 'sqlite', url: `file:${path.join(directory, 'runtrail.db')}` },
    drop: async () => rmSync(directory, { recursive: true, force: true }),
  };
}

export function createTempDatabase(provider: DatabaseConfig['provider'], label?: string): Promise<TempDatabase> {
  return provider === 'sqlite' ? Promise.resolve(createTempSqlite(label)) : createTempPostgres(label);
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
