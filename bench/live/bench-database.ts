// A fresh PostgreSQL database per run (SQLite's single writer cannot keep up with the rate),
// dropped again when the bench ends.
import pg from 'pg';
import { BenchFailure } from '../shared/bench-failure.ts';

const NAME = 'runtrail_bench_live';

export interface BenchDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function recreateDatabase(adminUrl: string): Promise<BenchDatabase> {
  await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${NAME}" WITH (FORCE)`);
  await adminQuery(adminUrl, `CREATE DATABASE "${NAME}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${NAME}`;
  return { url: url.toString(), name: NAME, drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${NAME}" WITH (FORCE)`) };
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  try {
    await client.connect();
  } catch (error) {
    throw new BenchFailure(`cannot connect to PostgreSQL at ${adminUrl}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
