import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Services } from '../../composition.ts';
import type { RetentionPolicy } from '../../domain/retention/retention-policy.ts';
import { composeTestServices } from '../../test/compose.ts';
import { useMigratedDatabase } from '../../test/database-suite.ts';
import { createProjectWithWorkflow } from '../../test/factories.ts';
import { bruteForce, countsOf, DAY, loadHistory, pageThrough, randomQuestion, randomSource, type KnownRun, type Question, type Random } from '../../test/history-oracle.ts';
import { ManualClock } from '../../test/manual-clock.ts';
import { postgresArchiveCensus } from '../../test/postgres-archive-census.ts';
import { ADMIN_PRINCIPAL } from '../../test/principals.ts';
import { seederFor } from '../../test/seeder.ts';
import { archivalChecksum } from '../../test/archived-checksum.ts';

const SEEDED_DAYS = 60;
const RANDOM_FILTERS = 16;
const POLICY: RetentionPolicy = { hotDays: 35, archiveDays: null, keepLastRuns: 3, keepFailedForDays: 45 };

function ask(random: Random, runs: readonly KnownRun[], oldest: bigint, head: bigint, now: number): Question {
  return randomQuestion(random, runs, { now, seededDays: SEEDED_DAYS, createdBeforeSpanMs: 30 * DAY, oldest, head, askArchived: true });
}

