import type { Principal } from '../auth/principal.ts';
import type { Services } from '../composition.ts';
import type { Db } from '../db/client.ts';
import type { RunFilterSpec } from '../domain/run-filter.ts';
import { RUN_STATUSES, allowedRunTransitions, isRunStatus, type RunStatus } from '../domain/status.ts';
import { bucketMs, bucketStart, type TimeBucket } from '../domain/time-buckets.ts';
import { RUN_TRIGGERS } from '../domain/vocabulary.ts';
import { composeTestServices } from '../test/compose.ts';
import { PROVIDERS, useMigratedDatabase } from '../test/database-suite.ts';
import { ADMIN_PRINCIPAL, memberPrincipal } from '../test/principals.ts';
import { seederFor } from '../test/seeder.ts';
import type { StatusCountsData } from '../domain/history/status-counts.ts';
import type { RunPageData } from './history/run-page.service.ts';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const SEEDED_DAYS = 3;
const SEEDED_RUNS = 600;
const RANDOM_FILTERS = 40;

/** A run as the brute force sees it: fixed fields and every status change with its seq. */
interface KnownRun {
  id: string;
  projectId: string;
  workflowId: string;
  workflowName: string;
  trigger: string;
  createdAt: number;
  /** RUN events as [seq, to], in seq order; the first is the run's creation. */
  changes: [bigint, RunStatus][];
}

/** What a test asks of the service, in plain data. */
interface Question {
  principal: Principal;
  filter: RunFilterSpec;
  snapshot: bigint;
  /** Ask the first page without a snapshot: it must then answer at the head. */
  firstAtHead: boolean;
}

async function loadHistory(db: Db): Promise<KnownRun[]> {
  const workflows = new Map((await db.workflow.findMany({ select: { id: true, name: true } })).map((workflow) => [workflow.id, workflow.name]));
  const events = await db.runEvent.findMany({ where: { kind: 'RUN' }, orderBy: { seq: 'asc' }, select: { runId: true, seq: true, to: true } });
  const changes = new Map<string, [bigint, RunStatus][]>();
  for (const event of events) {
    if (!isRunStatus(event.to)) throw new Error(`RUN event with status ${event.to}`);
    const list = changes.get(event.runId) ?? [];
    list.push([event.seq, event.to]);
    changes.set(event.runId, list);
  }
  const runs = await db.run.findMany();
  return runs.map((run) => ({
    id: run.id,
    projectId: run.projectId,
    workflowId: run.workflowId,
    workflowName: workflows.get(run.workflowId) ?? '',
    trigger: run.trigger,
    createdAt: run.createdAt.getTime(),
    changes: changes.get(run.id) ?? [],
  }));
}

/** The status of a run at a snapshot, or null when it did not exist yet. */
function statusAt(run: KnownRun, snapshot: bigint): RunStatus | null {
  let status: RunStatus | null = null;
  for (const [seq, to] of run.changes) if (seq <= snapshot) status = to;
  return status;
}

