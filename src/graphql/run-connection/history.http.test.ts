import { createHash } from 'node:crypto';
import { commandLinePrincipal } from '../../auth/principal.ts';
import { composeTestServices } from '../../test/compose.ts';
import type { RunStatus } from '../../domain/status.ts';
import { seederFor } from '../../test/seeder.ts';
import { PROVIDERS } from '../../test/database-suite.ts';
import { waitForRunEnd } from '../../test/engine-helpers.ts';
import { startTestServer, type GraphQLBody, type TestServer } from '../../test/test-server.ts';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const SEEDED_DAYS = 2;
const SEEDED_RUNS = 1_200;
const MAX_STATEMENTS_PER_PAGE = 12;

const RUNS_PAGE = `
  query RunsPage($filter: RunFilter, $first: Int, $after: String, $last: Int, $before: String, $snapshot: String) {
    runs(filter: $filter, first: $first, after: $after, last: $last, before: $before, snapshot: $snapshot) {
      edges { cursor node { id status createdAt workflow { id } } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      totalCount
      statusCounts { status count }
      snapshot
    }
  }`;

const RUNS_WITH_RELATIONS = `
  query RunsWithRelations($filter: RunFilter, $first: Int) {
    runs(filter: $filter, first: $first) {
      edges { node { id workflow { name } project { name } steps { name status } events { seq to } retryOf { id } } }
    }
  }`;

const STATUS_COUNTS = `
  query StatusCounts($filter: RunFilter, $snapshot: String) {
    runStatusCounts(filter: $filter, snapshot: $snapshot) { total byStatus { status count } snapshot }
  }`;

const STATUS_TREND = `
  query StatusTrend($filter: RunFilter, $bucket: TimeBucket!, $from: DateTime!, $to: DateTime!, $snapshot: String) {
    runStatusTrend(filter: $filter, bucket: $bucket, from: $from, to: $to, snapshot: $snapshot) { start counts { status count } }
  }`;

const WORKFLOW_STATS = `
  query WorkflowStats($workflowId: ID!) {
    workflowStats(workflowId: $workflowId) { workflowId total byStatus { status count } successRate p50DurationMs p95DurationMs snapshot }
  }`;

interface StatusCount {
  status: RunStatus;
  count: number;
}

interface RunNode {
  id: string;
  status: RunStatus;
  createdAt: string;
  workflow: { id: string };
}

interface Connection {
  edges: { cursor: string; node: RunNode }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
  statusCounts: StatusCount[];
  snapshot: string;
}

interface StatusCounts {
  total: number;
  byStatus: StatusCount[];
  snapshot: string;
}

/** A RunFilter as GraphQL variables carry it: enums as names, times as ISO strings. */
type FilterInput = Record<string, unknown>;

interface PageArguments {
  filter?: FilterInput;
  first?: number;
  after?: string | null;
  last?: number;
  before?: string | null;
  snapshot?: string;
}

/** What a user sees of a refused request: its one error, in the shape the tests compare. */
interface Refusal {
  code: unknown;
  argument: unknown;
  message: string;
}

/** The data of an answer that must have no errors; the errors themselves when it has some. */
async function answer<T>(server: TestServer, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const { body } = await server.query<T>(query, variables);
  if (body.errors || !body.data) throw new Error(`Expected an answer, got ${JSON.stringify(body.errors)}`);
  return body.data;
}

async function refusal(server: TestServer, query: string, variables: Record<string, unknown>): Promise<Refusal> {
  const { body } = await server.query(query, variables);
  return refusalIn(body);
}

function refusalIn(body: GraphQLBody<unknown>): Refusal {
  if (body.errors?.length !== 1) throw new Error(`Expected exactly one error, got ${JSON.stringify(body)}`);
  const [error] = body.errors;
  return { code: error?.extensions?.code, argument: error?.extensions?.argument, message: error?.message ?? '' };
}

