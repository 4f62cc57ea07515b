import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../../../src/test/test-server.ts';
import { createClient, type AlertEvent, type RuntrailClient } from '../src/index.ts';
import { present, takeUntil } from './fixtures.ts';

const FAILING = 'name: breaks\nsteps:\n  - name: fail\n    command: exit 1\n';

describe('client.alertEvents and the alert mutations', () => {
  let server: TestServer;
  let client: RuntrailClient;

  beforeAll(async () => {
    // The leader evaluates alert rules: a failed run fires a RUN_FAILED rule.
    server = await startTestServer('sqlite', { config: { scheduler: true } });
    client = createClient({ url: server.url, token: server.adminToken, webSocketImpl: WebSocket });
  });
  afterAll(async () => {
    await client.dispose();
    await server.stop();
  });

  it('streams a firing alert and its acknowledgement, and resumes after a seq with only what came later', async () => {
    const [project] = await client.projects();
    const projectId = present(project, 'a project').id;
    const rule = await client.saveAlertRule({ input: { projectId, name: 'any failure', kind: 'RUN_FAILED', workflowNames: ['breaks'] } });
    const workflow = await client.saveWorkflow({ projectId, yaml: FAILING });
    const feed = client.alertEvents({ projectIds: [projectId], afterSeq: '0' });

    await client.triggerRun({ workflowId: workflow.id });
    const [fired] = await takeUntil(feed, (events) => events.some((event) => event.to === 'FIRING'));
    const firing = present(fired, 'the firing event');
    const acknowledged = await client.acknowledgeAlert({ id: firing.alertId });
    const later = await takeUntil(client.alertEvents({ projectIds: [projectId], afterSeq: firing.seq }), (events: AlertEvent[]) => events.length > 0);

    expect(firing).toEqual(expect.objectContaining({ ruleId: rule.id, projectId, to: 'FIRING' }));
    expect(acknowledged).toEqual(expect.objectContaining({ id: firing.alertId, acknowledgedBy: expect.any(String) }));
    expect(later.map((event) => BigInt(event.seq) > BigInt(firing.seq))).toEqual([true]);
    expect(later[0]).toEqual(expect.objectContaining({ alertId: firing.alertId, actor: expect.any(String) }));
  });

  it('creates and expires a silence', async () => {
    const [project] = await client.projects();
    const projectId = present(project, 'a project').id;
    const endsAt = new Date(Date.now() + 60 * 60 * 1000);
    const silence = await client.createSilence({ input: { projectId, comment: 'maintenance', endsAt, workflowNames: ['breaks'] } });
    const expired = await client.expireSilence({ id: silence.id });

    expect(silence).toEqual(expect.objectContaining({ comment: 'maintenance', endsAt: endsAt.toISOString(), workflowNames: ['breaks'] }));
    expect(Date.parse(expired.endsAt)).toBeLessThanOrEqual(Date.now());
  });
});
