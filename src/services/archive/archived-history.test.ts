import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Principal } from '../../auth/principal.ts';
import type { Services } from '../../composition.ts';
import type { Db } from '../../db/client.ts';
import type { RunFilterSpec } from '../../domain/run-filter.ts';
import type { RetentionPolicy } from '../../domain/retention/retention-policy.ts';
import { RUN_STATUSES, isRunStatus, type RunStatus } from '../../domain/status.ts';
import { bucketMs, bucketStart, type TimeBucket } from '../../domain/time-buckets.ts';
import { RUN_TRIGGERS } from '../../domain/vocabulary.ts';
import { archiveCensus } from '../../test/archive-census.ts';
import { composeTestServices } from '../../test/compose.ts';
import { useMigratedDatabase } from '../../test/database-suite.ts';
import { ADMIN_PRINCIPAL, memberPrincipal } from '../../test/principals.ts';
import { seederFor } from '../../test/seeder.ts';
import type { RunPageData } from '../history/run-page.service.ts';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const SEEDED_DAYS = 60;
const RANDOM_FILTERS = 40;
const FIRST_POLICY: RetentionPolicy = { hotDays: 35, archiveDays: null, keepLastRuns: 3, keepFailedForDays: 45 };

/** A run as the brute force sees it: fixed fields, every status change with its seq, and whether it was archived. */
interface KnownRun {
  id: string;
  projectId: string;
  workflowId: string;
  workflowName: string;
  trigger: string;
  createdAt: number;
  changes: [bigint, RunStatus][];
}

interface Question {
  principal: Principal;
  filter: RunFilterSpec;
  snapshot: bigint;
  firstAtHead: boolean;
}

async function loadHistory(db: Db): Promise<KnownRun[]> {
  const workflows = new Map((await db.workflow.findMany({ select: { id: true, name: true } })).map((workflow) => [workflow.id, workflow.name]));
  const events = await db.runEvent.findMany({ where: { kind: 'RUN' }, orderBy: { seq: 'asc' }, select: { runId: true, seq: true, to: true } });
  const changes = new Map<string, [bigint, RunStatus][]>();
  for (const event of events) {
    if (!isRunStatus(event.to)) throw new Error(`RUN event with status ${event.to}`);
    changes.set(event.runId, [...(changes.get(event.runId) ?? []), [event.seq, event.to]]);
  }
  return (await db.run.findMany()).map((run) => ({
    id: run.id,
    projectId: run.projectId,
    workflowId: run.workflowId,
    workflowName: workflows.get(run.workflowId) ?? '',
    trigger: run.trigger,
    createdAt: run.createdAt.getTime(),
    changes: changes.get(run.id) ?? [],
  }));
}

function statusAt(run: KnownRun, snapshot: bigint): RunStatus | null {
  let status: RunStatus | null = null;
  for (const [seq, to] of run.changes) if (seq <= snapshot) status = to;
  return status;
}

