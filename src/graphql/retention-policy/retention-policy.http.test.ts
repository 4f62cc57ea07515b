import { commandLinePrincipal } from '../../auth/principal.ts';
import { DAY_MS } from '../../domain/retention/retention-policy.ts';
import type { RunStatus } from '../../domain/status.ts';
import type { Role } from '../../domain/vocabulary.ts';
import { composeTestServices } from '../../test/compose.ts';
import { ManualClock } from '../../test/manual-clock.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';

const POLICY_FIELDS = 'scope projectId workflowId hotDays archiveDays keepLastRuns keepFailedForDays sources { hotDays archiveDays keepLastRuns keepFailedForDays }';
const RETENTION_POLICY = `query ($projectId: ID!) { retentionPolicy(projectId: $projectId) { ${POLICY_FIELDS} project { slug } workflowOverrides { ${POLICY_FIELDS} workflow { name } } } }`;
const SET_POLICY = `mutation ($input: RetentionPolicyInput!) { setRetentionPolicy(input: $input) { ${POLICY_FIELDS} } }`;
const ARCHIVE_NOW = 'mutation ($projectId: ID, $dryRun: Boolean) { archiveNow(projectId: $projectId, dryRun: $dryRun) { dryRun cutoff total projects { projectId project { slug } total byStatus { status count } } } }';
const STEPS = 'steps:\n  - name: a\n    command: "true"\n';

interface Policy {
  scope: string;
  projectId: string | null;
  workflowId: string | null;
  hotDays: number;
  archiveDays: number | null;
  keepLastRuns: number;
  keepFailedForDays: number;
  sources: Record<string, string>;
  workflowOverrides?: (Policy & { workflow: { name: string } })[];
}

interface Summary {
  dryRun: boolean;
  cutoff: string;
  total: number;
  projects: { projectId: string; project: { slug: string }; total: number; byStatus: { status: RunStatus; count: number }[] }[];
}

