import type { Services } from '../composition.ts';
import type { RunFilterSpec } from '../domain/run-filter.ts';
import { allowedRunTransitions, isRunStatus } from '../domain/status.ts';
import { composeTestServices } from '../test/compose.ts';
import { PROVIDERS, useMigratedDatabase } from '../test/database-suite.ts';
import { bruteForce, countsOf, DAY, HOUR, loadHistory, pageThrough, randomQuestion, randomSource, statusAt, trendOf, type KnownRun, type Question, type Random } from '../test/history-oracle.ts';
import { ADMIN_PRINCIPAL } from '../test/principals.ts';
import { seederFor } from '../test/seeder.ts';
import type { StatusCountsData } from '../domain/history/status-counts.ts';
import type { RunPageData } from './history/run-page.service.ts';

const SEEDED_DAYS = 3;
const SEEDED_RUNS = 600;
const RANDOM_FILTERS = 40;

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

  const ask = (random: Random): Question => randomQuestion(random, runs, { now, seededDays: SEEDED_DAYS, createdBeforeSpanMs: 2 * DAY, oldest: 1n, head, askArchived: false });

  it.each(Array.from({ length: RANDOM_FILTERS }, (_, index) => index))('answers random filter #%i exactly, on every page, as of its snapshot', async (index) => {
    const random = randomSource(1_000 + index);
    const question = ask(random);
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
      const question = ask(random);
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
