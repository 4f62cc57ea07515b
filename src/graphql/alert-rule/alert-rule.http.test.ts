import { commandLinePrincipal } from '../../auth/principal.ts';
import { newId } from '../../domain/ids.ts';
import type { Role } from '../../domain/vocabulary.ts';
import { createRunByHand } from '../../test/factories.ts';
import { pollUntil } from '../../test/poll-until.ts';
import { Webhook } from 'standardwebhooks';
import { startHttpReceiver } from '../../test/alert-receivers.ts';
import { openRawSubscription } from '../../test/raw-subscriber.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';

const SAVE_RULE = 'mutation ($input: AlertRuleInput!) { saveAlertRule(input: $input) { id name kind statuses count groupWaitSeconds repeatIntervalSeconds } }';
const ALERTS = 'query ($filter: AlertFilter) { alerts(filter: $filter) { id state summary workflowId acknowledgedBy rule { name } events { from to actor message } } }';

interface AlertRow {
  id: string;
  state: string;
  summary: string;
  workflowId: string;
  acknowledgedBy: string | null;
  rule: { name: string };
  events: { from: string | null; to: string; actor: string | null; message: string | null }[];
}

describe('alert rules and alerts over GraphQL, evaluated by the leader', () => {
  let server: TestServer;
  let projectId: string;
  const tokens: Partial<Record<Role, string>> = {};

  beforeAll(async () => {
    server = await startTestServer('sqlite', { config: { scheduler: true } });
    const { access } = server.app.services;
    const cli = commandLinePrincipal();
    projectId = (await access.createProject(cli, { slug: 'alerting' })).id;
    for (const role of ['VIEWER', 'OPERATOR', 'ADMIN'] as const) {
      const user = await access.createUser(cli, { username: `alerts-${role.toLowerCase()}` });
      await access.addMember(cli, { projectId, username: user.username, role });
      tokens[role] = (await access.createToken(cli, user.id, { name: 'test' })).secret;
    }
  });
  afterAll(async () => {
    await server.stop();
  });

  it('refuses a rule with every wrong field named, and a second rule of the same name', async () => {
    const invalid = await server.query(SAVE_RULE, { input: { projectId, name: 'streak', kind: 'CONSECUTIVE_FAILURES', statuses: ['SUCCEEDED'], groupWaitSeconds: 7200 } }, tokens.ADMIN);
    expect(invalid.body.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
      message: expect.stringMatching(/statuses: "SUCCEEDED" is not one of FAILED.*groupWaitSeconds: a whole number from 0 to 3600 \(got 7200\).*count: required for CONSECUTIVE_FAILURES/),
    });
    const first = await server.query<{ saveAlertRule: { id: string } }>(SAVE_RULE, { input: { projectId, name: 'twice', kind: 'RUN_FAILED' } }, tokens.ADMIN);
    expect(first.body.errors).toBeUndefined();
    const second = await server.query(SAVE_RULE, { input: { projectId, name: 'twice', kind: 'RUN_FAILED' } }, tokens.ADMIN);
    expect(second.body.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT' }, message: expect.stringContaining('pass its id to replace it') });
    const replaced = await server.query<{ saveAlertRule: { id: string; kind: string; count: number } }>(
      SAVE_RULE,
      { input: { id: first.body.data?.saveAlertRule.id, projectId, name: 'twice', kind: 'CONSECUTIVE_FAILURES', count: 3 } },
      tokens.ADMIN,
    );
    expect(replaced.body.data?.saveAlertRule).toMatchObject({ id: first.body.data?.saveAlertRule.id, kind: 'CONSECUTIVE_FAILURES', count: 3 });
    const viewer = await server.query(SAVE_RULE, { input: { projectId, name: 'mine', kind: 'RUN_FAILED' } }, tokens.VIEWER);
    expect(viewer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('fires when a run of a watched workflow fails, shows the alert to a VIEWER, and records its acknowledgement by an OPERATOR', async () => {
    await server.query(SAVE_RULE, { input: { projectId, name: 'it broke', kind: 'RUN_FAILED', workflowNames: ['nightly'] } }, tokens.ADMIN);
    const saved = await server.query<{ saveWorkflow: { id: string } }>(
      'mutation ($projectId: ID!, $yaml: String!) { saveWorkflow(projectId: $projectId, yaml: $yaml) { id } }',
      { projectId, yaml: 'name: nightly\nsteps:\n  - name: load\n    command: exit 3\n' },
      tokens.ADMIN,
    );
    const workflowId = saved.body.data?.saveWorkflow.id;
    await server.query('mutation ($id: ID!) { triggerRun(workflowId: $id) { id } }', { id: workflowId }, tokens.OPERATOR);

    const firing = await pollUntil('the alert to fire', 20_000, async () => {
      const { body } = await server.query<{ alerts: AlertRow[] }>(ALERTS, { filter: { projectIds: [projectId], states: ['FIRING'] } }, tokens.VIEWER);
      return body.data?.alerts.find((alert) => alert.rule.name === 'it broke') ?? null;
    });
    expect(firing).toMatchObject({ workflowId, state: 'FIRING', summary: expect.stringContaining('ended FAILED'), events: [{ from: 'INACTIVE', to: 'FIRING', actor: null }] });

    const denied = await server.query('mutation ($id: ID!) { acknowledgeAlert(id: $id) { id } }', { id: firing.id }, tokens.VIEWER);
    expect(denied.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const acknowledged = await server.query<{ acknowledgeAlert: AlertRow }>(
      `mutation ($id: ID!) { acknowledgeAlert(id: $id) { id state summary workflowId acknowledgedBy rule { name } events { from to actor message } } }`,
      { id: firing.id },
      tokens.OPERATOR,
    );
    expect(acknowledged.body.data?.acknowledgeAlert).toMatchObject({
      acknowledgedBy: 'alerts-operator',
      events: [{ from: 'FIRING', to: 'FIRING', actor: 'alerts-operator', message: 'acknowledged' }, { to: 'FIRING' }],
    });
  });
  it('delivers the firing of a failed run to a signed webhook, and its resolution after the next success', async () => {
    const receiver = await startHttpReceiver();
    const signingKey = `whsec_${Buffer.from('a signing key of thirty-two bytes').toString('base64')}`;
    try {
      const point = await server.query<{ saveContactPoint: { id: string } }>(
        'mutation ($input: ContactPointInput!) { saveContactPoint(input: $input) { id } }',
        { input: { projectId, name: 'ops hook', kind: 'WEBHOOK', url: receiver.url, secret: signingKey } },
        tokens.ADMIN,
      );
      const contactPointIds = [point.body.data?.saveContactPoint.id];
      await server.query(SAVE_RULE, { input: { projectId, name: 'deploy broke', kind: 'RUN_FAILED', workflowNames: ['deploy'], groupWaitSeconds: 0, contactPointIds } }, tokens.ADMIN);
      const save = (command: string) =>
        server.query<{ saveWorkflow: { id: string } }>('mutation ($projectId: ID!, $yaml: String!) { saveWorkflow(projectId: $projectId, yaml: $yaml) { id } }', { projectId, yaml: `name: deploy\nsteps:\n  - name: ship\n    command: ${command}\n` }, tokens.ADMIN);
      const workflowId = (await save('exit 1')).body.data?.saveWorkflow.id;
      await server.query('mutation ($id: ID!) { triggerRun(workflowId: $id) { id } }', { id: workflowId }, tokens.OPERATOR);
      const firing = await pollUntil('the firing webhook', 20_000, async () => receiver.received[0] ?? null);
      const verified = new Webhook(signingKey).verify(firing.body, { 'webhook-id': String(firing.headers['webhook-id']), 'webhook-timestamp': String(firing.headers['webhook-timestamp']), 'webhook-signature': String(firing.headers['webhook-signature']) });
      expect(verified).toMatchObject({ type: 'alert.firing', data: { alerts: [{ workflowName: 'deploy', state: 'FIRING' }] } });

      await save('"true"');
      await server.query('mutation ($id: ID!) { triggerRun(workflowId: $id) { id } }', { id: workflowId }, tokens.OPERATOR);
      const resolved = await pollUntil('the resolved webhook', 20_000, async () => receiver.received[1] ?? null);
      expect(JSON.parse(resolved.body)).toMatchObject({ type: 'alert.resolved', data: { alerts: [{ workflowName: 'deploy', state: 'RESOLVED' }] } });
      expect(resolved.headers['webhook-id']).not.toBe(firing.headers['webhook-id']);
    } finally {
      await receiver.close();
    }
  });
  it('previews a rule over past runs for a VIEWER: each episode with when it fired and resolved', async () => {
    const { services } = server.app;
    const workflow = await services.repositories.workflows.create({ id: newId('wf'), projectId, name: 'replayed', definition: 'steps:\n  - name: a\n    command: "true"\n', hash: 'replayed', tags: [] });
    for (const status of ['FAILED', 'FAILED', 'SUCCEEDED', 'FAILED'] as const) {
      const run = await createRunByHand(services, { projectId, workflowId: workflow.id, trigger: 'MANUAL', steps: ['a'] });
      await services.recorder.recordTransition({ runId: run.id, to: 'RUNNING' });
      await services.recorder.recordTransition({ runId: run.id, to: status });
    }
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const { body } = await server.query<{ previewAlertRule: { runsRead: number; episodes: { workflowName: string; firedAt: string; resolvedAt: string | null; summary: string }[] } }>(
      'query ($rule: AlertRuleInput!, $from: DateTime!, $to: DateTime!) { previewAlertRule(rule: $rule, from: $from, to: $to) { runsRead episodes { workflowName firedAt resolvedAt summary } } }',
      { rule: { projectId, name: 'streak', kind: 'CONSECUTIVE_FAILURES', count: 2, workflowNames: ['replayed'] }, from, to },
      tokens.VIEWER,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.previewAlertRule).toMatchObject({ runsRead: 4, episodes: [{ workflowName: 'replayed', resolvedAt: expect.any(String), summary: expect.stringContaining('2 consecutive failures') }] });
  });
  it('streams alert transitions to a VIEWER, and replays what a resuming subscriber missed with afterSeq', async () => {
    await server.query(SAVE_RULE, { input: { projectId, name: 'streamed', kind: 'RUN_FAILED', workflowNames: ['streamed'] } }, tokens.ADMIN);
    const saved = await server.query<{ saveWorkflow: { id: string } }>(
      'mutation ($projectId: ID!, $yaml: String!) { saveWorkflow(projectId: $projectId, yaml: $yaml) { id } }',
      { projectId, yaml: 'name: streamed\nsteps:\n  - name: a\n    command: exit 1\n' },
      tokens.ADMIN,
    );
    const wsUrl = server.url.replace('http', 'ws') + '/graphql';
    const query = 'subscription ($projectIds: [ID!], $afterSeq: String) { alertEvents(projectIds: $projectIds, afterSeq: $afterSeq) { seq alertId projectId from to } }';
    const live = await openRawSubscription(wsUrl, tokens.VIEWER ?? '', { query, variables: { projectIds: [projectId] } });
    try {
      await server.query('mutation ($id: ID!) { triggerRun(workflowId: $id) { id } }', { id: saved.body.data?.saveWorkflow.id }, tokens.OPERATOR);
      await live.received(1);
      const [event] = live.nexts as { data: { alertEvents: { seq: string; to: string; projectId: string } } }[];
      expect(event?.data.alertEvents).toMatchObject({ to: 'FIRING', projectId });

      const resumed = await openRawSubscription(wsUrl, tokens.VIEWER ?? '', { query, variables: { projectIds: [projectId], afterSeq: '0' } });
      try {
        await resumed.received(1);
        const seqs = (resumed.nexts as { data: { alertEvents: { seq: string } } }[]).map(({ data }) => BigInt(data.alertEvents.seq));
        expect(seqs).toEqual([...seqs].sort((a, b) => (a < b ? -1 : 1)));
        expect(seqs).toContain(BigInt(event?.data.alertEvents.seq ?? '0'));
      } finally {
        resumed.close();
      }
    } finally {
      live.close();
    }
  });
});