describe('retention policies and archiveNow over GraphQL', () => {
  let server: TestServer;
  let projectId: string;
  let otherProjectId: string;
  const tokens: Partial<Record<Role, string>> = {};

  beforeAll(async () => {
    // No engine: the runs the tests write by hand stay as they are.
    server = await startTestServer('sqlite', { config: { executes: false } });
    const { access } = server.app.services;
    const cli = commandLinePrincipal();
    projectId = (await access.createProject(cli, { slug: 'payments' })).id;
    otherProjectId = (await access.createProject(cli, { slug: 'elsewhere' })).id;
    for (const role of ['VIEWER', 'ADMIN'] as const) {
      const user = await access.createUser(cli, { username: `retention-${role.toLowerCase()}` });
      await access.addMember(cli, { projectId, username: user.username, role });
      tokens[role] = (await access.createToken(cli, user.id, { name: 'test' })).secret;
    }
  });
  afterAll(async () => {
    await server.stop();
  });

  /** A workflow of the payments project, saved as its ADMIN would. */
  async function saveWorkflow(name: string, yaml = STEPS): Promise<string> {
    const { body } = await server.query<{ saveWorkflow: { id: string } }>('mutation ($projectId: ID!, $yaml: String!) { saveWorkflow(projectId: $projectId, yaml: $yaml) { id } }', { projectId, yaml: `name: ${name}\n${yaml}` }, tokens.ADMIN);
    const id = body.data?.saveWorkflow.id;
    if (!id) throw new Error(`Saving ${name} failed: ${JSON.stringify(body.errors)}`);
    return id;
  }

  /** Runs of a workflow created `daysOld` days ago and led to `status`, written as the engine would. */
  async function runsAt(workflowId: string, daysOld: number, status: RunStatus, count = 1): Promise<void> {
    const clock = new ManualClock(new Date(Date.now() - daysOld * DAY_MS));
    const services = composeTestServices(server.database, { clock });
    const path: Record<string, RunStatus[]> = { SUCCEEDED: ['RUNNING', 'SUCCEEDED'], FAILED: ['RUNNING', 'FAILED'], RUNNING: ['RUNNING'], ABORTED: ['ABORTED'] };
    for (let index = 0; index < count; index += 1) {
      const run = await services.recorder.createRun({ projectId, workflowId, trigger: 'API', steps: [] });
      for (const to of path[status] ?? []) await services.recorder.recordTransition({ runId: run.id, to });
    }
  }

  it('shows each value in force with where it comes from: the settings, the instance, the project, the workflow and its definition', async () => {
    const nightly = await saveWorkflow('nightly', `histRetentionDays: 3\n${STEPS}`);
    const audited = await saveWorkflow('audited');
    await saveWorkflow('plain');

    const instance = await server.query<{ setRetentionPolicy: Policy }>(SET_POLICY, { input: { hotDays: 10 } });
    const project = await server.query<{ setRetentionPolicy: Policy }>(SET_POLICY, { input: { projectId, keepLastRuns: 1, keepFailedForDays: 20 } }, tokens.ADMIN);
    const workflow = await server.query<{ setRetentionPolicy: Policy }>(SET_POLICY, { input: { workflowId: audited, archiveDays: 400 } }, tokens.ADMIN);
    const read = await server.query<{ retentionPolicy: Policy & { project: { slug: string } } }>(RETENTION_POLICY, { projectId }, tokens.VIEWER);

    expect(instance.body.data?.setRetentionPolicy).toEqual({
      scope: 'INSTANCE',
      projectId: null,
      workflowId: null,
      hotDays: 10,
      archiveDays: null,
      keepLastRuns: 20,
      keepFailedForDays: 90,
      sources: { hotDays: 'INSTANCE', archiveDays: 'SETTING', keepLastRuns: 'SETTING', keepFailedForDays: 'SETTING' },
    });
    expect(project.body.data?.setRetentionPolicy).toMatchObject({ scope: 'PROJECT', projectId, hotDays: 10, keepLastRuns: 1, keepFailedForDays: 20 });
    expect(workflow.body.data?.setRetentionPolicy).toMatchObject({
      scope: 'WORKFLOW',
      workflowId: audited,
      archiveDays: 400,
      sources: { hotDays: 'INSTANCE', archiveDays: 'WORKFLOW', keepLastRuns: 'PROJECT', keepFailedForDays: 'PROJECT' },
    });
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data?.retentionPolicy).toMatchObject({
      scope: 'PROJECT',
      project: { slug: 'payments' },
      hotDays: 10,
      archiveDays: null,
      keepLastRuns: 1,
      keepFailedForDays: 20,
      sources: { hotDays: 'INSTANCE', archiveDays: 'SETTING', keepLastRuns: 'PROJECT', keepFailedForDays: 'PROJECT' },
    });
    expect(read.body.data?.retentionPolicy.workflowOverrides?.map((policy) => [policy.workflow.name, policy.hotDays, policy.archiveDays, policy.sources.hotDays])).toEqual([
      ['audited', 10, 400, 'INSTANCE'],
      ['nightly', 3, null, 'WORKFLOW_DEFINITION'],
    ]);
    expect(nightly).toMatch(/^wf_/);
  });

  it('refuses an invalid policy with BAD_USER_INPUT naming every wrong field, its bounds and how to fix it', async () => {
    const { body } = await server.query(SET_POLICY, { input: { projectId, hotDays: -1, keepLastRuns: 1_000_000, archiveDays: 30, archiveForever: true } }, tokens.ADMIN);

    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0]?.message).toBe(
      [
        'The retention policy is invalid:',
        'input.hotDays is -1; it must be a whole number of days from 0 to 36500 (0: runs may leave the live store as soon as they end)',
        'input.keepLastRuns is 1000000; it must be a whole number of runs from 0 to 100000 (0: no run is kept for being among the latest)',
        'input.archiveDays and input.archiveForever are both set; give archiveDays to keep archived periods that many days, or archiveForever: true to keep them forever',
      ].join('\n'),
    );
  });

  it("refuses to set through the API what a workflow's definition sets, saying where to change it", async () => {
    const id = await saveWorkflow('defined', `histRetentionRuns: 5\n${STEPS}`);

    const { body } = await server.query(SET_POLICY, { input: { workflowId: id, keepLastRuns: 50, keepFailedForDays: 3 } }, tokens.ADMIN);

    expect(body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(body.errors?.[0]?.message).toBe(
      "Workflow defined sets keepLastRuns in its definition (Dagu's histRetentionDays and histRetentionRuns), which wins over a policy set here; change its definition, or leave keepLastRuns out",
    );
  });

  it('answers exactly what archival would move, per project and status, with the cut-off, and moves nothing', async () => {
    const id = await saveWorkflow('busy');
    await server.query(SET_POLICY, { input: { projectId, hotDays: 30, keepLastRuns: 2, keepFailedForDays: 60 } }, tokens.ADMIN);
    await runsAt(id, 100, 'SUCCEEDED', 3);
    await runsAt(id, 90, 'FAILED', 2);
    await runsAt(id, 50, 'FAILED');
    await runsAt(id, 45, 'ABORTED');
    await runsAt(id, 40, 'RUNNING');
    await runsAt(id, 10, 'SUCCEEDED');
    await runsAt(id, 1, 'SUCCEEDED', 2);
    const before = Date.now();

    const { body } = await server.query<{ archiveNow: Summary }>(ARCHIVE_NOW, { projectId, dryRun: true }, tokens.ADMIN);
    const again = await server.query<{ archiveNow: Summary }>(ARCHIVE_NOW, { projectId, dryRun: true }, tokens.ADMIN);

    expect(body.errors).toBeUndefined();
    const summary = body.data?.archiveNow;
    expect(summary).toMatchObject({ dryRun: true, total: 6, projects: [{ projectId, project: { slug: 'payments' }, total: 6 }] });
    expect(summary?.projects[0]?.byStatus).toEqual([
      { status: 'SUCCEEDED', count: 3 },
      { status: 'PARTIALLY_SUCCEEDED', count: 0 },
      { status: 'FAILED', count: 2 },
      { status: 'ABORTED', count: 1 },
      { status: 'REJECTED', count: 0 },
    ]);
    expect(Date.parse(summary?.cutoff ?? '')).toBeGreaterThanOrEqual(before);
    expect(again.body.data?.archiveNow.total).toBe(6);
  });

  it('moves exactly the runs the dry run counted, and nothing more when asked again', async () => {
    const dryRun = await server.query<{ archiveNow: Summary }>(ARCHIVE_NOW, { projectId, dryRun: true }, tokens.ADMIN);

    const { body } = await server.query<{ archiveNow: Summary }>(ARCHIVE_NOW, { projectId }, tokens.ADMIN);
    const again = await server.query<{ archiveNow: Summary }>(ARCHIVE_NOW, { projectId }, tokens.ADMIN);

    expect(body.errors).toBeUndefined();
    expect(body.data?.archiveNow).toMatchObject({ dryRun: false, total: 6, projects: dryRun.body.data?.archiveNow.projects });
    expect(again.body.data?.archiveNow).toMatchObject({ dryRun: false, total: 0, projects: [] });
  });

  it('lets a VIEWER read the policy but not change it or archive, and a caller outside the project do neither', async () => {
    const asViewer = await server.query(SET_POLICY, { input: { projectId, hotDays: 1 } }, tokens.VIEWER);
    const archiveAsViewer = await server.query(ARCHIVE_NOW, { projectId, dryRun: true }, tokens.VIEWER);
    const foreign = await server.query(RETENTION_POLICY, { projectId: otherProjectId }, tokens.ADMIN);
    const everyProject = await server.query(ARCHIVE_NOW, { dryRun: true }, tokens.ADMIN);
    const instance = await server.query(SET_POLICY, { input: { hotDays: 1 } }, tokens.ADMIN);

    expect(asViewer.body.errors?.[0]?.message).toBe(`You need the ADMIN role in project ${projectId} to change its workflows, members, tokens or retention`);
    expect(archiveAsViewer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(foreign.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(everyProject.body.errors?.[0]?.message).toBe('Only an instance admin may archive every project at once (name a projectId to archive one)');
    expect(instance.body.errors?.[0]?.message).toBe("Only an instance admin may set the instance's retention defaults");
  });
});
