import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { openDatabase, type Database } from '../db/client.ts';
import { inPostgresWriteTransaction } from '../db/write-connection.ts';
import { HISTORY_REFERRERS } from '../domain/history/history-partitions.ts';
import { postgresWriter } from '../test/database-suite.ts';
import { pollUntil } from '../test/poll-until.ts';
import { lastEventSeq } from '../test/postgres-archive-census.ts';
import { killServers, seedWithCli, startServerProcess, type ServerProcess } from '../test/server-process.ts';
import { createTempPostgres, type TempDatabase } from '../test/temp-database.ts';

const HISTORY = ['Run', 'StepRun', 'RunEvent'] as const;

/** Where the history rows are: per table, how many in all, how many in its DEFAULT partition, and its partitions that hold rows. */
interface Census {
  rows: Record<string, number>;
  inDefault: Record<string, number>;
  partitions: string[];
  /** Rows of every table that refers to runs or steps. */
  referring: Record<string, number>;
  /** Tables named as a period's partition that are not one (a move's, left behind). */
  standalone: string[];
}

describe('moving rows out of the DEFAULT partitions, killed in the middle', () => {
  let dataDir: string;
  let temp: TempDatabase;
  let database: Database;
  const servers: ServerProcess[] = [];
  const env = () => ({ DATA_DIR: dataDir, DATABASE_URL: temp.config.url, LOAD_EXAMPLES: 'false', LOG_LEVEL: 'info', PARTITION_INTERVAL: 'week', LEASE_SECONDS: '3' });

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-partition-repair-crash-'));
    temp = await createTempPostgres('partition_repair_crash');
    seedWithCli({ dataDir, runs: 20_000, projects: 2, workflows: 3, days: 21, env: { DATABASE_URL: temp.config.url, PARTITION_INTERVAL: 'week' }, timeoutMs: 180_000 });
    database = await openDatabase(temp.config, pino({ level: 'silent' }));
    await intoDefaultPartitions(database);
  }, 240_000);
  afterAll(async () => {
    await killServers(servers);
    await database.close();
    await temp.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('leaves every row where it was when SIGKILLed, and moves them all once started again', async () => {
    const seededEvents = await lastEventSeq(database.db);
    const before = await census(database, seededEvents);

    const first = await startServerProcess(env());
    servers.push(first);
    await pollUntil('a move under way', 60_000, async () => ((await movingStatement(database)) ? true : null));
    first.child.kill('SIGKILL');
    await first.exited;
    // PostgreSQL ends the dead client's transaction once its statement returns: then its lock goes.
    await pollUntil('the killed move rolled back', 60_000, async () => ((await partitionLockHeld(database)) ? null : true));
    const killed = await census(database, seededEvents);

    const second = await startServerProcess(env());
    servers.push(second);
    await pollUntil('the DEFAULT partitions emptied', 120_000, async () => {
      const now = await census(database, seededEvents);
      return Object.values(now.inDefault).every((rows) => rows === 0) ? now : null;
    });
    const finished = await census(database, seededEvents);
    await second.ready(10_000);
    const readiness = (await (await fetch(`${second.url}/readyz`)).json()) as unknown;
    second.child.kill('SIGTERM');
    await second.exited;

    const movedBy = (server: ServerProcess) => server.logs.filter((entry) => entry.msg === 'partitions.default_rows_moved').length;
    expect(before.partitions).toEqual([]);
    // The killed move left nothing: each period is in the DEFAULT partitions or, moved by a committed move, in its own.
    expect(killed.rows).toEqual(before.rows);
    expect(killed.referring).toEqual(before.referring);
    expect(killed.partitions.length).toBe(3 * movedBy(first));
    expect(killed.standalone).toEqual([]);
    expect(Object.values(killed.inDefault).every((rows) => rows > 0)).toBe(true);
    expect(finished.rows).toEqual(before.rows);
    expect(finished.referring).toEqual(before.referring);
    expect(finished.partitions.length).toBeGreaterThanOrEqual(3 * 3);
    expect(movedBy(first) + movedBy(second)).toBe(finished.partitions.length / 3);
    expect(finished.standalone).toEqual([]);
    expect(readiness).toEqual({ status: 'ready' });
  }, 300_000);
});