/** The filter's semantics written out naively: the answer every query must equal. */
function bruteForce(runs: readonly KnownRun[], { principal, filter, snapshot }: Question): { id: string; status: RunStatus; createdAt: number }[] {
  const needle = filter.search?.trim().toLowerCase() ?? '';
  return runs
    .flatMap((run) => {
      const status = statusAt(run, snapshot);
      if (status === null) return [];
      if (!principal.isAdmin && !principal.roles.has(run.projectId)) return [];
      if (filter.projectIds?.length && !filter.projectIds.includes(run.projectId)) return [];
      if (filter.workflowIds?.length && !filter.workflowIds.includes(run.workflowId)) return [];
      if (filter.workflowNames?.length && !filter.workflowNames.includes(run.workflowName)) return [];
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
  const byStatus = statuses.map((status) => ({ status, count: rows.filter((row) => row.status === status).length }));
  return { total: rows.length, byStatus };
}

/** A small deterministic random source, so that a failing case can be replayed from its seed. */
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

function randomQuestion(random: Random, runs: readonly KnownRun[], head: bigint, now: number): Question {
  const projectIds = [...new Set(runs.map((run) => run.projectId))].sort();
  const workflows = [...new Map(runs.map((run) => [run.workflowId, { id: run.workflowId, name: run.workflowName, projectId: run.projectId }])).values()];
  const member = random.chance(0.3) ? random.subset(projectIds, 0.6) : null;
  const principal: Principal = member
    ? memberPrincipal('usr_member', 'member', new Map(member.map((projectId) => [projectId, 'VIEWER'])))
    : ADMIN_PRINCIPAL;
  const readable = member ?? projectIds;
  const readableWorkflows = workflows.filter((workflow) => readable.includes(workflow.projectId));
  const filter: RunFilterSpec = {};
  if (random.chance(0.7)) filter.statuses = random.subset(RUN_STATUSES, 0.3);
  if (random.chance(0.2) && readable.length > 0) filter.projectIds = [random.pick(readable)];
  if (random.chance(0.25) && readableWorkflows.length > 0) filter.workflowIds = random.subset(readableWorkflows, 0.3).map((workflow) => workflow.id);
  if (random.chance(0.1) && readableWorkflows.length > 0) filter.workflowNames = [random.pick(readableWorkflows).name];
  if (random.chance(0.3)) filter.triggers = random.subset(RUN_TRIGGERS, 0.5);
  if (random.chance(0.5)) filter.createdAfter = new Date(now - random.int(0, SEEDED_DAYS * DAY + HOUR));
  if (random.chance(0.4)) filter.createdBefore = new Date((filter.createdAfter?.getTime() ?? now - SEEDED_DAYS * DAY) + random.int(1, 2 * DAY));
  if (random.chance(0.15) && readableWorkflows.length > 0) {
    const name = random.pick(readableWorkflows).name;
    const start = random.int(0, Math.max(0, name.length - 3));
    filter.search = name.slice(start, start + 3).toUpperCase();
  } else if (random.chance(0.1)) {
    const prefix = random.pick(runs).id.slice(0, random.int(7, 14));
    filter.search = random.chance(0.5) ? prefix.toUpperCase() : prefix;
  }
  const atHead = random.chance(0.5);
  return { principal, filter, snapshot: atHead ? head : BigInt(random.int(1, Number(head))), firstAtHead: atHead && random.chance(0.5) };
}

async function pageThrough(services: Services, question: Question, pageSize: number, direction: 'forward' | 'backward'): Promise<{ pages: RunPageData[]; ids: string[] }> {
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
  return [...points].map(([start, counts]) => ({
    start: new Date(start),
    counts: RUN_STATUSES.flatMap((status) => (counts.get(status) ? [{ status, count: counts.get(status) ?? 0 }] : [])),
  }));
}

describe.each(PROVIDERS)('run history against a brute force (%s)', (provider) => {
  const database = useMigratedDatabase(provider);
  let services: Services;
  let runs: KnownRun[];
  let head: bigint;
  const now = Date.now();

  beforeAll(async () => {
    // Seeded events are up to three days old: a horizon of a week keeps every snapshot usable.
    services = composeTestServices(database(), { history: { snapshotHorizonMs: 7 * DAY, answerCacheBytes: 0 } });
    await seederFor(database()).seed({
      runs: SEEDED_RUNS,
      projects: 3,
      workflowsPerProject: 3,
      from: new Date(now - SEEDED_DAYS * DAY),
      to: new Date(now),
      seed: 7,
    });
    runs = await loadHistory(database().db);
    head = await services.history.headSnapshot();
  });

  it.each(Array.from({ length: RANDOM_FILTERS }, (_, index) => index))('answers random filter #%i exactly, on every page, as of its snapshot', async (index) => {
    const random = randomSource(1_000 + index);
    const question = randomQuestion(random, runs, head, now);
    const expected = bruteForce(runs, question);
    const pageSize = random.int(2, 40);

    const forward = await pageThrough(services, question, pageSize, 'forward');
    const backward = await pageThrough(services, question, pageSize, 'backward');
    const counts: StatusCountsData = await services.history.statusCounts(question.principal, question.filter, question.snapshot.toString());
    const pageCounts = await forward.pages[0]?.counts();

    expect({ filter: question.filter, ids: forward.ids }).toEqual({ filter: question.filter, ids: expected.map((row) => row.id) });
    expect(backward.ids).toEqual(forward.ids);
    expect(forward.pages.flatMap((page) => page.edges.map((edge) => edge.node.status))).toEqual(expected.map((row) => row.status));
    expect(forward.pages.every((page) => page.snapshot === question.snapshot.toString())).toBe(true);
    // A run shown as still active at the snapshot shows no end, and no start while QUEUED.
    const unfinished = forward.pages.flatMap((page) => page.edges.map((edge) => edge.node)).filter((run) => ['QUEUED', 'RUNNING', 'WAITING'].includes(run.status));
    expect(unfinished.filter((run) => run.finishedAt !== null || run.durationMs !== null || (run.status === 'QUEUED' && run.startedAt !== null))).toEqual([]);
    expect(forward.pages.slice(0, -1).every((page) => page.edges.length === pageSize)).toBe(true);
    expect({ total: counts.total, byStatus: counts.byStatus }).toEqual(countsOf(expected, question.filter));
    expect(pageCounts).toEqual(counts);
  });

  it.each(['MINUTE', 'HOUR', 'DAY', 'WEEK'] as const)('draws %s trends equal to the brute force, edges included', async (bucket) => {
    const random = randomSource(bucket.length);
    for (let attempt = 0; attempt < 6; attempt += 1) {
      const question = randomQuestion(random, runs, head, now);
      const span = bucket === 'MINUTE' ? 3 * HOUR : SEEDED_DAYS * DAY;
      const from = now - random.int(HOUR, span);
      const to = from + random.int(HOUR, span);
      const trend = await services.history.statusTrend(question.principal, question.filter, { bucket, from: new Date(from), to: new Date(to) }, question.snapshot.toString());

      expect({ filter: question.filter, trend }).toEqual({ filter: question.filter, trend: trendOf(bruteForce(runs, question), bucket, from, to) });
    }
  });

  it('keeps one consistent picture while another writer creates runs and changes statuses', async () => {
    const filter: RunFilterSpec = { statuses: ['QUEUED', 'RUNNING', 'WAITING', 'SUCCEEDED', 'FAILED'] };
    const snapshot = await services.history.headSnapshot();
    const before = bruteForce(await loadHistory(database().db), { principal: ADMIN_PRINCIPAL, filter, snapshot, firstAtHead: false });
    const active = runs.filter((run) => ['QUEUED', 'RUNNING', 'WAITING'].includes(statusAt(run, snapshot) ?? '')).map((run) => run.id);
    const template = runs[0];
    if (!template) throw new Error('nothing seeded');

    const seen: string[] = [];
    let cursor: string | null = null;
    let first: RunPageData | null = null;
    for (let page = 0; ; page += 1) {
      const answer: RunPageData = await services.history.runsPage(ADMIN_PRINCIPAL, filter, { first: 25, after: cursor, snapshot: page === 0 ? null : snapshot.toString() });
      first ??= answer;
      seen.push(...answer.edges.map((edge) => edge.node.id));
      // Between pages: one new run, and one active run moved on (new rows and status changes after the snapshot).
      await services.recorder.createRun({ projectId: template.projectId, workflowId: template.workflowId, trigger: 'MANUAL', steps: [] });
      const runId = active[page % Math.max(active.length, 1)];
      const current = runId ? await services.repositories.runs.findById(runId) : null;
      const next = current && isRunStatus(current.status) ? allowedRunTransitions(current.status)[0] : undefined;
      if (current && next) await services.recorder.recordTransition({ runId: current.id, to: next });
      if (!answer.pageInfo.hasNextPage) break;
      cursor = answer.pageInfo.endCursor;
    }
    const counts = await first?.counts();

    expect(first?.snapshot).toBe(snapshot.toString());
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(before.map((row) => row.id));
    expect(counts?.total).toBe(seen.length);
    expect(await services.history.headSnapshot()).toBeGreaterThan(snapshot);
  });

  it('answers a change at once, while an earlier snapshot keeps answering as before', async () => {
    const filter: RunFilterSpec = { statuses: ['SUCCEEDED'] };
    const before = await services.history.statusCounts(ADMIN_PRINCIPAL, filter, null);
    const template = runs[0];
    if (!template) throw new Error('nothing seeded');
    const run = await services.recorder.createRun({ projectId: template.projectId, workflowId: template.workflowId, trigger: 'MANUAL', steps: [] });
    await services.recorder.recordTransition({ runId: run.id, to: 'RUNNING' });
    await services.recorder.recordTransition({ runId: run.id, to: 'SUCCEEDED' });

    const after = await services.history.statusCounts(ADMIN_PRINCIPAL, filter, null);
    const asBefore = await services.history.statusCounts(ADMIN_PRINCIPAL, filter, before.snapshot);
    const firstPage = await services.history.runsPage(ADMIN_PRINCIPAL, filter, { first: 1 });

    expect(after.total).toBe(before.total + 1);
    expect(BigInt(after.snapshot)).toBe(BigInt(before.snapshot) + 3n);
    expect(asBefore).toEqual(before);
    expect(firstPage.edges[0]?.node.id).toBe(run.id);
  });
});
