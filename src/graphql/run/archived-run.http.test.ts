import { seederFor } from '../../test/seeder.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';

const DAY = 24 * 60 * 60 * 1000;
const LOG = 'archived output\n';
const RUN = `query ($id: ID!) { run(id: $id) { id status archived steps { name status } events { seq kind to step { name } } retryOf { id archived } } }`;
const RUNS = `query ($filter: RunFilter) { runs(filter: $filter, first: 500) { totalCount archivedCount edges { node { id archived } } } }`;

interface RunView {
  id: string;
  status: string;
  archived: boolean;
  steps: { name: string; status: string }[];
  events: { seq: string; kind: string; to: string; step: { name: string } | null }[];
  retryOf: { id: string; archived: boolean } | null;
}

describe('archived runs over GraphQL', () => {
  let server: TestServer;
  let archivedRunId: string;
  let loggedStep: string;
  let workflowId: string;

  beforeAll(async () => {
    // No engine: the seeded runs stay as they are.
    server = await startTestServer('sqlite', { config: { executes: false } });
    const now = Date.now();
    const seeded = await seederFor(server.database).seed({ runs: 600, projects: 1, workflowsPerProject: 2, from: new Date(now - 50 * DAY), to: new Date(now), seed: 5 });
    const db = server.database.db;
    // Of either workflow: where the seeded runs fall depends on the hour the test runs at (rhythms follow the clock).
    const old = await db.run.findFirst({
      where: { workflowId: { in: seeded.workflows.map(({ id }) => id) }, status: 'FAILED', createdAt: { lt: new Date(now - 30 * DAY) }, steps: { some: {} } },
      include: { steps: { orderBy: { position: 'asc' } } },
    });
    workflowId = old?.workflowId ?? '';
    const step = old?.steps[0];
    if (!old || !step) throw new Error('the seed has no old FAILED run with steps');
    archivedRunId = old.id;
    loggedStep = step.name;
    await db.stepLogChunk.create({ data: { stepRunId: step.id, offset: 0n, bytes: Buffer.from(LOG) } });
    const policy = await server.query('mutation { setRetentionPolicy(input: { hotDays: 10, keepLastRuns: 1, keepFailedForDays: 10 }) { hotDays } }');
    const moved = await server.query<{ archiveNow: { total: number } }>('mutation { archiveNow { total } }');
    if (policy.body.errors || !moved.body.data || moved.body.data.archiveNow.total === 0) throw new Error(`archival failed: ${JSON.stringify([policy.body, moved.body])}`);
  });
  afterAll(() => server.stop());

  it('finds an archived run by id, read-only, with its steps and its events', async () => {
    const { body } = await server.query<{ run: RunView }>(RUN, { id: archivedRunId });

    expect(await server.database.db.run.findUnique({ where: { id: archivedRunId } })).toBeNull();
    expect(body.errors).toBeUndefined();
    const run = body.data?.run;
    expect(run).toMatchObject({ id: archivedRunId, status: 'FAILED', archived: true });
    expect(run?.steps.map((step) => step.name)).toContain(loggedStep);
    expect(run?.events.at(-1)).toMatchObject({ kind: 'RUN', to: 'FAILED' });
    expect(run?.events.some((event) => event.step?.name === loggedStep)).toBe(true);
  });

  it("reads an archived step's log from its archive", async () => {
    const { body } = await server.query<{ stepLog: { content: string; complete: boolean } }>('query ($id: ID!, $step: String!) { stepLog(runId: $id, step: $step) { content complete } }', {
      id: archivedRunId,
      step: loggedStep,
    });

    expect(body.data?.stepLog).toEqual({ content: LOG, complete: true });
  });

  it('retries an archived run as a new run in the live store that points back at it, and refuses to cancel it', async () => {
    const retried = await server.query<{ retryRun: RunView }>('mutation ($id: ID!) { retryRun(id: $id) { id status archived retryOf { id archived } } }', { id: archivedRunId });
    const cancelled = await server.query('mutation ($id: ID!) { cancelRun(id: $id) { id } }', { id: archivedRunId });

    expect(retried.body.errors).toBeUndefined();
    expect(retried.body.data?.retryRun).toMatchObject({ status: 'QUEUED', archived: false, retryOf: { id: archivedRunId, archived: true } });
    expect(await server.database.db.run.count({ where: { id: retried.body.data?.retryRun.id } })).toBe(1);
    expect(cancelled.body.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT' }, message: `Run ${archivedRunId} is archived: it finished, and can only be retried (the retry is a new run)` });
  });

  it('pages archived runs only with includeArchived, and counts them apart either way', async () => {
    type Page = { runs: { totalCount: number; archivedCount: number; edges: { node: { id: string; archived: boolean } }[] } };
    const live = await server.query<Page>(RUNS, { filter: { workflowIds: [workflowId] } });
    const both = await server.query<Page>(RUNS, { filter: { workflowIds: [workflowId], includeArchived: true } });

    const archivedIds = both.body.data?.runs.edges.filter((edge) => edge.node.archived).map((edge) => edge.node.id) ?? [];
    expect(archivedIds).toContain(archivedRunId);
    expect(live.body.data?.runs.edges.some((edge) => edge.node.archived)).toBe(false);
    expect(live.body.data?.runs.archivedCount).toBe(archivedIds.length);
    expect(both.body.data?.runs.archivedCount).toBe(archivedIds.length);
    expect(live.body.data?.runs.totalCount).toBe(live.body.data?.runs.edges.length);
    expect(both.body.data?.runs.totalCount).toBe((live.body.data?.runs.totalCount ?? 0) + archivedIds.length);
  });


  it('leaves runs archived since out of a page of the same snapshot read again (the answer cache keys pages by what is archived)', async () => {
    type Page = { runs: { snapshot: string; totalCount: number; edges: { node: { id: string } }[] } };
    const query = `query ($filter: RunFilter) { runs(filter: $filter, first: 500) { snapshot totalCount edges { node { id } } } }`;
    const before = await server.query<Page>(query, { filter: { workflowIds: [workflowId] } });

    await server.query('mutation { setRetentionPolicy(input: { hotDays: 3, keepLastRuns: 1, keepFailedForDays: 3 }) { hotDays } }');
    const moved = await server.query<{ archiveNow: { total: number } }>('mutation { archiveNow { total } }');
    const after = await server.query<Page>(query, { filter: { workflowIds: [workflowId] } });

    const stillLive = await server.database.db.run.count({ where: { workflowId } });
    expect(moved.body.data?.archiveNow.total).toBeGreaterThan(0);
    expect(after.body.data?.runs.snapshot).toBe(before.body.data?.runs.snapshot);
    expect(after.body.data?.runs.edges.length).toBe(stillLive);
    expect(after.body.data?.runs.totalCount).toBe(stillLive);
    expect(after.body.data?.runs.edges.length).toBeLessThan(before.body.data?.runs.edges.length ?? 0);
  });
});