/** `seededEvents`: the last event seq of the seed; the events a server adds when it settles the runs the seed left running are not counted. */
async function census(database: Database, seededEvents: bigint): Promise<Census> {
  const count = async (sql: string) => Number((await database.db.$queryRawUnsafe<{ n: bigint }[]>(sql))[0]?.n ?? 0n);
  const result: Census = { rows: {}, inDefault: {}, partitions: [], referring: {}, standalone: [] };
  for (const table of HISTORY) {
    result.rows[table] = await count(table === 'RunEvent' ? `SELECT count(DISTINCT seq) AS n FROM "RunEvent" WHERE seq <= ${seededEvents}` : `SELECT count(DISTINCT id) AS n FROM "${table}"`);
    result.inDefault[table] = await count(`SELECT count(*) AS n FROM "${table}_default"`);
    const places = await database.db.$queryRawUnsafe<{ place: string }[]>(`SELECT DISTINCT tableoid::regclass::text AS place FROM "${table}" ORDER BY 1`);
    result.partitions.push(...places.map((row) => row.place).filter((place) => !place.endsWith('_default"')));
  }
  for (const referrer of HISTORY_REFERRERS) result.referring[referrer.table] = await count(`SELECT count(*) AS n FROM "${referrer.table}"`);
  const standalone = await database.db.$queryRawUnsafe<{ name: string }[]>(
    `SELECT relname::text AS name FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND NOT relispartition AND relname ~ '^(Run|StepRun|RunEvent)_p[0-9]{8}$'`,
  );
  result.standalone = standalone.map((row) => row.name);
  return result;
}

/** Whether a statement of the move (copying, deleting or attaching a period's rows) is running. */
async function movingStatement(database: Database): Promise<boolean> {
  const rows = await database.db.$queryRawUnsafe<{ n: bigint }[]>(
    `SELECT count(*) AS n FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid() AND query ~ '^(INSERT INTO|DELETE FROM|ALTER TABLE|CREATE TABLE) "(Run|StepRun|RunEvent)_(p[0-9]{8}|default)"'`,
  );
  return (rows[0]?.n ?? 0n) > 0n;
}

async function partitionLockHeld(database: Database): Promise<boolean> {
  const rows = await database.db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = 7402120 AND granted`);
  return (rows[0]?.n ?? 0n) > 0n;
}

/**
 * Puts every history row into the DEFAULT partitions, as if no partition had been made for them:
 * each partition is detached (what refers to its rows kept aside meanwhile), its rows copied into
 * the parent, which has only the DEFAULT partition left to take them, and the partition dropped.
 */
async function intoDefaultPartitions(database: Database): Promise<void> {
  await inPostgresWriteTransaction(postgresWriter(database), async (client) => {
    for (const referrer of HISTORY_REFERRERS) {
      await client.query(`CREATE TEMP TABLE "kept_${referrer.table}" ON COMMIT DROP AS SELECT * FROM "${referrer.table}"`);
      await client.query(`DELETE FROM "${referrer.table}"`);
    }
    const detached: Record<string, string[]> = {};
    for (const table of [...HISTORY].reverse()) {
      const { rows } = await client.query<{ name: string }>(
        `SELECT c.relname::text AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass AND c.relname <> $2`,
        [`"${table}"`, `${table}_default`],
      );
      detached[table] = rows.map((row) => row.name);
      for (const { name } of rows) {
        await client.query(`ALTER TABLE "${table}" DETACH PARTITION "${name}"`);
        const constraints = await client.query<{ name: string }>(`SELECT conname AS name FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'f' AND conparentid = 0`, [`"${name}"`]);
        for (const constraint of constraints.rows) await client.query(`ALTER TABLE "${name}" DROP CONSTRAINT "${constraint.name}"`);
      }
    }
    for (const table of HISTORY) {
      for (const name of detached[table] ?? []) {
        await client.query(`INSERT INTO "${table}" SELECT * FROM "${name}"`);
      }
    }
    for (const table of [...HISTORY].reverse()) for (const name of detached[table] ?? []) await client.query(`DROP TABLE "${name}"`);
    for (const referrer of HISTORY_REFERRERS) await client.query(`INSERT INTO "${referrer.table}" SELECT * FROM "kept_${referrer.table}"`);
  });
}