/** The filter's semantics written out naively over `runs`. */
function bruteForce(runs: readonly KnownRun[], { principal, filter, snapshot }: Question): { id: string; status: RunStatus; createdAt: number }[] {
  const needle = filter.search?.trim().toLowerCase() ?? '';
  return runs
    .flatMap((run) => {
      const status = statusAt(run, snapshot);
      if (status === null) return [];
      if (!principal.isAdmin && !principal.roles.has(run.projectId)) return [];
      if (filter.projectIds?.length && !filter.projectIds.includes(run.projectId)) return [];
      if (filter.workflowIds?.length && !filter.workflowIds.includes(run.workflowId)) return [];
      if (filter.statuses?.length && !filter.statuses.includes(status)) return [];
      if (filter.triggers?.length && !(filter.triggers as readonly string[]).includes(run.trigger)) return [];
      if (filter.createdAfter && run.createdAt < filter.createdAfter.getTime()) return [];
      if (filter.createdBefore && run.createdAt >= filter.createdBefore.getTime()) return [];
      if (needle !== '' && !run.workflowName.toLowerCase().includes(needle) && !(needle.startsWith('run_') && run.id.startsWith(needle))) return [];
      return [{ id: run.id, status, createdAt: run.createdAt }];
    })
    .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

function countsOf(rows: readonly { status: RunStatus }[], filter: RunFilterSpec): { total: number; byStatus: { status: RunStatus; count: number }[] } {
  const statuses = filter.statuses?.length ? RUN_STATUSES.filter((status) => filter.statuses?.includes(status)) : RUN_STATUSES;
  return { total: rows.length, byStatus: statuses.map((status) => ({ status, count: rows.filter((row) => row.status === status).length })) };
}

function randomSource(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
  const pick = <T,>(values: readonly T[]): T => {
    const value = values[Math.floor(next() * values.length)];
    if (value === undefined) throw new Error('pick from an empty list');
    return value;
  };
  return {
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    chance: (probability: number) => next() < probability,
    subset: <T,>(values: readonly T[], probability = 0.35) => values.filter(() => next() < probability),
    pick,
  };
}

type Random = ReturnType<typeof randomSource>;

/** A random filter over the whole seeded range; its snapshot is one archival leaves answerable (from `oldest` on). */
function randomQuestion(random: Random, runs: readonly KnownRun[], oldest: bigint, head: bigint, now: number): Question {
  const projectIds = [...new Set(runs.map((run) => run.projectId))].sort();
  const workflows = [...new Map(runs.map((run) => [run.workflowId, { id: run.workflowId, name: run.workflowName, projectId: run.projectId }])).values()];
  const member = random.chance(0.3) ? random.subset(projectIds, 0.6) : null;
  const principal: Principal = member ? memberPrincipal('usr_member', 'member', new Map(member.map((projectId) => [projectId, 'VIEWER']))) : ADMIN_PRINCIPAL;
  const readable = member ?? projectIds;
  const readableWorkflows = workflows.filter((workflow) => readable.includes(workflow.projectId));
  const filter: RunFilterSpec = { includeArchived: random.chance(0.6) };
  if (random.chance(0.6)) filter.statuses = random.subset(RUN_STATUSES, 0.3);
  if (random.chance(0.2) && readable.length > 0) filter.projectIds = [random.pick(readable)];
  if (random.chance(0.25) && readableWorkflows.length > 0) filter.workflowIds = random.subset(readableWorkflows, 0.3).map((workflow) => workflow.id);
  if (random.chance(0.3)) filter.triggers = random.subset(RUN_TRIGGERS, 0.5);
  if (random.chance(0.5)) filter.createdAfter = new Date(now - random.int(0, SEEDED_DAYS * DAY + HOUR));
  if (random.chance(0.4)) filter.createdBefore = new Date((filter.createdAfter?.getTime() ?? now - SEEDED_DAYS * DAY) + random.int(1, 30 * DAY));
  if (random.chance(0.1) && readableWorkflows.length > 0) {
    const name = random.pick(readableWorkflows).name;
    filter.search = name.slice(0, 4).toUpperCase();
  } else if (random.chance(0.1)) {
    filter.search = random.pick(runs).id.slice(0, random.int(7, 11));
  }
  const atHead = random.chance(0.5);
  return { principal, filter, snapshot: atHead ? head : oldest + BigInt(random.int(0, Number(head - oldest))), firstAtHead: atHead && random.chance(0.5) };
}

async function pageThrough(services: Services, question: Question, pageSize: number, direction: 'forward' | 'backward', between?: () => Promise<void>): Promise<{ pages: RunPageData[]; ids: string[] }> {
  const pages: RunPageData[] = [];
  let cursor: string | null = null;
  for (;;) {
    const snapshot = cursor === null && question.firstAtHead ? null : question.snapshot.toString();
    const page: RunPageData = await services.history.runsPage(
      question.principal,
      question.filter,
      direction === 'forward' ? { first: pageSize, after: cursor, snapshot } : { last: pageSize, before: cursor, snapshot },
    );
    pages.push(page);
    const more = direction === 'forward' ? page.pageInfo.hasNextPage : page.pageInfo.hasPreviousPage;
    cursor = direction === 'forward' ? page.pageInfo.endCursor : page.pageInfo.startCursor;
    if (!more || cursor === null) break;
    if (pages.length > 1_000) throw new Error('paging does not end');
    await between?.();
  }
  const ordered = direction === 'forward' ? pages : [...pages].reverse();
  return { pages, ids: ordered.flatMap((page) => page.edges.map((edge) => edge.node.id)) };
}

function trendOf(rows: readonly { status: RunStatus; createdAt: number }[], bucket: TimeBucket, from: number, to: number) {
  const points = new Map<number, Map<RunStatus, number>>();
  for (let start = bucketStart(from, bucket); start < to; start += bucketMs(bucket)) points.set(start, new Map());
  for (const row of rows) {
    if (row.createdAt < from || row.createdAt >= to) continue;
    const point = points.get(bucketStart(row.createdAt, bucket));
    point?.set(row.status, (point.get(row.status) ?? 0) + 1);
  }
  return [...points].map(([start, counts]) => ({ start: new Date(start), counts: RUN_STATUSES.flatMap((status) => (counts.get(status) ? [{ status, count: counts.get(status) ?? 0 }] : [])) }));
}

/** Counts and trends over random ranges and filters, at the head: what archival must leave as it was. */
async function checksum(services: Services, runs: readonly KnownRun[], head: bigint, now: number): Promise<string> {
  const random = randomSource(99);
  const answers: unknown[] = [];
  for (let index = 0; index < 25; index += 1) {
    const { principal, filter } = randomQuestion(random, runs, head, head, now);
    answers.push(await services.history.statusCounts(principal, filter, null));
    const bucket = random.pick(['MINUTE', 'HOUR', 'DAY', 'WEEK'] as const);
    const span = bucket === 'MINUTE' ? 3 * HOUR : SEEDED_DAYS * DAY;
    const from = now - random.int(HOUR, span);
    answers.push(await services.history.statusTrend(principal, filter, { bucket, from: new Date(from), to: new Date(from + random.int(HOUR, span)) }, null));
  }
  return JSON.stringify(answers);
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
    checksumBefore = await checksum(services, runs, head, now);
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
    expect(await checksum(services, runs, head, now)).toBe(checksumBefore);
  });

  it.each(Array.from({ length: RANDOM_FILTERS }, (_, index) => index))('answers random filter #%i exactly over both stores, or the live one alone, on every page', async (index) => {
    const random = randomSource(2_000 + index);
    const question = randomQuestion(random, runs, oldest, head, now);
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
      const question = randomQuestion(random, runs, oldest, head, now);
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
