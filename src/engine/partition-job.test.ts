import pino from 'pino';
import { DefaultPartitionRowsRepository } from '../repositories/default-partition-rows.repository.ts';
import { HistoryPartitionRepository } from '../repositories/history-partition.repository.ts';
import { HistoryPartitionService } from '../services/history-partition.service.ts';
import { postgresWriter, useMigratedDatabase } from '../test/database-suite.ts';
import { ManualClock } from '../test/manual-clock.ts';
import { pollUntil } from '../test/poll-until.ts';
import { PartitionJob } from './partition-job.ts';

const database = useMigratedDatabase('postgresql');

async function runPartitions(): Promise<string[]> {
  const rows = await database().db.$queryRawUnsafe<{ name: string }[]>(
    `SELECT c.relname::text AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '"Run"'::regclass AND c.relname <> 'Run_default' ORDER BY 1`,
  );
  return rows.map((row) => row.name);
}

describe('the partition job on PostgreSQL', () => {
  it('adds the partitions ahead of the time it leads at, each time it starts leading', async () => {
    const clock = new ManualClock(new Date(Date.UTC(2033, 4, 20)));
    const partitions = new HistoryPartitionService(
      { partitions: new HistoryPartitionRepository({ db: database().db }), defaultRows: new DefaultPartitionRowsRepository({ writer: postgresWriter(database()) }), logger: pino({ level: 'silent' }) },
      { interval: 'week', aheadIntervals: 2 },
    );
    const job = new PartitionJob({ partitions, clock, logger: pino({ level: 'silent' }) }, { everyMs: 60 * 60_000 });

    job.start();
    const first = await pollUntil('the first round', 5_000, async () => ((await runPartitions()).length >= 3 ? runPartitions() : null));
    await job.stop();
    clock.set(new Date(Date.UTC(2033, 5, 9)));
    job.start();
    const later = await pollUntil('the round after', 5_000, async () => ((await runPartitions()).length >= 6 ? runPartitions() : null));
    await job.stop();

    expect(first).toEqual(['Run_p20330516', 'Run_p20330523', 'Run_p20330530']);
    expect(later).toEqual(['Run_p20330516', 'Run_p20330523', 'Run_p20330530', 'Run_p20330606', 'Run_p20330613', 'Run_p20330620']);
  });
});
