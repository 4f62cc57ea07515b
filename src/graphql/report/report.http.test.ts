import { commandLinePrincipal } from '../../auth/principal.ts';
import { seederFor } from '../../test/seeder.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';

const cli = commandLinePrincipal();
const DAY = 24 * 3_600_000;
const today = new Date(Math.floor(Date.now() / DAY) * DAY);
const yesterday = new Date(today.getTime() - DAY);

interface SavedDefinition {
  saveReportDefinition: { id: string; nextRunAt: string | null };
}
interface RanReport {
  runReportNow: { id: string; state: string; total: number; snapshot: string; files: { format: string; url: string }[] };
}

describe('reports over HTTP', () => {
  let server: TestServer;
  let projectId: string;
  let outsiderToken: string;

  beforeAll(async () => {
    server = await startTestServer('sqlite', { config: { executes: false } });
    const services = server.app.services;
    await seederFor(server.database).seed({ runs: 600, projects: 1, workflowsPerProject: 3, from: new Date(today.getTime() - 3 * DAY), to: today, seed: 3 });
    const [project] = (await services.repositories.projects.listAll()).filter((candidate) => candidate.slug.startsWith('seed-'));
    if (!project) throw new Error('no seeded project');
    projectId = project.id;
    const outsider = await services.access.createUser(cli, { username: 'outsider', password: 'correct horse battery' });
    outsiderToken = (await services.access.createToken(cli, outsider.id, { name: 'outsider' })).secret;
  });
  afterAll(async () => {
    await server.stop();
  });

  const input = (name: string) => ({ projectIds: [projectId], name, schedule: '0 * * * *', timeZone: 'UTC', periodKind: 'ROLLING', windowHours: 2, formats: ['JSON'] });

  it('saves a definition, runs its report now, and serves the stored JSON at its URL to readers only', async () => {
    const saved = await server.query<SavedDefinition>('mutation ($input: ReportDefinitionInput!) { saveReportDefinition(input: $input) { id nextRunAt } }', { input: { ...input('daily'), periodKind: 'PREVIOUS_DAY', windowHours: null } });
    const definitionId = saved.body.data?.saveReportDefinition.id;
    expect(saved.body.data?.saveReportDefinition.nextRunAt).not.toBeNull();
    const ran = await server.query<RanReport>('mutation ($id: ID!, $period: String) { runReportNow(definitionId: $id, period: $period) { id state total snapshot files { format url } } }', {
      id: definitionId,
      period: yesterday.toISOString().slice(0, 10),
    });
    const report = ran.body.data?.runReportNow;
    expect(report?.state).toBe('READY');
    expect(report?.files).toEqual([{ format: 'JSON', url: `/reports/${report?.id}.json` }]);

    const counts = await server.query<{ runStatusCounts: { total: number } }>('query ($filter: RunFilter, $snapshot: String) { runStatusCounts(filter: $filter, snapshot: $snapshot) { total } }', {
      filter: { projectIds: [projectId], createdAfter: yesterday.toISOString(), createdBefore: today.toISOString() },
      snapshot: report?.snapshot,
    });
    expect(report?.total).toBeGreaterThan(0);
    expect(report?.total).toBe(counts.body.data?.runStatusCounts.total);

    const download = await fetch(`${server.url}${report?.files[0]?.url}`, { headers: { authorization: `Bearer ${server.adminToken}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const content = (await download.json()) as { statusDistribution: { total: number }; runs: { rows: unknown[] } };
    expect(content.statusDistribution.total).toBe(report?.total);
    expect(content.runs.rows).toHaveLength(report?.total ?? -1);

    expect((await fetch(`${server.url}${report?.files[0]?.url}`)).status).toBe(401);
    expect((await fetch(`${server.url}${report?.files[0]?.url}`, { headers: { authorization: `Bearer ${outsiderToken}` } })).status).toBe(404);
    expect((await fetch(`${server.url}/reports/${report?.id}.pdf`, { headers: { authorization: `Bearer ${server.adminToken}` } })).status).toBe(404);
  });

  it('serves each stored format at its URL, under the same access rules', async () => {
    const saved = await server.query<SavedDefinition>('mutation ($input: ReportDefinitionInput!) { saveReportDefinition(input: $input) { id nextRunAt } }', {
      input: { ...input('every format'), periodKind: 'PREVIOUS_DAY', windowHours: null, formats: ['HTML', 'CSV', 'JSON', 'PDF'] },
    });
    const ran = await server.query<RanReport>('mutation ($id: ID!, $period: String) { runReportNow(definitionId: $id, period: $period) { id state total snapshot files { format url } } }', {
      id: saved.body.data?.saveReportDefinition.id,
      period: yesterday.toISOString().slice(0, 10),
    });
    const report = ran.body.data?.runReportNow;
    const expected: Record<string, { extension: string; contentType: string; starts: string }> = {
      HTML: { extension: 'html', contentType: 'text/html; charset=utf-8', starts: '<!DOCTYPE html>' },
      CSV: { extension: 'csv', contentType: 'text/csv; charset=utf-8; header=present', starts: '\uFEFFrun_id,' },
      JSON: { extension: 'json', contentType: 'application/json; charset=utf-8', starts: '{' },
      PDF: { extension: 'pdf', contentType: 'application/pdf', starts: '%PDF-' },
    };
    expect(report?.files.map((file) => file.format).sort()).toEqual(Object.keys(expected).sort());
    for (const file of report?.files ?? []) {
      const want = expected[file.format];
      expect(file.url).toBe(`/reports/${report?.id}.${want?.extension}`);
      const download = await fetch(`${server.url}${file.url}`, { headers: { authorization: `Bearer ${server.adminToken}` } });
      expect({ format: file.format, status: download.status, contentType: download.headers.get('content-type') }).toEqual({ format: file.format, status: 200, contentType: want?.contentType });
      const bytes = Buffer.from(await download.arrayBuffer());
      expect(bytes.toString(file.format === 'PDF' ? 'latin1' : 'utf8').startsWith(want?.starts ?? '?')).toBe(true);
      expect((await fetch(`${server.url}${file.url}`)).status).toBe(401);
      expect((await fetch(`${server.url}${file.url}`, { headers: { authorization: `Bearer ${outsiderToken}` } })).status).toBe(404);
    }
  });

  it('pushes each generated report to subscribers of its project', async () => {
    const saved = await server.query<SavedDefinition>('mutation ($input: ReportDefinitionInput!) { saveReportDefinition(input: $input) { id } }', { input: input('pushed') });
    const client = server.wsClient();
    const received = new Promise<string>((resolve, reject) => {
      client.subscribe<{ reportGenerated: { id: string } }>(
        { query: 'subscription ($projectIds: [ID!]) { reportGenerated(projectIds: $projectIds) { id } }', variables: { projectIds: [projectId] } },
        { next: (message) => resolve(message.data?.reportGenerated.id ?? 'none'), error: reject, complete: () => reject(new Error('completed')) },
      );
    });
    // The subscription starts after its first look; a report made at once could be before it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const ran = await server.query<RanReport>('mutation ($id: ID!) { runReportNow(definitionId: $id) { id } }', { id: saved.body.data?.saveReportDefinition.id });
    expect(await received).toBe(ran.body.data?.runReportNow.id);
  });

  it('answers BAD_USER_INPUT naming the bound for a definition out of bounds, and for a period still to come', async () => {
    const tooMany = await server.query('mutation ($input: ReportDefinitionInput!) { saveReportDefinition(input: $input) { id } }', {
      input: { ...input('bounded'), filter: { workflowIds: Array.from({ length: 101 }, (_, index) => `wf_${index}`) } },
    });
    expect(tooMany.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(tooMany.body.errors?.[0]?.message).toContain('input.filter.workflowIds has 101 items; give at most 100');
    const saved = await server.query<SavedDefinition>('mutation ($input: ReportDefinitionInput!) { saveReportDefinition(input: $input) { id } }', { input: { ...input('daily too'), periodKind: 'PREVIOUS_DAY', windowHours: null } });
    const future = await server.query('mutation ($id: ID!) { runReportNow(definitionId: $id, period: "2999-01-01") { id } }', { id: saved.body.data?.saveReportDefinition.id });
    expect(future.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
