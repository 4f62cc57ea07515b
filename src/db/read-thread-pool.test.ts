import type { Worker } from 'node:worker_threads';
import pino from 'pino';
import { Prisma } from '../generated/sqlite/client.ts';
import { createTempSqlite, type TempDatabase } from '../test/temp-database.ts';
import { sqliteFilePath } from './client.ts';
import { SqliteHistoryReader } from './history-reader.ts';
import { migrate } from './migrator.ts';
import { READ_THREAD_LOST, SqliteReadPool } from './read-thread-pool.ts';
import type { RowEncoding } from './row-encoding.ts';

// A statement that keeps SQLite busy for a while (a fraction of a second), on whichever thread runs it.
const HEAVY = Prisma.sql`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000) SELECT count(*) AS c FROM n`;
const ROWS = Prisma.sql`SELECT migration_name AS name, ${Buffer.from('blob')} AS bytes, ${42} AS answer FROM "_prisma_migrations" ORDER BY name`;
const LIGHT = Prisma.sql`SELECT 1 AS one`;
const logger = pino({ level: 'silent' });

describe('the SQLite history read pool', () => {
  let temp: TempDatabase;
  let file: string;
  beforeAll(async () => {
    temp = createTempSqlite('read-pool');
    await migrate(temp.config);
    file = sqliteFilePath(temp.config.url);
  });
  afterAll(() => temp.drop());

  it('answers what the in-process reader answers, in rows of the same shape', async () => {
    const pool = await SqliteReadPool.open(file, { threads: 2, queueLimit: 10 }, logger);
    const inProcess = new SqliteHistoryReader(file);
    try {
      const pooled = await pool.read(async (session) => [await session.all(ROWS), await session.all(LIGHT)]);
      const direct = await inProcess.read(async (session) => [await session.all(ROWS), await session.all(LIGHT)]);
      expect(pooled).toEqual(direct);
      expect(Buffer.isBuffer(pooled[0]?.[0]?.bytes)).toBe(true);
      expect(await pool.all(ROWS)).toEqual(await inProcess.all(ROWS));
    } finally {
      await pool.close();
      await inProcess.close();
    }
  });

  it('hands back rows encoded in the thread, as bytes, as the in-process reader encodes them', async () => {
    const runs = Prisma.sql`SELECT 'run_1' AS id, 'wf_1' AS "workflowId", 'FAILED' AS status, 'MANUAL' AS trigger, ${Date.UTC(2026, 10, 9, 8)} AS "createdAt", NULL AS "startedAt", NULL AS "finishedAt", NULL AS "durationMs", ${'=boom, "quoted"\nline'} AS error
      UNION ALL SELECT 'run_2', 'wf_gone', 'SUCCEEDED', 'SCHEDULE', ${Date.UTC(2026, 10, 9, 9)}, ${Date.UTC(2026, 10, 9, 9)}, ${Date.UTC(2026, 10, 9, 9, 1)}, 60000, NULL`;
    const encoding: RowEncoding = { kind: 'reportRuns', csv: true, json: true, workflows: [{ workflowId: 'wf_1', workflowName: 'Nightly, billing', projectId: 'prj_1', projectName: 'Billing' }] };
    const pool = await SqliteReadPool.open(file, { threads: 1, queueLimit: 10 }, logger);
    const inProcess = new SqliteHistoryReader(file);
    try {
      const pooled = await pool.read((session) => session.encoded(runs, encoding));
      expect(pooled).toEqual(await inProcess.read((session) => session.encoded(runs, encoding)));
      expect(await pool.encoded(runs, encoding)).toEqual(pooled);
      expect({ rows: pooled.rows, unnamed: pooled.unnamed }).toEqual({ rows: 2, unnamed: ['wf_gone'] });
      expect(Buffer.from(pooled.csv ?? new Uint8Array()).toString('utf8')).toBe(`run_1,prj_1,Billing,wf_1,"Nightly, billing",FAILED,MANUAL,2026-11-09T08:00:00.000Z,,,,"'=boom, ""quoted""\nline"\r\n`);
      expect(JSON.parse(`[${Buffer.from(pooled.json ?? new Uint8Array()).toString('utf8')}]`)).toEqual([
        { workflowId: 'wf_1', workflowName: 'Nightly, billing', projectId: 'prj_1', projectName: 'Billing', runId: 'run_1', status: 'FAILED', trigger: 'MANUAL', createdAt: '2026-11-09T08:00:00.000Z', startedAt: null, finishedAt: null, durationMs: null, error: '=boom, "quoted"\nline' },
      ]);
    } finally {
      await pool.close();
      await inProcess.close();
    }
  });

  it('keeps the event loop free while a heavy read runs', async () => {
    const pool = await SqliteReadPool.open(file, { threads: 1, queueLimit: 10 }, logger);
    try {
      let finished = false;
      const heavy = pool.all(HEAVY).then(() => (finished = true));
      const finishedWhenTheLoopTurned = await new Promise((resolve) => setTimeout(() => resolve(finished), 20));
      expect(finishedWhenTheLoopTurned).toBe(false);
      await heavy;
    } finally {
      await pool.close();
    }
  });

  it('refuses a read with RATE_LIMITED when the queue is full, and serves the queued ones', async () => {
    const pool = await SqliteReadPool.open(file, { threads: 1, queueLimit: 1 }, logger);
    try {
      const running = pool.all(LIGHT);
      const queued = pool.all(LIGHT);
      await expect(pool.all(LIGHT)).rejects.toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('history reads are waiting') });
      await expect(running).resolves.toEqual([{ one: 1 }]);
      await expect(queued).resolves.toEqual([{ one: 1 }]);
    } finally {
      await pool.close();
    }
  });

  it('fails the read of a thread that stops with a clear error, and replaces the thread', async () => {
    const workers: Worker[] = [];
    const pool = await SqliteReadPool.open(file, { threads: 1, queueLimit: 10 }, logger, (worker) => workers.push(worker));
    try {
      const heavy = pool.read((session) => session.all(HEAVY));
      const waiting = pool.all(LIGHT);
      await workers[0]?.terminate();

      await expect(heavy).rejects.toMatchObject({ code: READ_THREAD_LOST, message: expect.stringContaining('history read thread stopped') });
      await expect(waiting).resolves.toEqual([{ one: 1 }]);
      expect(workers).toHaveLength(2);
    } finally {
      await pool.close();
    }
  });
});