function runsPage(server: TestServer, args: PageArguments): Promise<Connection> {
  return answer<{ runs: Connection }>(server, RUNS_PAGE, { ...args }).then((data) => data.runs);
}

function statusCounts(server: TestServer, filter: FilterInput | undefined, snapshot?: string): Promise<StatusCounts> {
  return answer<{ runStatusCounts: StatusCounts }>(server, STATUS_COUNTS, { filter, snapshot }).then((data) => data.runStatusCounts);
}

/** Every page of a filter, forward with first/after from the start. */
async function pagesForward(server: TestServer, filter: FilterInput, size: number): Promise<Connection[]> {
  const pages: Connection[] = [];
  let after: string | null = null;
  do {
    const page: Connection = await runsPage(server, { filter, first: size, after });
    pages.push(page);
    after = page.pageInfo.endCursor;
    if (pages.length > 1_000) throw new Error('Paging forward never ended');
  } while (pages.at(-1)?.pageInfo.hasNextPage);
  return pages;
}

/** The runs before a cursor, paged backward with last/before, in list order. */
async function runsBefore(server: TestServer, filter: FilterInput, size: number, cursor: string): Promise<RunNode[]> {
  const runs: RunNode[] = [];
  let before: string | null = cursor;
  let page: Connection;
  do {
    page = await runsPage(server, { filter, last: size, before });
    runs.unshift(...page.edges.map((edge) => edge.node));
    before = page.pageInfo.startCursor;
    if (runs.length > 100_000) throw new Error('Paging backward never ended');
  } while (page.pageInfo.hasPreviousPage);
  return runs;
}

/** What `work` gives, and the SQL statements sent on the server's database meanwhile. */
async function withStatements<T>(server: TestServer, work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const statements: string[] = [];
  server.database.onStatement((sql) => statements.push(sql));
  try {
    return { result: await work(), statements };
  } finally {
    server.database.onStatement(null);
  }
}

/**
 * Statements by their beginning, sorted (loaders run concurrently, so their order varies), a
 * list of placeholders counted as one: a page whose runs span two projects reads them with
 * `IN (?,?)` where a page of one project's runs has `IN (?)`, the same statement.
 */
function statementKinds(statements: readonly string[]): string[] {
  return statements.map((sql) => sql.replace(/\s+/g, ' ').replace(/\((?:\?|\$\d+)(?:, ?(?:\?|\$\d+))*\)/g, '(…)').trim().slice(0, 80)).sort();
}

