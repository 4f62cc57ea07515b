import { startSmtpReceiver, type SmtpReceiver } from '../../test/alert-receivers.ts';
import { pollUntil } from '../../test/poll-until.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';

const SAVE_WORKFLOW = 'mutation ($projectId: ID!, $yaml: String!) { saveWorkflow(projectId: $projectId, yaml: $yaml) { id } }';
const RULES = 'query ($projectId: ID!) { alertRules(projectId: $projectId) { id name kind workflowIds contactPointIds groupWaitSeconds ownerWorkflowId } }';
const CONTACT_POINTS = 'query ($projectId: ID!) { contactPoints(projectId: $projectId) { id name kind hasSecret ownerWorkflowId email { host port user from to subjectPrefix } } }';

interface RuleRow {
  id: string;
  name: string;
  kind: string;
  workflowIds: string[];
  contactPointIds: string[];
  groupWaitSeconds: number;
  ownerWorkflowId: string | null;
}

describe("a workflow file's mailOn, as email alerts", () => {
  let server: TestServer;
  let smtp: SmtpReceiver;
  let projectId: string;

  beforeAll(async () => {
    smtp = await startSmtpReceiver('hunter2');
    server = await startTestServer('sqlite', { config: { scheduler: true } });
    const project = await server.query<{ createProject: { id: string } }>('mutation { createProject(slug: "mailing") { id } }');
    const id = project.body.data?.createProject.id;
    if (!id) throw new Error(`no project: ${JSON.stringify(project.body.errors)}`);
    projectId = id;
  });
  afterAll(async () => {
    await server.stop();
    await smtp.close();
  });

  const yaml = (mail: string) => `name: nightly\n${mail}steps:\n  - name: load\n    command: exit 3\n`;
  const mailKeys = () =>
    [
      'mailOn: {failure: true, success: true}',
      `smtp: {host: 127.0.0.1, port: "${smtp.port}", username: alerts, password: hunter2}`,
      'errorMail: {from: runtrail@example.com, to: [oncall@example.com], prefix: "[nightly]"}',
      'infoMail: {from: runtrail@example.com, to: team@example.com}',
      '',
    ].join('\n');

  it('makes a rule and an email contact point per kind of mail, owned by the workflow, that the API cannot change', async () => {
    const saved = await server.query<{ saveWorkflow: { id: string } }>(SAVE_WORKFLOW, { projectId, yaml: yaml(mailKeys()) });
    const workflowId = saved.body.data?.saveWorkflow.id;
    expect(saved.body.errors).toBeUndefined();

    const rules = (await server.query<{ alertRules: RuleRow[] }>(RULES, { projectId })).body.data?.alertRules ?? [];
    const points = (await server.query<{ contactPoints: { id: string; name: string; ownerWorkflowId: string | null }[] }>(CONTACT_POINTS, { projectId })).body.data?.contactPoints ?? [];
    expect(rules).toEqual([
      expect.objectContaining({ name: 'nightly: mailOn.failure', kind: 'RUN_FAILED', workflowIds: [workflowId], groupWaitSeconds: 0, ownerWorkflowId: workflowId }),
      expect.objectContaining({ name: 'nightly: mailOn.success', kind: 'RUN_SUCCEEDED', workflowIds: [workflowId], groupWaitSeconds: 0, ownerWorkflowId: workflowId }),
    ]);
    expect(points).toEqual([
      expect.objectContaining({
        name: 'nightly: mailOn.failure',
        kind: 'EMAIL',
        hasSecret: true,
        ownerWorkflowId: workflowId,
        email: { host: '127.0.0.1', port: smtp.port, user: 'alerts', from: 'runtrail@example.com', to: ['oncall@example.com'], subjectPrefix: '[nightly]' },
      }),
      expect.objectContaining({ name: 'nightly: mailOn.success', ownerWorkflowId: workflowId, email: expect.objectContaining({ to: ['team@example.com'], subjectPrefix: null }) }),
    ]);
    expect(rules[0]?.contactPointIds).toEqual([points[0]?.id]);

    const edit = await server.query('mutation ($input: AlertRuleInput!) { saveAlertRule(input: $input) { id } }', { input: { id: rules[0]?.id, projectId, name: 'mine now', kind: 'RUN_FAILED' } });
    expect(edit.body.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT' }, message: expect.stringContaining(`made by the mailOn of workflow ${workflowId}'s file`) });
    const removal = await server.query('mutation ($id: ID!) { deleteContactPoint(id: $id) }', { id: points[0]?.id });
    expect(removal.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('emails the errorMail recipients when a run of the workflow fails', async () => {
    const saved = await server.query<{ saveWorkflow: { id: string } }>(SAVE_WORKFLOW, { projectId, yaml: yaml(mailKeys()) });
    await server.query('mutation ($id: ID!) { triggerRun(workflowId: $id) { id } }', { id: saved.body.data?.saveWorkflow.id });

    const message = await pollUntil('the failure email', 30_000, async () => smtp.messages.find((mail) => mail.subject?.startsWith('[nightly] [FIRING')) ?? null);
    expect(message.subject).toContain('nightly: mailOn.failure');
    expect(message.from?.text).toBe('runtrail@example.com');
    expect(message.text).toContain('ended FAILED');
    expect(JSON.stringify(message.to)).toContain('oncall@example.com');
  });

  it('removes the rules and contact points when the file no longer has mailOn', async () => {
    await server.query(SAVE_WORKFLOW, { projectId, yaml: yaml('') });

    expect((await server.query<{ alertRules: RuleRow[] }>(RULES, { projectId })).body.data?.alertRules).toEqual([]);
    expect((await server.query<{ contactPoints: unknown[] }>(CONTACT_POINTS, { projectId })).body.data?.contactPoints).toEqual([]);
  });
});
