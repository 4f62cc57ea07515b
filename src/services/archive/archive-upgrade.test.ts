import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { RetentionPolicy } from '../../domain/retention/retention-policy.ts';
import { composeTestServices } from '../../test/compose.ts';
import { useMigratedDatabase } from '../../test/database-suite.ts';
import { ADMIN_PRINCIPAL } from '../../test/principals.ts';
import { seederFor } from '../../test/seeder.ts';

const DAY = 24 * 60 * 60 * 1000;
const POLICY: RetentionPolicy = { hotDays: 20, archiveDays: null, keepLastRuns: 1, keepFailedForDays: 20 };

describe('SQLite archive files written before Run had its parent columns', () => {
  const database = useMigratedDatabase('sqlite');
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-archive-upgrade-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('take more runs of their period once opened again, the new columns added', async () => {
    const now = Date.now();
    const first = composeTestServices(database(), { dataDir, retention: POLICY, history: { answerCacheBytes: 0 } });
    await seederFor(database()).seed({ runs: 200, projects: 1, workflowsPerProject: 2, from: new Date(now - 60 * DAY), to: new Date(now - 40 * DAY), seed: 4 });
    expect((await first.archive.archiveNow(ADMIN_PRINCIPAL, null, false)).total).toBeGreaterThan(0);
    first.archiveStore?.close();
    // As an older version wrote them: without the columns (and their index).
    const files = readdirSync(path.join(dataDir, 'archive')).filter((file) => file.endsWith('.db'));
    for (const file of files) {
      const archive = new BetterSqlite3(path.join(dataDir, 'archive', file));
      archive.exec('DROP INDEX IF EXISTS "Run_parentRunId_createdAt_idx"; ALTER TABLE "Run" DROP COLUMN "parentRunId"; ALTER TABLE "Run" DROP COLUMN "parentStepName";');
      archive.close();
    }

    const second = composeTestServices(database(), { dataDir, retention: POLICY, history: { answerCacheBytes: 0 } });
    await seederFor(database()).seed({ runs: 200, projects: 1, workflowsPerProject: 2, from: new Date(now - 60 * DAY), to: new Date(now - 40 * DAY), seed: 5 });
    const moved = await second.archive.archiveNow(ADMIN_PRINCIPAL, null, false);
    second.archiveStore?.close();
    expect(moved.total).toBeGreaterThan(0);
    for (const file of files) {
      const archive = new BetterSqlite3(path.join(dataDir, 'archive', file), { readonly: true });
      const columns = (archive.prepare(`SELECT name FROM pragma_table_info('Run')`).all() as { name: string }[]).map((row) => row.name);
      archive.close();
      expect(columns).toEqual(expect.arrayContaining(['parentRunId', 'parentStepName']));
    }
  });
});
