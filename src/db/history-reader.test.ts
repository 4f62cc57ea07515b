import pino from 'pino';
import { Prisma } from '../generated/sqlite/client.ts';
import { createTempPostgres, type TempDatabase } from '../test/temp-database.ts';
import { PostgresHistoryReader } from './history-reader.ts';
import { useMigratedDatabase } from '../test/database-suite.ts';

// A statement that keeps SQLite busy for a few milliseconds on the event loop's thread.
const BUSY = Prisma.sql`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000) SELECT count(*) AS c FROM n`;

describe('the SQLite history reader', () => {
  const database = useMigratedDatabase('sqlite');

  it('lets the event loop go round between queued reads, so a request of many reads does not hold the others', async () => {
    const { reader } = database();
    let finished = 0;
    let finishedWhenTheLoopTurned: number | null = null;

    const reads = Array.from({ length: 100 }, () => reader.read(async (session) => session.all(BUSY)).then(() => (finished += 1)));
    setImmediate(() => (finishedWhenTheLoopTurned = finished));
    await Promise.all(reads);

    expect(finished).toBe(100);
    expect(finishedWhenTheLoopTurned).not.toBeNull();
    expect(finishedWhenTheLoopTurned).toBeLessThan(100);
  });
});

describe('the PostgreSQL history reader', () => {
  let temp: TempDatabase;
  beforeAll(async () => {
    temp = await createTempPostgres('reader-queue');
  });
  afterAll(() => temp.drop());

  it('refuses a read with RATE_LIMITED when its connections are busy and the queue is full', async () => {
    const reader = new PostgresHistoryReader(temp.config.url, pino({ level: 'silent' }), { poolSize: 1, queueLimit: 1 });
    try {
      const running = reader.all(Prisma.sql`SELECT pg_sleep(0.3)::text AS slept`);
      const queued = reader.read((session) => session.all(Prisma.sql`SELECT 1 AS one`));
      await expect(reader.all(Prisma.sql`SELECT 1 AS one`)).rejects.toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('history reads are waiting') });
      await expect(running).resolves.toEqual([{ slept: '' }]);
      await expect(queued).resolves.toEqual([{ one: 1 }]);
    } finally {
      await reader.close();
    }
  });
});
