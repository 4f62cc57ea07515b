import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { openDatabase, type Database } from '../db/client.ts';
import { pollUntil } from '../test/poll-until.ts';
import { lastEventSeq, postgresArchiveCensus, type PostgresArchiveCensus } from '../test/postgres-archive-census.ts';
import { killServers, seedWithCli, startServerProcess, type ServerProcess } from '../test/server-process.ts';
import { createTempPostgres, type TempDatabase } from '../test/temp-database.ts';

describe('archival on PostgreSQL killed in the middle', () => {
  let dataDir: string;
  let temp: TempDatabase;
  let database: Database;
  const servers: ServerProcess[] = [];
  const env = () => ({
    DATA_DIR: dataDir,
    DATABASE_URL: temp.config.url,
    LOAD_EXAMPLES: 'false',
    LOG_LEVEL: 'info',
    // Daily periods, every finished run older than a day moves: some eighty periods, a transaction each.
    PARTITION_INTERVAL: 'day',
    RETENTION_HOT_DAYS: '1',
    RETENTION_KEEP_LAST_RUNS: '2',
    RETENTION_KEEP_FAILED_FOR_DAYS: '0',
    ARCHIVE_EVERY_MINUTES: '60',
    // The killed process's archive lease runs out this soon.
    LEASE_SECONDS: '3',
  });
  const periodsMoved = (server: ServerProcess) => server.logs.filter((entry) => entry.msg === 'archive.batch_moved').length;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-pg-archive-crash-'));
    temp = await createTempPostgres('archive_crash');
    seedWithCli({ dataDir, runs: 8_000, projects: 2, workflows: 3, days: 80, env: { DATABASE_URL: temp.config.url, PARTITION_INTERVAL: 'day' }, timeoutMs: 120_000 });
    database = await openDatabase(temp.config, pino({ level: 'silent' }));
  });
  afterAll(async () => {
    await killServers(servers);
    await database.close();
    await temp.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('leaves every run in exactly one place when SIGKILLed, and finishes the archival once started again', async () => {
    // A starting server settles the runs the seed left running (how many depends on the hour): their events are not the archival's.
    const seededEvents = await lastEventSeq(database.db);
    const before = await postgresArchiveCensus(database.db, seededEvents);

    const first = await startServerProcess(env());
    servers.push(first);
    await pollUntil('five periods moved', 60_000, async () => (periodsMoved(first) >= 5 ? true : null));
    first.child.kill('SIGKILL');
    await first.exited;
    const killed = await postgresArchiveCensus(database.db, seededEvents);

    const second = await startServerProcess(env());
    servers.push(second);
    await pollUntil('the archival round to end', 120_000, async () => (second.logs.some((entry) => entry.msg === 'archive.round_done') ? true : null));
    const finished = await postgresArchiveCensus(database.db, seededEvents);
    second.child.kill('SIGTERM');
    await second.exited;

    expect([...killed.states.values()]).toContain('MOVING');
    expectOnePlaceEach(killed, before);
    expect(killed.archived.size).toBeGreaterThan(0);
    expect(killed.rows).toEqual(before.rows);
    expect(finished.live.size).toBeLessThan(before.live.size / 5);
    expectOnePlaceEach(finished, before);
    expect([...finished.states.values()].every((state) => state === 'ARCHIVED')).toBe(true);
    expect(finished.tables.filter((table) => table.startsWith('Run_')).length).toBe(finished.states.size);
    expect(finished.rows).toEqual(before.rows);
  }, 240_000);
});

/** Every run of `before` is in the live store or archived in one period, never both. */
function expectOnePlaceEach(census: PostgresArchiveCensus, before: PostgresArchiveCensus): void {
  expect(census.twice).toEqual([]);
  expect([...census.live].filter((id) => census.archived.has(id))).toEqual([]);
  expect(new Set([...census.live, ...census.archived.keys()])).toEqual(new Set([...before.live, ...before.archived.keys()]));
}
