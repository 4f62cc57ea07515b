import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import BetterSqlite3 from 'better-sqlite3';
import os from 'node:os';
import path from 'node:path';
import type { Services } from '../../composition.ts';
import type { RetentionPolicy } from '../../domain/retention/retention-policy.ts';
import { ACTIVE_RUN_STATUSES } from '../../domain/status.ts';
import { archiveCensus } from '../../test/archive-census.ts';
import { composeTestServices } from '../../test/compose.ts';
import { ManualClock } from '../../test/manual-clock.ts';
import { useMigratedDatabase } from '../../test/database-suite.ts';
import { ADMIN_PRINCIPAL } from '../../test/principals.ts';
import { seederFor } from '../../test/seeder.ts';

const DAY = 24 * 60 * 60 * 1000;
const POLICY: RetentionPolicy = { hotDays: 20, archiveDays: null, keepLastRuns: 3, keepFailedForDays: 30 };

describe('archival into SQLite archive files', () => {
  const database = useMigratedDatabase('sqlite');
  const now = Date.now();
  let dataDir: string;
  let liveFile: string;
  let services: Services;

  const rollups = async () => {
    const db = database().db;
    return {
      hours: await db.statusBucket.findMany({ orderBy: [{ workflowId: 'asc' }, { hour: 'asc' }, { status: 'asc' }, { trigger: 'asc' }] }),
      projectHours: await db.statusProjectBucket.findMany({ orderBy: [{ projectId: 'asc' }, { hour: 'asc' }, { status: 'asc' }] }),
      days: await db.statusDayBucket.findMany({ orderBy: [{ workflowId: 'asc' }, { day: 'asc' }, { status: 'asc' }, { trigger: 'asc' }] }),
    };
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-archive-'));
    const writer = database().writer;
    if (writer.provider !== 'sqlite') throw new Error('archive files are SQLite’s');
    liveFile = writer.database.name;
    services = composeTestServices(database(), { dataDir, retention: POLICY, history: { answerCacheBytes: 0 } });
    await seederFor(database()).seed({ runs: 1_500, projects: 2, workflowsPerProject: 3, from: new Date(now - 75 * DAY), to: new Date(now), seed: 3 });
    // Step logs of old runs, which move with their steps.
    await database().db.$executeRawUnsafe(`
      INSERT INTO "StepLogChunk" ("stepRunId", "offset", bytes)
      SELECT s.id, 0, CAST('line of output' AS BLOB) FROM "StepRun" s JOIN "Run" r ON r.id = s."runId"
      WHERE r."createdAt" < ${now - 40 * DAY} AND s.position = 0 LIMIT 200`);
  });

  afterAll(() => {
    services.archiveStore?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('moves exactly what the dry run counts, each run to one place with its steps, logs and events, and leaves the rollups as they were', async () => {
    const before = archiveCensus(liveFile, dataDir);
    const rollupsBefore = await rollups();
    const dryRun = await services.archive.archiveNow(ADMIN_PRINCIPAL, null, true);

    const moved = await services.archive.archiveNow(ADMIN_PRINCIPAL, null, false);

    const after = archiveCensus(liveFile, dataDir);
    const catalog = await services.repositories.archiveCatalog.listAll();
    expect(dryRun.total).toBeGreaterThan(500);
    expect({ total: moved.total, projects: moved.projects }).toEqual({ total: dryRun.total, projects: dryRun.projects });
    expect(after.twice).toEqual([]);
    expect(after.uncommitted).toBe(0);
    expect(after.archived.size).toBe(moved.total);
    expect(new Set([...after.live, ...after.archived.keys()])).toEqual(before.live);
    expect(after.rows).toEqual(before.rows);
    expect(before.rows.logChunks).toBe(200);
    expect(catalog.map((period) => period.state)).toEqual(catalog.map(() => 'ARCHIVED'));
    expect(catalog.reduce((sum, period) => sum + period.runs, 0)).toBe(moved.total);
    expect(catalog.every((period) => period.bytes > 0 && period.committedBatch > 0)).toBe(true);
    expect(readdirSync(path.join(dataDir, 'archive')).filter((file) => file.endsWith('.db')).sort()).toEqual(catalog.map((period) => period.location).sort());
    expect(await rollups()).toEqual(rollupsBefore);
  });

  it('files each archived run in the period of its createdAt, and counts it in the archived rollups', async () => {
    const census = archiveCensus(liveFile, dataDir);
    const catalog = new Map((await services.repositories.archiveCatalog.listAll()).map((period) => [period.id, period]));
    const archivedCount = await database().db.archivedStatusBucket.aggregate({ _sum: { count: true } });
    const archivedDays = await database().db.archivedStatusDayBucket.aggregate({ _sum: { count: true } });
    expect(archivedCount._sum.count).toBe(census.archived.size);
    expect(archivedDays._sum.count).toBe(census.archived.size);
    for (const [id, archiveId] of census.archived) {
      const period = catalog.get(archiveId);
      const at = Number.parseInt(id.slice(4, 13), 32);
      expect(period && period.periodStart.getTime() <= at && at < period.periodEnd.getTime()).toBe(true);
    }
  });

  it('keeps active runs, each workflow’s latest runs and recent failures in the live store', async () => {
    const live = await database().db.run.findMany({ select: { id: true, workflowId: true, status: true, createdAt: true } });
    const census = archiveCensus(liveFile, dataDir);
    const workflows = [...new Set(live.map((run) => run.workflowId))];

    for (const workflowId of workflows) {
      const ofWorkflow = live.filter((run) => run.workflowId === workflowId);
      expect(ofWorkflow.length).toBeGreaterThanOrEqual(POLICY.keepLastRuns);
    }
    const archivedActive = await database().db.archivedStatusBucket.count({ where: { status: { in: [...ACTIVE_RUN_STATUSES] } } });
    expect(archivedActive).toBe(0);
    expect(live.filter((run) => run.status === 'FAILED' && run.createdAt.getTime() > now - 25 * DAY).length).toBeGreaterThan(0);
    expect([...census.archived.keys()].every((id) => Number.parseInt(id.slice(4, 13), 32) < now - POLICY.hotDays * DAY)).toBe(true);
  });

  it('moves nothing more when asked again at once', async () => {
    const before = archiveCensus(liveFile, dataDir);

    const again = await services.archive.archiveNow(ADMIN_PRINCIPAL, null, false);

    expect(again.total).toBe(0);
    expect(archiveCensus(liveFile, dataDir).archived).toEqual(before.archived);
  });

  it('gives the pages archival freed back to the file system a step at a time (a new database is INCREMENTAL)', async () => {
    const mover = services.archiveMover;
    const writer = database().writer;
    if (!mover || writer.provider !== 'sqlite') throw new Error('SQLite has an archive mover');
    const pragma = (name: string) => writer.database.pragma(name, { simple: true }) as number;
    writer.database.pragma('wal_checkpoint(TRUNCATE)');
    const free = pragma('freelist_count');
    const size = statSync(liveFile).size;

    const steps: number[] = [];
    for (let pages = await mover.reclaimStep(); pages > 0; pages = await mover.reclaimStep()) steps.push(pages);
    writer.database.pragma('wal_checkpoint(TRUNCATE)');

    expect(pragma('auto_vacuum')).toBe(2);
    expect(free).toBeGreaterThan(256);
    expect(steps.length).toBeGreaterThan(1);
    expect(Math.max(...steps)).toBeLessThanOrEqual(256);
    expect(steps.reduce((sum, pages) => sum + pages, 0)).toBe(free);
    expect(pragma('freelist_count')).toBe(0);
    expect(size - statSync(liveFile).size).toBeGreaterThanOrEqual(free * pragma('page_size'));
  });

  it('drops the periods past archiveDays, each exported first as its gzipped file, their runs gone from every count, and a file no period names', async () => {
    const before = archiveCensus(liveFile, dataDir);
    const catalog = await services.repositories.archiveCatalog.listAll();
    const every = async (target: Services) => (await target.history.statusCounts(ADMIN_PRINCIPAL, { includeArchived: true }, null)).total;
    const totalBefore = await every(services);
    const directory = path.join(dataDir, 'archive');
    // A file an expiry that crashed after its commit would leave: no period names it.
    writeFileSync(path.join(directory, 'left-behind.000.db'), 'left behind');
    utimesSync(path.join(directory, 'left-behind.000.db'), new Date(now - DAY), new Date(now - DAY));
    const later = composeTestServices(database(), { dataDir, clock: new ManualClock(new Date(now + 2 * DAY)), history: { answerCacheBytes: 0 } });
    // Nothing more leaves the live store two days later: only the expiry acts.
    await later.retention.set(ADMIN_PRINCIPAL, { hotDays: 100, keepLastRuns: 3, keepFailedForDays: 30, archiveDays: 1 });

    await later.archive.archiveNow(ADMIN_PRINCIPAL, null, false);

    const after = archiveCensus(liveFile, dataDir);
    const exported = readdirSync(directory).filter((file) => file.endsWith('.db.gz'));
    const exportedRuns = exported.reduce((sum, file) => {
      const unzipped = path.join(dataDir, `${file}.unzipped`);
      writeFileSync(unzipped, gunzipSync(readFileSync(path.join(directory, file))));
      const archive = new BetterSqlite3(unzipped, { readonly: true });
      try {
        return sum + (archive.prepare('SELECT COUNT(*) AS n FROM "Run"').get() as { n: number }).n;
      } finally {
        archive.close();
      }
    }, 0);
    const liveRollup = await database().db.statusBucket.aggregate({ _sum: { count: true } });
    later.archiveStore?.close();
    expect(before.archived.size).toBeGreaterThan(500);
    expect(await later.repositories.archiveCatalog.listAll()).toEqual([]);
    expect(readdirSync(directory).filter((file) => file.endsWith('.db'))).toEqual([]);
    expect(exported.sort()).toEqual(catalog.map((period) => `${period.location}.gz`).sort());
    expect(exportedRuns).toBe(before.archived.size);
    expect(after.live).toEqual(before.live);
    expect(after.archived.size).toBe(0);
    expect(await every(later)).toBe(totalBefore - before.archived.size);
    expect(liveRollup._sum.count).toBe(before.live.size);
    expect(await database().db.statusProjectBucket.aggregate({ _sum: { count: true } })).toEqual({ _sum: { count: before.live.size } });
    expect(await database().db.archivedStatusBucket.count()).toBe(0);
    expect(await database().db.archivedStatusDayBucket.count()).toBe(0);
  });
});
