import type { ReadSession } from '../db/history-reader.ts';
import { encodeRows } from '../db/row-encoding.ts';
import type { RunSelection } from '../domain/history/run-selection.ts';
import { Prisma } from '../generated/sqlite/client.ts';
import { composeTestServices } from '../test/compose.ts';
import { useMigratedDatabase } from '../test/database-suite.ts';
import { RunCountRepository } from './run-count.repository.ts';
import { RunPageRepository } from './run-page.repository.ts';

const database = useMigratedDatabase('postgresql');
const at = (month: number, date: number) => Date.UTC(2030, month, date);

const SELECTION: RunSelection = {
  projectIds: null,
  workflowIds: null,
  statuses: ['FAILED', 'SUCCEEDED'],
  triggers: null,
  createdFrom: null,
  createdTo: null,
  search: null,
  includeArchived: false,
};

/** The tables (partitions) the plan of every statement a repository call sends would read. */
async function scannedBy(call: (session: ReadSession) => Promise<unknown>): Promise<string[]> {
  const scanned = new Set<string>();
  const explain = async (query: Prisma.Sql) => {
    const [row] = await database().reader.all(Prisma.sql`EXPLAIN (FORMAT JSON) ${query}`);
    collectRelations(row?.['QUERY PLAN'], scanned);
  };
  const explaining: ReadSession = {
    all: async (query) => {
      await explain(query);
      return [];
    },
    encoded: async (query, encoding) => {
      await explain(query);
      return encodeRows({ columns: [], rows: [] }, encoding);
    },
  };
  await call(explaining);
  return [...scanned].sort();
}

function collectRelations(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) collectRelations(item, into);
  } else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'Relation Name' && typeof value === 'string') into.add(value);
      else collectRelations(value, into);
    }
  }
}

describe('history queries on partitioned PostgreSQL', () => {
  beforeAll(async () => {
    await composeTestServices(database()).partitions?.ensurePartitions(new Date(at(0, 1)), new Date(at(6, 1)));
  });

  it('reads only the partitions of the months a time-bounded page and its counts need', async () => {
    const pages = new RunPageRepository({ provider: 'postgresql' });
    const counts = new RunCountRepository({ provider: 'postgresql' });
    const bounded = { ...SELECTION, createdFrom: at(2, 10), createdTo: at(3, 5) };

    const page = await scannedBy((session) => pages.pageOfUnchanged(session, bounded, 10n, null, 'DESC', 50));
    const nextPage = await scannedBy((session) => pages.pageOfUnchanged(session, bounded, 10n, { createdAt: at(2, 20), id: 'run_x' }, 'DESC', 50));
    const earlierPage = await scannedBy((session) => pages.pageOfUnchanged(session, SELECTION, 10n, { createdAt: at(4, 20), id: 'run_x' }, 'ASC', 50));
    const counted = await scannedBy((session) => counts.countRuns(session, bounded, [{ from: at(2, 10), to: at(3, 5) }], null));

    expect(page).toEqual(['EventCounter', 'Run_p20300301', 'Run_p20300401']);
    expect(nextPage).toEqual(['EventCounter', 'Run_p20300301']);
    expect(earlierPage).toEqual(['EventCounter', 'Run_default', 'Run_p20300501', 'Run_p20300601']);
    expect(counted).toEqual(['Run_p20300301', 'Run_p20300401']);
  });
});
