import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { openDatabase } from '../db/client.ts';
import type { RetentionPolicy } from '../domain/retention/retention-policy.ts';
import { composeTestServices } from '../test/compose.ts';

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'runtrail');
const RETENTION: RetentionPolicy = { hotDays: 7, archiveDays: null, keepLastRuns: 3, keepFailedForDays: 14 };

describe('runtrail archive', () => {
  let dataDir: string;
  const runtrail = (args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], {
      cwd: root,
      encoding: 'utf8',
      env: {
        NODE_ENV: 'production',
        PATH: process.env.PATH ?? '',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        LOAD_EXAMPLES: 'false',
        RETENTION_HOT_DAYS: String(RETENTION.hotDays),
        RETENTION_KEEP_LAST_RUNS: String(RETENTION.keepLastRuns),
        RETENTION_KEEP_FAILED_FOR_DAYS: String(RETENTION.keepFailedForDays),
      },
      timeout: 120_000,
    });

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-archive-cli-'));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('--dry-run prints, per project and status, exactly what archival would move at the cut-off it names, and moves nothing', async () => {
    const seeded = runtrail(['seed', '--runs', '600', '--projects', '2', '--workflows', '2', '--days', '40']);

    const dryRun = runtrail(['archive', '--dry-run']);
    const again = runtrail(['archive', '--dry-run', '--project', 'seed-2']);

    expect(seeded.status).toBe(0);
    expect(dryRun.stderr).toBe('');
    expect(dryRun.status).toBe(0);
    const [head = '', header = '', ...rest] = dryRun.stdout.trim().split('\n');
    const cutoff = new Date(/cut-off (\S+):/.exec(head)?.[1] ?? '');
    const database = await openDatabase({ provider: 'sqlite', url: `file:${path.join(dataDir, 'runtrail.db')}` }, pino({ level: 'silent' }));
    try {
      const services = composeTestServices(database, { retention: RETENTION });
      const counts = await services.archiveSelection.count(null, cutoff);
      const slugs = new Map((await services.repositories.projects.listAll()).map((project) => [project.id, project.slug]));
      const total = counts.reduce((sum, count) => sum + count.count, 0);
      const cell = (slug: string, status: string) => counts.filter((count) => slugs.get(count.projectId) === slug && count.status === status).reduce((sum, count) => sum + count.count, 0);
      const statuses = header.trim().split(/\s+/).slice(1, -1);
      const expectedRows = ['seed-1', 'seed-2'].map((slug) => [slug, ...statuses.map((status) => cell(slug, status).toLocaleString('en-US'))]);

      expect(total).toBeGreaterThan(100);
      expect(head).toBe(`Archive dry run at cut-off ${cutoff.toISOString()}: ${total.toLocaleString('en-US')} runs would move`);
      expect(statuses).toEqual(['SUCCEEDED', 'PARTIALLY_SUCCEEDED', 'FAILED', 'ABORTED', 'REJECTED']);
      expect(rest.slice(0, 2).map((line) => line.trim().split(/\s+/).slice(0, -1))).toEqual(expectedRows);
      expect(rest.slice(2)).toEqual([expect.stringMatching(new RegExp(`^total\\s.*\\s${total.toLocaleString('en-US')}$`)), 'Nothing was moved.']);
      expect(again.stdout).toMatch(/\nseed-2 /);
      expect(again.stdout).not.toMatch(/\nseed-1 /);
      expect((await services.archiveSelection.count(null, cutoff)).reduce((sum, count) => sum + count.count, 0)).toBe(total);
    } finally {
      await database.close();
    }
  });

  it('--now moves what the policies send to the archive and prints it as the dry run does, and asks for one of --dry-run and --now', async () => {
    const now = runtrail(['archive', '--now']);
    const again = runtrail(['archive', '--now']);
    const neither = runtrail(['archive']);

    expect(now.stderr).toBe('');
    expect(now.status).toBe(0);
    const moved = Number((/: ([\d,]+) runs? moved$/m.exec(now.stdout)?.[1] ?? '').replace(/,/g, ''));
    const database = await openDatabase({ provider: 'sqlite', url: `file:${path.join(dataDir, 'runtrail.db')}` }, pino({ level: 'silent' }));
    try {
      const archived = await database.db.archivePeriod.aggregate({ _sum: { runs: true } });
      expect(moved).toBeGreaterThan(100);
      expect(archived._sum.runs).toBe(moved);
    } finally {
      await database.close();
    }
    expect(now.stdout).toMatch(/\ntotal\s/);
    expect(now.stdout).not.toContain('Nothing was moved.');
    expect(again.stdout.trim()).toMatch(/: 0 runs moved$/);
    expect(neither.status).toBe(2);
    expect(neither.stderr).toContain('give --dry-run (show what would move) or --now (move it), one of them');
  });

  it('list shows each archived period, and restore moves one back into the live store', async () => {
    const listed = runtrail(['archive', 'list']);
    const [header = '', first = ''] = listed.stdout.trim().split('\n');
    const id = first.split(/\s+/)[0] ?? '';
    const database = await openDatabase({ provider: 'sqlite', url: `file:${path.join(dataDir, 'runtrail.db')}` }, pino({ level: 'silent' }));
    let archivedRuns = 0;
    try {
      archivedRuns = (await database.db.archivePeriod.findUniqueOrThrow({ where: { id } })).runs;
    } finally {
      await database.close();
    }

    const restored = runtrail(['archive', 'restore', id]);
    const after = runtrail(['archive', 'list', '--project', 'seed-1']);
    const unknown = runtrail(['archive', 'restore', 'arc_1999-01']);

    expect(listed.status).toBe(0);
    expect(header.split(/\s+/)).toEqual(['id', 'period', 'state', 'runs', 'events', 'size']);
    expect(first).toMatch(new RegExp(`^${id.replace('.', '\\.')}\\s+\\S+ – \\S+\\s+ARCHIVED\\s+${archivedRuns.toLocaleString('en-US')}\\s`));
    expect(restored.stderr).toBe('');
    expect(restored.stdout).toMatch(new RegExp(`^Restored ${id} \\(`));
    expect(after.stdout).not.toContain(id);
    expect(after.stdout.trim().split('\n').slice(1).every((line) => / ARCHIVED .* -$/.test(line))).toBe(true);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('NOT_FOUND: There is no archive arc_1999-01');
  });
});
