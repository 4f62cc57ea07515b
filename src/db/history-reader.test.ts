import { Prisma } from '../generated/sqlite/client.ts';
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