describe('archival on PostgreSQL: periods detached into the schema archive', () => {
  const database = useMigratedDatabase('postgresql');
  const now = Date.now();
  let services: Services;
  let runs: KnownRun[];
  let head: bigint;
  let oldest: bigint;
  let archivedIds: Set<string>;
  let checksumBefore: string;
  let rowsBefore: Awaited<ReturnType<typeof postgresArchiveCensus>>['rows'];
  let activeOld: { id: string };
  let rollupsBefore: unknown;

  const rollups = async () => {
    const db = database().db;
    return {
      hours: await db.statusBucket.findMany({ orderBy: [{ workflowId: 'asc' }, { hour: 'asc' }, { status: 'asc' }, { trigger: 'asc' }] }),
      days: await db.statusDayBucket.findMany({ orderBy: [{ workflowId: 'asc' }, { day: 'asc' }, { status: 'asc' }, { trigger: 'asc' }] }),
    };
  };

  beforeAll(async () => {
    // Weekly periods: the first round detaches the weeks past `hot`, the second more of them, and
    // copies into those archived already the failures whose keepFailedForDays ran out meanwhile.
    services = composeTestServices(database(), { retention: POLICY, archive: { interval: 'week' }, history: { snapshotHorizonMs: 90 * DAY, answerCacheBytes: 0 } });
    await seederFor(database()).seed({ runs: 900, projects: 3, workflowsPerProject: 3, from: new Date(now - SEEDED_DAYS * DAY), to: new Date(now), seed: 11 });
    // Step logs of old runs, which go with their steps.
    await database().db.$executeRawUnsafe(`
      INSERT INTO "StepLogChunk" ("stepRunId", "offset", bytes)
      SELECT s.id, 0, convert_to('line of output', 'UTF8') FROM "StepRun" s JOIN "Run" r ON r.id = s."runId"
      WHERE r."createdAt" < $1 AND s.position = 0 LIMIT 200`, new Date(now - 40 * DAY));
    // An active run of an old period: it stays live while its period is archived, and goes on.
    const clock = new ManualClock(new Date(now - 50 * DAY));
    const old = composeTestServices(database(), { clock, archive: { interval: 'week' } });
    const { project, workflow } = await createProjectWithWorkflow(old);
    activeOld = await old.recorder.createRun({ projectId: project.id, workflowId: workflow.id, trigger: 'MANUAL', steps: ['build'] });
    runs = await loadHistory(database().db);
    head = await services.history.headSnapshot();
    checksumBefore = await archivalChecksum(services, runs, head, now, SEEDED_DAYS);
    rollupsBefore = await rollups();
    rowsBefore = (await postgresArchiveCensus(database().db)).rows;
    const dryRun = await services.archive.archiveNow(ADMIN_PRINCIPAL, null, true);
    const moved = await services.archive.archiveNow(ADMIN_PRINCIPAL, null, false);
    expect({ total: moved.total, projects: moved.projects }).toEqual({ total: dryRun.total, projects: dryRun.projects });
    archivedIds = new Set((await postgresArchiveCensus(database().db)).archived.keys());
    oldest = (await database().db.archivePeriod.aggregate({ _max: { maxSeq: true } }))._max.maxSeq ?? 0n;
  });

  it('detaches the periods past `hot`, keeping their kept-hot runs live, each run in one place with its steps, logs and events', async () => {
    const census = await postgresArchiveCensus(database().db);
    const catalog = await services.repositories.archiveCatalog.listAll();
    const archivedCreated = runs.filter((run) => archivedIds.has(run.id)).map((run) => run.createdAt);
    const liveInArchivedRange = runs.filter((run) => !archivedIds.has(run.id) && run.createdAt <= Math.max(...archivedCreated));

    expect(census.twice).toEqual([]);
    expect(census.copiedLater).toBe(0);
    expect(archivedIds.size).toBeGreaterThan(200);
    expect(new Set([...census.live, ...census.archived.keys()])).toEqual(new Set(runs.map((run) => run.id)));
    expect(census.rows).toEqual(rowsBefore);
    expect(rowsBefore.logChunks).toBe(200);
    expect(liveInArchivedRange.length).toBeGreaterThan(5);
    expect(catalog.map((period) => period.state)).toEqual(catalog.map(() => 'ARCHIVED'));
    expect(catalog.reduce((sum, period) => sum + period.runs, 0)).toBe(archivedIds.size);
    expect(catalog.every((period) => period.bytes > 0 && census.tables.includes(`Run_${period.location}`))).toBe(true);
    expect(await rollups()).toEqual(rollupsBefore);
    const archivedSum = await database().db.archivedStatusBucket.aggregate({ _sum: { count: true } });
    expect(archivedSum._sum.count).toBe(archivedIds.size);
  });

  it('answers counts and trends over random ranges and filters exactly as before archival', async () => {
    expect(await archivalChecksum(services, runs, head, now, SEEDED_DAYS)).toBe(checksumBefore);
  });

  it.each(Array.from({ length: RANDOM_FILTERS }, (_, index) => index))('answers random filter #%i exactly over both stores, or the live one alone, on every page', async (index) => {
    const random = randomSource(2_000 + index);
    const question = ask(random, runs, oldest, head, now);
    const everyRun = bruteForce(runs, question);
    const expected = question.filter.includeArchived ? everyRun : everyRun.filter((row) => !archivedIds.has(row.id));
    const pageSize = random.int(2, 40);

    const forward = await pageThrough(services, question, pageSize, 'forward');
    const backward = await pageThrough(services, question, pageSize, 'backward');
    const pageCounts = await forward.pages[0]?.counts();
    const archived = await forward.pages[0]?.countArchived();
    const counts = await services.history.statusCounts(question.principal, question.filter, question.snapshot.toString());

    expect({ filter: question.filter, ids: forward.ids }).toEqual({ filter: question.filter, ids: expected.map((row) => row.id) });
    expect(backward.ids).toEqual(forward.ids);
    expect(forward.pages.flatMap((page) => page.edges.map((edge) => edge.node.archived))).toEqual(expected.map((row) => archivedIds.has(row.id)));
    expect({ total: pageCounts?.total, byStatus: pageCounts?.byStatus }).toEqual(countsOf(expected, question.filter));
    expect(archived).toBe(everyRun.filter((row) => archivedIds.has(row.id)).length);
    expect({ total: counts.total, byStatus: counts.byStatus }).toEqual(countsOf(everyRun, question.filter));
  });

  it('finds an archived run by id, read-only, with its steps, events and log', async () => {
    const [id] = [...archivedIds];
    if (!id) throw new Error('nothing archived');
    const run = await services.runQueries.findRun(ADMIN_PRINCIPAL, id);
    const steps = await services.relations.stepRunsOfRuns([{ id, archived: true }]);
    const events = await services.relations.eventsOfRuns([{ id, archived: true }]);
    const live = await database().db.run.findUnique({ where: { id } });

    expect(run?.archived).toBe(true);
    expect(live).toBeNull();
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.every((step) => step.runId === id)).toBe(true);
    expect(events.filter((event) => event.kind === 'RUN').map((event) => event.to).at(-1)).toBe(run?.status);
    await expect(services.control.cancelRun(ADMIN_PRINCIPAL, id)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('keeps an active run of the archived period live, and it goes on getting events', async () => {
    expect(archivedIds.has(activeOld.id)).toBe(false);
    await services.recorder.recordTransition({ runId: activeOld.id, to: 'RUNNING' });
    await services.recorder.recordTransition({ runId: activeOld.id, to: 'SUCCEEDED' });

    const run = await services.runQueries.findRun(ADMIN_PRINCIPAL, activeOld.id);
    const events = await database().db.runEvent.findMany({ where: { runId: activeOld.id, kind: 'RUN' }, orderBy: { seq: 'asc' } });
    expect(run?.archived).toBe(false);
    expect(events.map((event) => event.to)).toEqual(['QUEUED', 'RUNNING', 'SUCCEEDED']);
    // The history changed: the next checks start from it.
    const refreshed = (await loadHistory(database().db)).find((known) => known.id === activeOld.id);
    runs = runs.map((known) => (known.id === activeOld.id && refreshed ? refreshed : known));
    head = await services.history.headSnapshot();
    checksumBefore = await archivalChecksum(services, runs, head, now, SEEDED_DAYS);
  });

  it('pages through both stores with no run twice and none missing while more runs are archived between pages', async () => {
    const question: Question = { principal: ADMIN_PRINCIPAL, filter: { includeArchived: true, statuses: ['SUCCEEDED', 'FAILED', 'ABORTED'] }, snapshot: head, firstAtHead: false };
    const expected = bruteForce(runs, question).map((row) => row.id);
    let moves = 0;
    const moreArchived = async () => {
      if (moves > 0) return;
      moves += 1;
      await services.retention.set(ADMIN_PRINCIPAL, { hotDays: 15, keepLastRuns: 3, keepFailedForDays: 15 });
      await services.archive.archiveNow(ADMIN_PRINCIPAL, null, false);
    };

    const paged = await pageThrough(services, question, 37, 'forward', moreArchived);

    const census = await postgresArchiveCensus(database().db);
    expect(moves).toBe(1);
    expect(census.twice).toEqual([]);
    expect(census.archived.size).toBeGreaterThan(archivedIds.size);
    expect(census.copiedLater).toBeGreaterThan(0);
    expect(paged.ids).toEqual(expected);
    expect(await archivalChecksum(services, runs, head, now, SEEDED_DAYS)).toBe(checksumBefore);
  });

  it('restores every period: its partitions re-attached with the live rows of the same range merged in, counts as before', async () => {
    const before = await postgresArchiveCensus(database().db);

    for (const period of await services.repositories.archiveCatalog.listAll()) await services.archives.restore(ADMIN_PRINCIPAL, period.id);

    const after = await postgresArchiveCensus(database().db);
    const catalog = await services.repositories.archiveCatalog.listAll();
    expect(catalog.map((period) => period.state)).toEqual(catalog.map(() => 'RESTORED'));
    expect(after.archived.size).toBe(0);
    expect(after.tables).toEqual([]);
    expect(after.live).toEqual(new Set([...before.live, ...before.archived.keys()]));
    expect(after.rows).toEqual(before.rows);
    expect(await database().db.archivedStatusBucket.count()).toBe(0);
    expect(await database().db.archivedStatusDayBucket.count()).toBe(0);
    expect(await database().db.archivePeriodProject.count()).toBe(0);
    const partitions = await database().db.$queryRawUnsafe<{ name: string }[]>(
      `SELECT c.relname::text AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '"Run"'::regclass ORDER BY 1`,
    );
    expect(partitions.length).toBeGreaterThan(2);
    expect(await archivalChecksum(services, runs, head, now, SEEDED_DAYS)).toBe(checksumBefore);
  });

  it('drops the periods past archiveDays, each exported first, their runs gone from every count', async () => {
    await services.retention.set(ADMIN_PRINCIPAL, { hotDays: 15, keepLastRuns: 3, keepFailedForDays: 15, archiveDays: 1 });
    await services.archive.archiveNow(ADMIN_PRINCIPAL, null, false);
    // Nothing more leaves the live store two days later: only the expiry acts.
    await services.retention.set(ADMIN_PRINCIPAL, { hotDays: 100, keepLastRuns: 3, keepFailedForDays: 15, archiveDays: 1 });
    const before = await postgresArchiveCensus(database().db);
    const catalog = await services.repositories.archiveCatalog.listAll();
    const every = async (target: Services) => (await target.history.statusCounts(ADMIN_PRINCIPAL, { includeArchived: true }, null)).total;
    const totalBefore = await every(services);
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-pg-expire-'));
    const later = composeTestServices(database(), { dataDir, clock: new ManualClock(new Date(now + 2 * DAY)), archive: { interval: 'week' }, history: { snapshotHorizonMs: 90 * DAY, answerCacheBytes: 0 } });

    await later.archive.archiveNow(ADMIN_PRINCIPAL, null, false);

    const after = await postgresArchiveCensus(database().db);
    const exported = readdirSync(path.join(dataDir, 'archive')).filter((file) => file.endsWith('.tsv.gz'));
    const exportedRuns = exported.filter((file) => file.startsWith('Run_')).reduce((sum, file) => sum + gunzipSync(readFileSync(path.join(dataDir, 'archive', file))).toString('utf8').split('\n').filter(Boolean).length, 0);
    const liveRollup = await database().db.statusBucket.aggregate({ _sum: { count: true } });
    expect(before.archived.size).toBeGreaterThan(200);
    expect(catalog.every((period) => period.state === 'ARCHIVED')).toBe(true);
    expect(await services.repositories.archiveCatalog.listAll()).toEqual([]);
    expect(after.tables).toEqual([]);
    expect(after.live).toEqual(before.live);
    expect(exported.length).toBe(4 * catalog.length);
    expect(exportedRuns).toBe(before.archived.size);
    expect(await every(later)).toBe(totalBefore - before.archived.size);
    expect(liveRollup._sum.count).toBe(before.live.size);
    expect(await database().db.archivedStatusBucket.count()).toBe(0);
    expect(await database().db.archivedStatusDayBucket.count()).toBe(0);
    rmSync(dataDir, { recursive: true, force: true });
  });
});
