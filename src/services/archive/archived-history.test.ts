import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Services } from '../../composition.ts';
import type { RetentionPolicy } from '../../domain/retention/retention-policy.ts';
import { archiveCensus } from '../../test/archive-census.ts';
import { composeTestServices } from '../../test/compose.ts';
import { useMigratedDatabase } from '../../test/database-suite.ts';
import { bruteForce, countsOf, DAY, HOUR, loadHistory, pageThrough, randomQuestion, randomSource, trendOf, type KnownRun, type Question, type Random } from '../../test/history-oracle.ts';
import { ADMIN_PRINCIPAL } from '../../test/principals.ts';
import { seederFor } from '../../test/seeder.ts';
import { archivalChecksum } from '../../test/archived-checksum.ts';

const SEEDED_DAYS = 60;
const RANDOM_FILTERS = 40;
const FIRST_POLICY: RetentionPolicy = { hotDays: 35, archiveDays: null, keepLastRuns: 3, keepFailedForDays: 45 };

/** Random questions over the whole seeded range, some of them about archived runs too; snapshots from `oldest` on. */
function ask(random: Random, runs: readonly KnownRun[], oldest: bigint, head: bigint, now: number): Question {
  return randomQuestion(random, runs, { now, seededDays: SEEDED_DAYS, createdBeforeSpanMs: 30 * DAY, oldest, head, askArchived: true });
}

describe('history with part of it archived (SQLite)', () => {
  const database = useMigratedDatabase('sqlite');
  const now = Date.now();
  let dataDir: string;
  let liveFile: string;
  let services: Services;
  let runs: KnownRun[];
  let head: bigint;
  let archivedIds: Set<string>;
  let oldest: bigint;
  let checksumBefore: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-archived-history-'));
    const writer = database().writer;
    if (writer.provider !== 'sqlite') throw new Error('archive files are SQLite’s');
    liveFile = writer.database.name;
    // Seeded events are up to 60 days old: a horizon of 90 days keeps every snapshot usable.
    services = composeTestServices(database(), { dataDir, retention: FIRST_POLICY, history: { snapshotHorizonMs: 90 * DAY, answerCacheBytes: 0 } });
    await seederFor(database()).seed({ runs: 900, projects: 3, workflowsPerProject: 3, from: new Date(now - SEEDED_DAYS * DAY), to: new Date(now), seed: 11 });
    runs = await loadHistory(database().db);
    head = await services.history.headSnapshot();
    checksumBefore = await archivalChecksum(services, runs, head, now, SEEDED_DAYS);
    await services.archive.archiveNow(ADMIN_PRINCIPAL, null, false);
    archivedIds = new Set(archiveCensus(liveFile, dataDir).archived.keys());
    // Snapshots from before the newest archived event are refused: answers start there.
    oldest = (await database().db.archivePeriod.aggregate({ _max: { maxSeq: true } }))._max.maxSeq ?? 0n;
  });

  afterAll(() => {
    services.archiveStore?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('archived part of the history, leaving runs of the archived periods that must stay hot', () => {
    const archivedCreated = runs.filter((run) => archivedIds.has(run.id)).map((run) => run.createdAt);
    const liveInArchivedRange = runs.filter((run) => !archivedIds.has(run.id) && run.createdAt <= Math.max(...archivedCreated));

    expect(archivedIds.size).toBeGreaterThan(200);
    expect(archivedIds.size).toBeLessThan(runs.length - 200);
    expect(liveInArchivedRange.length).toBeGreaterThan(5);
    expect(oldest).toBeLessThan(head);
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
    expect(forward.pages.flatMap((page) => page.edges.map((edge) => edge.node.status))).toEqual(expected.map((row) => row.status));
    expect(forward.pages.flatMap((page) => page.edges.map((edge) => edge.node.archived))).toEqual(expected.map((row) => archivedIds.has(row.id)));
    expect({ total: pageCounts?.total, byStatus: pageCounts?.byStatus }).toEqual(countsOf(expected, question.filter));
    expect(archived).toBe(everyRun.filter((row) => archivedIds.has(row.id)).length);
    expect({ total: counts.total, byStatus: counts.byStatus }).toEqual(countsOf(everyRun, question.filter));
  });

  it.each(['MINUTE', 'HOUR', 'DAY', 'WEEK'] as const)('draws %s trends over archived periods equal to the brute force', async (bucket) => {
    const random = randomSource(bucket.length * 7);
    for (let attempt = 0; attempt < 6; attempt += 1) {
      const question = ask(random, runs, oldest, head, now);
      const span = bucket === 'MINUTE' ? 3 * HOUR : SEEDED_DAYS * DAY;
      const from = now - random.int(bucket === 'MINUTE' ? 40 * DAY : HOUR, bucket === 'MINUTE' ? 40 * DAY + span : span);
      const to = from + random.int(HOUR, span);
      const trend = await services.history.statusTrend(question.principal, question.filter, { bucket, from: new Date(from), to: new Date(to) }, question.snapshot.toString());

      expect({ filter: question.filter, trend }).toEqual({ filter: question.filter, trend: trendOf(bruteForce(runs, question), bucket, from, to) });
    }
  });

  it('refuses a snapshot older than an archived event with SNAPSHOT_EXPIRED', async () => {
    await expect(services.history.runsPage(ADMIN_PRINCIPAL, { includeArchived: true }, { first: 5, snapshot: (oldest - 1n).toString() })).rejects.toMatchObject({ code: 'SNAPSHOT_EXPIRED' });
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

    expect(moves).toBe(1);
    expect(archiveCensus(liveFile, dataDir).archived.size).toBeGreaterThan(archivedIds.size);
    expect(paged.ids).toEqual(expected);
  });
});
