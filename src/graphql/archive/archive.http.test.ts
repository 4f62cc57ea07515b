import { commandLinePrincipal } from '../../auth/principal.ts';
import { seederFor } from '../../test/seeder.ts';
import { startTestServer, type GraphQLBody, type TestServer } from '../../test/test-server.ts';

const DAY = 24 * 60 * 60 * 1000;
const ARCHIVES = 'query ($projectId: ID) { archives(projectId: $projectId) { id periodStart periodEnd state runs events bytes project { slug } } }';
const COUNTS = '{ runStatusCounts { total byStatus { status count } } }';
const ALL_RUNS = 'query ($after: String) { runs(filter: { includeArchived: true }, first: 500, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }';

interface RunsPage {
  edges: { node: { id: string } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

interface ArchiveView {
  id: string;
  periodStart: string;
  periodEnd: string;
  state: string;
  runs: number;
  events: number;
  bytes: number | null;
  project: { slug: string } | null;
}

describe('archives and restoreArchive over GraphQL', () => {
  let server: TestServer;
  let viewerToken: string;
  let projectId: string;

  const everyRunId = async () => {
    const ids: string[] = [];
    let after: string | null = null;
    for (;;) {
      const answer: { body: GraphQLBody<{ runs: RunsPage }> } = await server.query<{ runs: RunsPage }>(ALL_RUNS, { after });
      const page = answer.body.data?.runs;
      if (!page) throw new Error(JSON.stringify(answer.body.errors));
      ids.push(...page.edges.map((edge) => edge.node.id));
      if (!page.pageInfo.hasNextPage) return ids;
      after = page.pageInfo.endCursor;
    }
  };

  beforeAll(async () => {
    server = await startTestServer('sqlite', { config: { executes: false } });
    const now = Date.now();
    await seederFor(server.database).seed({ runs: 600, projects: 2, workflowsPerProject: 2, from: new Date(now - 80 * DAY), to: new Date(now), seed: 8 });
    const { access, projects } = server.app.services;
    const cli = commandLinePrincipal();
    const project = (await projects.listReadable(cli)).find((candidate) => candidate.slug === 'seed-1');
    if (!project) throw new Error('no seeded project');
    projectId = project.id;
    const viewer = await access.createUser(cli, { username: 'archive-viewer' });
    await access.addMember(cli, { projectId, username: viewer.username, role: 'VIEWER' });
    viewerToken = (await access.createToken(cli, viewer.id, { name: 'test' })).secret;
    await server.query('mutation { setRetentionPolicy(input: { hotDays: 20, keepLastRuns: 2, keepFailedForDays: 20 }) { hotDays } }');
    await server.query('mutation { archiveNow { total } }');
  });
  afterAll(() => server.stop());

  it('lists every period whole to an instance admin, and a project’s part of each to its readers', async () => {
    const whole = await server.query<{ archives: ArchiveView[] }>(ARCHIVES, {});
    const ofProject = await server.query<{ archives: ArchiveView[] }>(ARCHIVES, { projectId }, viewerToken);
    const refused = await server.query(ARCHIVES, {}, viewerToken);

    const periods = whole.body.data?.archives ?? [];
    const parts = ofProject.body.data?.archives ?? [];
    const archivedOfProject = await server.database.db.archivedStatusDayBucket.aggregate({ where: { projectId }, _sum: { count: true } });
    expect(periods.length).toBeGreaterThanOrEqual(2);
    expect(periods.map((period) => period.state)).toEqual(periods.map(() => 'ARCHIVED'));
    expect(periods.every((period) => period.runs > 0 && period.events > period.runs && (period.bytes ?? 0) > 0 && period.project === null)).toBe(true);
    expect(periods.map((period) => period.periodStart)).toEqual([...periods.map((period) => period.periodStart)].sort());
    expect(parts.every((part) => part.bytes === null && part.project?.slug === 'seed-1')).toBe(true);
    expect(parts.reduce((sum, part) => sum + part.runs, 0)).toBe(archivedOfProject._sum.count);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('restores a period into the live store, leaving every run in one place and every count as it was', async () => {
    const [first] = (await server.query<{ archives: ArchiveView[] }>(ARCHIVES, {})).body.data?.archives ?? [];
    if (!first) throw new Error('nothing archived');
    const liveBefore = await server.database.db.run.count();
    const countsBefore = (await server.query(COUNTS)).body.data;
    const runsBefore = (await everyRunId()).sort();

    const { body } = await server.query<{ restoreArchive: ArchiveView }>('mutation ($id: ID!) { restoreArchive(id: $id) { id state runs events bytes } }', { id: first.id });
    const again = await server.query('mutation ($id: ID!) { restoreArchive(id: $id) { id } }', { id: first.id });

    expect(body.errors).toBeUndefined();
    expect(body.data?.restoreArchive).toEqual({ id: first.id, state: 'RESTORED', runs: 0, events: 0, bytes: 0 });
    expect(await server.database.db.run.count()).toBe(liveBefore + first.runs);
    expect((await server.query(COUNTS)).body.data).toEqual(countsBefore);
    expect((await everyRunId()).sort()).toEqual(runsBefore);
    expect(again.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('leaves a restored period to the live store in scheduled rounds, until archiveNow moves it again', async () => {
    const restored = (await server.query<{ archives: ArchiveView[] }>(ARCHIVES, {})).body.data?.archives.find((archive) => archive.state === 'RESTORED');
    const mover = server.app.services.archiveMover;
    if (!restored || !mover) throw new Error('nothing restored');

    const scheduled = await mover.archive(null, new Date(), { skipRestored: true });
    const afterRound = (await server.query<{ archives: ArchiveView[] }>(ARCHIVES, {})).body.data?.archives.find((archive) => archive.id === restored.id);
    const now = await server.query<{ archiveNow: { total: number } }>('mutation { archiveNow { total } }');
    const afterNow = (await server.query<{ archives: ArchiveView[] }>(ARCHIVES, {})).body.data?.archives.find((archive) => archive.id === restored.id);

    expect(scheduled).toEqual([]);
    expect(afterRound).toMatchObject({ state: 'RESTORED', runs: 0 });
    expect(now.body.data?.archiveNow.total).toBeGreaterThan(0);
    expect(afterNow).toMatchObject({ state: 'ARCHIVED' });
    expect(afterNow?.runs).toBeGreaterThan(0);
  });

  it('answers NOT_FOUND for an archive that does not exist', async () => {
    const { body } = await server.query('mutation { restoreArchive(id: "arc_1999-01") { id } }');

    expect(body.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' }, message: 'There is no archive arc_1999-01' });
  });
});