function newestFirst(a: RunNode, b: RunNode): number {
  const byTime = Date.parse(b.createdAt) - Date.parse(a.createdAt);
  if (byTime !== 0) return byTime;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

function tally(statuses: readonly RunStatus[], order: readonly RunStatus[]): StatusCount[] {
  return order.map((status) => ({ status, count: statuses.filter((candidate) => candidate === status).length }));
}

function sumByStatus(lists: readonly (readonly StatusCount[])[]): Map<RunStatus, number> {
  const sums = new Map<RunStatus, number>();
  for (const entry of lists.flat()) sums.set(entry.status, (sums.get(entry.status) ?? 0) + entry.count);
  return sums;
}

/** The position inside a cursor. */
function positionOf(cursor: string): unknown[] {
  const position: unknown = JSON.parse(Buffer.from(cursor.split('.')[0] ?? '', 'base64url').toString('utf8'));
  if (!Array.isArray(position)) throw new Error(`Not a cursor: ${cursor}`);
  return position;
}

/** A cursor of this position under the old, unkeyed check (a SHA-256 of the payload), as anybody could make it. */
function unkeyedCursor(position: readonly unknown[]): string {
  const payload = Buffer.from(JSON.stringify(position)).toString('base64url');
  return `${payload}.${createHash('sha256').update(payload).digest('base64url').slice(0, 12)}`;
}

/** The cursor with one character of its position changed, as a hand edit would. */
function tampered(cursor: string): string {
  const index = 5;
  const replacement = cursor[index] === 'A' ? 'B' : 'A';
  return `${cursor.slice(0, index)}${replacement}${cursor.slice(index + 1)}`;
}

async function defaultProjectId(server: TestServer): Promise<string> {
  const data = await answer<{ projects: { id: string }[] }>(server, '{ projects { id } }');
  const [project] = data.projects;
  if (!project) throw new Error('A new server has a default project');
  return project.id;
}

async function saveWorkflow(server: TestServer, name: string): Promise<string> {
  const data = await answer<{ saveWorkflow: { id: string } }>(server, 'mutation ($projectId: ID!, $yaml: String!) { saveWorkflow(projectId: $projectId, yaml: $yaml) { id } }', {
    projectId: await defaultProjectId(server),
    yaml: `name: ${name}\nsteps:\n  - name: only\n    command: "true"\n`,
  });
  return data.saveWorkflow.id;
}

/** Triggers a run and waits until it has ended: every status change of it is recorded. */
async function runToEnd(server: TestServer, workflowId: string): Promise<string> {
  const data = await answer<{ triggerRun: { id: string } }>(server, 'mutation ($id: ID!) { triggerRun(workflowId: $id) { id } }', { id: workflowId });
  await waitForRunEnd(server.app.services, data.triggerRun.id);
  return data.triggerRun.id;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(PROVIDERS)('history queries over HTTP (%s)', (provider) => {
  let server: TestServer;
  const now = Date.now();
  const seededFrom = now - SEEDED_DAYS * DAY;

  beforeAll(async () => {
    server = await startTestServer(provider);
    await seederFor(server.database).seed({
      runs: SEEDED_RUNS,
      projects: 2,
      workflowsPerProject: 3,
      from: new Date(seededFrom),
      to: new Date(now),
      seed: 11,
    });
  });
  afterAll(() => server.stop());

  describe('the cost of a page', () => {
    it('reads a page of 50 runs with their workflow, project, steps, events and retried run in as few SQL statements as a page of 5', async () => {
      // Every retry has a retried run, so both pages load all five relations.
      const filter = { triggers: ['RETRY'] };
      const fetchPage = (first: number) =>
        answer<{ runs: { edges: { node: { steps: unknown[]; events: unknown[]; retryOf: unknown } }[] } }>(server, RUNS_WITH_RELATIONS, { filter, first });

      // The token's first use of the minute also records lastUsedAt: not a cost of pages.
      await server.query('{ viewer { id } }');
      while ((await server.database.db.apiToken.count({ where: { lastUsedAt: { not: null } } })) === 0) await sleep(10);
      const five = await withStatements(server, () => fetchPage(5));
      const fifty = await withStatements(server, () => fetchPage(50));

      expect(five.result.runs.edges).toHaveLength(5);
      expect(fifty.result.runs.edges).toHaveLength(50);
      expect(fifty.result.runs.edges.every(({ node }) => node.steps.length > 0 && node.events.length > 0 && node.retryOf !== null)).toBe(true);
      expect(statementKinds(fifty.statements)).toEqual(statementKinds(five.statements));
      expect(fifty.statements.length).toBeLessThanOrEqual(MAX_STATEMENTS_PER_PAGE);
    });
  });

  describe('page arguments', () => {
    it.each([
      ['first', 501],
      ['last', 501],
      ['first', 0],
    ])('refuses a page size out of 1..500, naming %s (%i)', async (argument, size) => {
      expect(await refusal(server, RUNS_PAGE, { [argument]: size })).toEqual({
        code: 'BAD_USER_INPUT',
        argument,
        message: `${argument} must be between 1 and 500, got ${size}`,
      });
    });

    it('refuses first together with last, saying to page one way', async () => {
      expect(await refusal(server, RUNS_PAGE, { first: 5, last: 5 })).toEqual({
        code: 'BAD_USER_INPUT',
        argument: 'first',
        message: expect.stringContaining('first/after (forward) or last/before (backward), not both'),
      });
    });
  });

  describe('cursors and snapshots', () => {
    const failed = { statuses: ['FAILED'] };

    it('refuses an edited after or before cursor, saying to start again without it', async () => {
      const page = await runsPage(server, { filter: failed, first: 3 });
      const after = tampered(page.pageInfo.endCursor ?? '');
      const before = tampered(page.pageInfo.startCursor ?? '');

      expect(await refusal(server, RUNS_PAGE, { filter: failed, first: 3, after })).toEqual({
        code: 'BAD_USER_INPUT',
        argument: 'after',
        message: 'after is not a cursor this list gave out (damaged, edited or from another instance); start again without it',
      });
      expect(await refusal(server, RUNS_PAGE, { filter: failed, last: 3, before })).toEqual({
        code: 'BAD_USER_INPUT',
        argument: 'before',
        message: 'before is not a cursor this list gave out (damaged, edited or from another instance); start again without it',
      });
    });

    it('refuses a cursor of a list with another filter', async () => {
      const page = await runsPage(server, { filter: failed, first: 3 });

      expect(await refusal(server, RUNS_PAGE, { filter: { statuses: ['SUCCEEDED'] }, first: 3, after: page.pageInfo.endCursor })).toEqual({
        code: 'BAD_USER_INPUT',
        argument: 'after',
        message: 'after belongs to a list with a different filter; start again without it',
      });
    });

    it('refuses a snapshot ahead of headSnapshot, naming the newest one', async () => {
      const { headSnapshot } = await answer<{ headSnapshot: string }>(server, '{ headSnapshot }');
      const ahead = (BigInt(headSnapshot) + 1n).toString();

      expect(await refusal(server, RUNS_PAGE, { first: 3, snapshot: ahead })).toEqual({
        code: 'BAD_USER_INPUT',
        argument: 'snapshot',
        message: `snapshot ${ahead} is ahead of the newest change (${headSnapshot})`,
      });
    });

    it('refuses a snapshot that is not a decimal seq, saying where snapshots come from', async () => {
      expect(await refusal(server, RUNS_PAGE, { first: 3, snapshot: 'abc' })).toEqual({
        code: 'BAD_USER_INPUT',
        argument: 'snapshot',
        message: 'snapshot must be a snapshot from an earlier answer (a decimal string from 0 to 9223372036854775807), got "abc"',
      });
    });

    it('refuses a cursor re-encoded with another snapshot and createdAt, though its unkeyed check is right', async () => {
      const page = await runsPage(server, { filter: failed, first: 3 });
      const [, id, , filterHash] = positionOf(page.pageInfo.endCursor ?? '');

      for (const position of [[Date.now() + DAY, id, '1', filterHash], [0, id, page.snapshot, filterHash], [0, id, '1'.repeat(25), filterHash]]) {
        expect(await refusal(server, RUNS_PAGE, { filter: failed, first: 3, after: unkeyedCursor(position) })).toEqual({
          code: 'BAD_USER_INPUT',
          argument: 'after',
          message: 'after is not a cursor this list gave out (damaged, edited or from another instance); start again without it',
        });
      }
    });

    it.each(['1'.repeat(25), '9223372036854775808', '9999999999999999999'])('refuses a snapshot beyond what a seq can hold (%s) as BAD_USER_INPUT', async (snapshot) => {
      expect(await refusal(server, RUNS_PAGE, { first: 3, snapshot })).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'snapshot' });
      expect(await refusal(server, STATUS_COUNTS, { snapshot })).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'snapshot' });
    });

    it('refuses a workflow list cursor made by hand', async () => {
      const { workflows } = await answer<{ workflows: { edges: { cursor: string; node: { id: string; name: string } }[] } }>(server, '{ workflows(first: 1) { edges { cursor node { id name } } } }');
      const [edge] = workflows.edges;
      const handMade = Buffer.from(JSON.stringify([edge?.node.name, edge?.node.id])).toString('base64url');

      expect(await refusal(server, 'query ($after: String) { workflows(first: 1, after: $after) { edges { cursor } } }', { after: handMade })).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    });

    it('pages on with a cursor in every process of the database, the key being the database’s', async () => {
      const first = await runsPage(server, { filter: failed, first: 3 });
      const next = await runsPage(server, { filter: failed, first: 3, after: first.pageInfo.endCursor });
      const otherProcess = composeTestServices(server.database);

      const fromOther = await otherProcess.history.runsPage(commandLinePrincipal(), { statuses: ['FAILED'] }, { first: 3, after: first.pageInfo.endCursor });

      expect(fromOther.edges.map((edge) => edge.node.id)).toEqual(next.edges.map((edge) => edge.node.id));
      expect(next.edges).toHaveLength(3);
    });
  });

  describe('filters', () => {
    it('refuses createdAfter after createdBefore, naming filter.createdAfter', async () => {
      const filter = { createdAfter: '2025-03-02T00:00:00.000Z', createdBefore: '2025-03-01T00:00:00.000Z' };

      expect(await refusal(server, RUNS_PAGE, { filter, first: 5 })).toEqual({
        code: 'BAD_USER_INPUT',
        argument: 'filter.createdAfter',
        message: 'filter.createdAfter (2025-03-02T00:00:00.000Z) must be before filter.createdBefore (2025-03-01T00:00:00.000Z)',
      });
    });

    it.each([
      ['filter.workflowIds', { workflowIds: ['wf_doesnotexist'] }, 'filter.workflowIds: no workflow wf_doesnotexist in the projects you can read'],
      ['filter.workflowNames', { workflowNames: ['no-such-workflow'] }, 'filter.workflowNames: no workflow named "no-such-workflow" in the projects you can read'],
      ['filter.projectIds', { projectIds: ['prj_doesnotexist'] }, 'filter.projectIds: no project prj_doesnotexist'],
    ])('refuses a filter naming something unknown, naming %s', async (argument, filter, message) => {
      expect(await refusal(server, RUNS_PAGE, { filter, first: 5 })).toEqual({ code: 'BAD_USER_INPUT', argument, message });
      expect(await refusal(server, STATUS_COUNTS, { filter })).toEqual({ code: 'BAD_USER_INPUT', argument, message });
    });

    it('refuses a trend whose from is not before its to', async () => {
      const at = '2025-03-01T00:00:00.000Z';

      expect(await refusal(server, STATUS_TREND, { bucket: 'HOUR', from: at, to: at })).toEqual({
        code: 'BAD_USER_INPUT',
        argument: 'from',
        message: `from (${at}) must be before to (${at})`,
      });
    });

    it('refuses a MINUTE trend over 30 days, saying to choose a wider bucket or a shorter range', async () => {
      const to = new Date(now);
      const from = new Date(now - 30 * DAY);

      expect(await refusal(server, STATUS_TREND, { bucket: 'MINUTE', from: from.toISOString(), to: to.toISOString() })).toEqual({
        code: 'BAD_USER_INPUT',
        argument: 'bucket',
        message: expect.stringMatching(/^A MINUTE trend from .* has \d+ points; at most 5000: choose a wider bucket or a shorter range$/),
      });
    });

    it('answers NOT_FOUND for the stats of an unknown workflow', async () => {
      expect(await refusal(server, WORKFLOW_STATS, { workflowId: 'wf_doesnotexist' })).toEqual({
        code: 'NOT_FOUND',
        argument: 'workflowId',
        message: 'Workflow wf_doesnotexist was not found',
      });
    });
  });

  describe('paging through a filter', () => {
    const statuses: RunStatus[] = ['FAILED', 'ABORTED'];
    const filter = { statuses };
    let pages: Connection[];
    let runs: RunNode[];

    beforeAll(async () => {
      pages = await pagesForward(server, filter, 7);
      runs = pages.flatMap((page) => page.edges.map((edge) => edge.node));
    });

    it('yields totalCount distinct runs of the filter, newest first, in full pages of 7', () => {
      const [first] = pages;
      const totalCount = first?.totalCount ?? -1;

      expect(runs.length).toBeGreaterThan(14);
      expect(runs).toHaveLength(totalCount);
      expect(new Set(runs.map((run) => run.id)).size).toBe(totalCount);
      expect(runs).toEqual([...runs].sort(newestFirst));
      expect(runs.every((run) => statuses.includes(run.status))).toBe(true);
      expect(pages.slice(0, -1).every((page) => page.edges.length === 7)).toBe(true);
      expect(pages.every((page) => page.totalCount === totalCount && page.snapshot === first?.snapshot)).toBe(true);
      expect(first?.pageInfo.hasPreviousPage).toBe(false);
    });

    it('counts by status exactly the runs it pages through', () => {
      const [first] = pages;

      expect(first?.statusCounts).toEqual(tally(runs.map((run) => run.status), statuses));
      expect(first?.statusCounts.reduce((sum, entry) => sum + entry.count, 0)).toBe(first?.totalCount);
    });

    it('pages backward from the last page to the same runs in the same order', async () => {
      const last = pages.at(-1);
      const lastRuns = last?.edges.map((edge) => edge.node) ?? [];

      const before = await runsBefore(server, filter, 7, last?.pageInfo.startCursor ?? '');

      expect([...before, ...lastRuns]).toEqual(runs);
    });

    it('answers runStatusCounts equal to the connection counts at its snapshot', async () => {
      const [first] = pages;

      const counts = await statusCounts(server, filter, first?.snapshot);

      expect(counts).toEqual({ total: first?.totalCount, byStatus: first?.statusCounts, snapshot: first?.snapshot });
    });

    it('draws an hourly trend whose points sum to runStatusCounts over the same range, every hour present', async () => {
      const snapshot = pages[0]?.snapshot;
      const from = new Date(seededFrom + 90 * 60 * 1000 + 17_000);
      const to = new Date(now - 2 * HOUR - 13 * 60 * 1000);

      const { runStatusTrend: points } = await answer<{ runStatusTrend: { start: string; counts: StatusCount[] }[] }>(server, STATUS_TREND, {
        filter,
        bucket: 'HOUR',
        from: from.toISOString(),
        to: to.toISOString(),
        snapshot,
      });
      const counts = await statusCounts(server, { ...filter, createdAfter: from.toISOString(), createdBefore: to.toISOString() }, snapshot);

      const firstHour = Math.floor(from.getTime() / HOUR) * HOUR;
      expect(points.map((point) => Date.parse(point.start))).toEqual(Array.from({ length: Math.ceil((to.getTime() - firstHour) / HOUR) }, (_, index) => firstHour + index * HOUR));
      expect(counts.total).toBeGreaterThan(0);
      expect(sumByStatus(points.map((point) => point.counts))).toEqual(new Map(counts.byStatus.filter((entry) => entry.count > 0).map((entry) => [entry.status, entry.count])));
    });

    it('gives workflow stats with a success rate between 0 and 1 and a p50 duration no longer than the p95', async () => {
      const workflowId = runs[0]?.workflow.id ?? '';

      const { workflowStats: stats } = await answer<{
        workflowStats: { workflowId: string; total: number; byStatus: StatusCount[]; successRate: number; p50DurationMs: number; p95DurationMs: number };
      }>(server, WORKFLOW_STATS, { workflowId });
      const counts = await statusCounts(server, { workflowIds: [workflowId] });

      expect(stats).toMatchObject({ workflowId, total: counts.total, byStatus: counts.byStatus });
      expect(stats.successRate).toBeGreaterThan(0);
      expect(stats.successRate).toBeLessThan(1);
      expect(stats.p50DurationMs).toBeGreaterThan(0);
      expect(stats.p50DurationMs).toBeLessThanOrEqual(stats.p95DurationMs);
    });
  });

  describe('snapshots as history moves on', () => {
    // Just above zero: any change is older than the horizon by the time the next request comes.
    const TINY_HORIZON_MS = 1;
    let expiring: TestServer;
    let lasting: TestServer;

    beforeAll(async () => {
      expiring = await startTestServer(provider, { config: { history: { snapshotHorizonMs: TINY_HORIZON_MS, answerCacheBytes: 0, subscriptionBuffer: 1_000, replayMaxEvents: 100_000, countsIntervalMs: 50 } } });
      lasting = await startTestServer(provider);
    });
    afterAll(async () => {
      await expiring?.stop();
      await lasting?.stop();
    });

    it('refuses a snapshot superseded longer ago than the horizon, and a cursor read at it, with SNAPSHOT_EXPIRED', async () => {
      const workflowId = await saveWorkflow(expiring, 'expiring-history');
      await runToEnd(expiring, workflowId);
      await runToEnd(expiring, workflowId);
      const old = await runsPage(expiring, { first: 1 });

      await runToEnd(expiring, workflowId);
      await sleep(TINY_HORIZON_MS + 20);
      const { headSnapshot } = await answer<{ headSnapshot: string }>(expiring, '{ headSnapshot }');
      const bySnapshot = await expiring.query(RUNS_PAGE, { first: 1, snapshot: old.snapshot });
      const byCursor = await expiring.query(RUNS_PAGE, { first: 1, after: old.pageInfo.endCursor });

      for (const [body, argument] of [[bySnapshot.body, 'snapshot'], [byCursor.body, 'after']] as const) {
        expect(refusalIn(body)).toEqual({
          code: 'SNAPSHOT_EXPIRED',
          argument,
          message: expect.stringMatching(new RegExp(`^snapshot ${old.snapshot} was superseded at .*; query again without a snapshot or cursor$`)),
        });
        expect(body.errors?.[0]?.extensions).toMatchObject({ snapshot: old.snapshot, head: headSnapshot });
      }
    });

    it('answers as of an old snapshot within the horizon: a run created later is neither in the page nor in totalCount', async () => {
      const workflowId = await saveWorkflow(lasting, 'lasting-history');
      const earlierNewestFirst = [await runToEnd(lasting, workflowId), await runToEnd(lasting, workflowId), await runToEnd(lasting, workflowId)].reverse();
      const old = await runsPage(lasting, { first: 2 });

      const later = await runToEnd(lasting, workflowId);
      const atOldSnapshot = await runsPage(lasting, { first: 10, snapshot: old.snapshot });
      const nextOldPage = await runsPage(lasting, { first: 2, after: old.pageInfo.endCursor });
      const oldCounts = await statusCounts(lasting, undefined, old.snapshot);
      const atHead = await runsPage(lasting, { first: 10 });

      expect(old.totalCount).toBe(3);
      expect(atOldSnapshot).toMatchObject({ totalCount: 3, snapshot: old.snapshot });
      expect(atOldSnapshot.edges.map((edge) => edge.node.id)).toEqual(earlierNewestFirst);
      expect(nextOldPage).toMatchObject({ totalCount: 3, snapshot: old.snapshot, pageInfo: { hasNextPage: false } });
      expect(nextOldPage.edges.map((edge) => edge.node.id)).toEqual(earlierNewestFirst.slice(2));
      expect(oldCounts.total).toBe(3);
      expect(atHead.totalCount).toBe(4);
      expect(atHead.edges.map((edge) => edge.node.id)).toEqual([later, ...earlierNewestFirst]);
    });
  });
});
