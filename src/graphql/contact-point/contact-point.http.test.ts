import { statSync } from 'node:fs';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { commandLinePrincipal } from '../../auth/principal.ts';
import type { Role } from '../../domain/vocabulary.ts';
import { startHttpReceiver, type HttpReceiver } from '../../test/alert-receivers.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';

const FIELDS = 'id projectId name kind url hasSecret email { host port secure user from to }';
const SAVE = `mutation ($input: ContactPointInput!) { saveContactPoint(input: $input) { ${FIELDS} } }`;
const LIST = `query ($projectId: ID!) { contactPoints(projectId: $projectId) { ${FIELDS} } }`;
const LOG = 'query ($projectId: ID!) { contactPoints(projectId: $projectId) { name deliveries(first: 10) { notificationId type attempt statusCode error state } } }';
const TEST = 'mutation ($id: ID!) { testContactPoint(id: $id) { notificationId ok statusCode error durationMs } }';
const SIGNING_KEY = `whsec_${Buffer.alloc(32, 11).toString('base64')}`;

interface View {
  id: string;
  url: string | null;
  hasSecret: boolean;
  kind: string;
}

interface TestResult {
  notificationId: string;
  ok: boolean;
  statusCode: number | null;
  error: string | null;
}

describe('contact points over GraphQL', () => {
  let server: TestServer;
  let receiver: HttpReceiver;
  let projectId: string;
  const tokens: Partial<Record<Role, string>> = {};

  beforeAll(async () => {
    server = await startTestServer('sqlite', { config: { executes: false } });
    receiver = await startHttpReceiver();
    const { access } = server.app.services;
    const cli = commandLinePrincipal();
    projectId = (await access.createProject(cli, { slug: 'payments', name: 'Payments' })).id;
    for (const role of ['VIEWER', 'ADMIN'] as const) {
      const user = await access.createUser(cli, { username: `contacts-${role.toLowerCase()}` });
      await access.addMember(cli, { projectId, username: user.username, role });
      tokens[role] = (await access.createToken(cli, user.id, { name: 'test' })).secret;
    }
  });
  afterAll(async () => {
    await receiver.close();
    await server.stop();
  });
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.answer([200]);
  });

  async function save(input: Record<string, unknown>, token = tokens.ADMIN) {
    return server.query<{ saveContactPoint: View }>(SAVE, { input: { projectId, ...input } }, token);
  }

  it('saves a signed webhook whose secret is never returned, and shows its URL in full only to ADMINs', async () => {
    const saved = await save({ name: 'hook', kind: 'WEBHOOK', url: receiver.url, secret: SIGNING_KEY });
    const asAdmin = await server.query<{ contactPoints: View[] }>(LIST, { projectId }, tokens.ADMIN);
    const asViewer = await server.query<{ contactPoints: View[] }>(LIST, { projectId }, tokens.VIEWER);
    const askingForTheSecret = await server.query(`query ($projectId: ID!) { contactPoints(projectId: $projectId) { secret } }`, { projectId }, tokens.ADMIN);

    expect(saved.body.errors).toBeUndefined();
    expect(saved.body.data?.saveContactPoint).toMatchObject({ name: 'hook', kind: 'WEBHOOK', url: receiver.url, hasSecret: true, email: null });
    expect(JSON.stringify([saved.body, asAdmin.body, asViewer.body])).not.toContain(SIGNING_KEY.slice(6));
    expect(asAdmin.body.data?.contactPoints.map((point) => point.url)).toEqual([receiver.url]);
    expect(asViewer.body.data?.contactPoints.map((point) => [point.url, point.hasSecret])).toEqual([[`${new URL(receiver.url).origin}/…`, true]]);
    expect(askingForTheSecret.body.errors?.[0]?.message).toBe('Cannot query field "secret" on type "ContactPoint". Did you mean "hasSecret"?');
    const stored = await server.database.db.contactPoint.findMany({ where: { projectId } });
    expect(stored.map((point) => point.secret?.startsWith('v1.'))).toEqual([true]);
    expect(statSync(path.join(server.dataDir, 'alert-secret-key')).mode & 0o777).toBe(0o600);
  });

  it('tests a contact point at once: a signed alert.test notice reaches the receiver, and the attempt joins the delivery log', async () => {
    const [hook] = (await server.query<{ contactPoints: View[] }>(LIST, { projectId }, tokens.ADMIN)).body.data?.contactPoints ?? [];

    const { body } = await server.query<{ testContactPoint: TestResult }>(TEST, { id: hook?.id }, tokens.ADMIN);
    receiver.answer([500], 'nope');
    const failing = await server.query<{ testContactPoint: TestResult }>(TEST, { id: hook?.id }, tokens.ADMIN);
    const log = await server.query<{ contactPoints: { deliveries: unknown[] }[] }>(LOG, { projectId }, tokens.ADMIN);
    const viewerLog = await server.query(LOG, { projectId }, tokens.VIEWER);

    expect(body.errors).toBeUndefined();
    const result = body.data?.testContactPoint;
    expect(result).toMatchObject({ ok: true, statusCode: 200, error: null });
    const request = receiver.received[0];
    const headers = { 'webhook-id': String(request?.headers['webhook-id']), 'webhook-timestamp': String(request?.headers['webhook-timestamp']), 'webhook-signature': String(request?.headers['webhook-signature']) };
    expect(headers['webhook-id']).toBe(result?.notificationId);
    expect(new Webhook(SIGNING_KEY).verify(request?.body ?? '', headers)).toMatchObject({ type: 'alert.test', data: { projectId, projectName: 'Payments', alerts: [] } });
    expect(failing.body.data?.testContactPoint).toMatchObject({ ok: false, statusCode: 500, error: 'HTTP 500: nope' });
    expect(log.body.data?.contactPoints[0]?.deliveries).toEqual([
      { notificationId: failing.body.data?.testContactPoint.notificationId, type: 'alert.test', attempt: 1, statusCode: 500, error: 'HTTP 500: nope', state: 'FAILED' },
      { notificationId: result?.notificationId, type: 'alert.test', attempt: 1, statusCode: 200, error: null, state: 'DELIVERED' },
    ]);
    expect(viewerLog.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('keeps the signing key when a change leaves the secret out, refuses to remove it, and drops it when the kind changes', async () => {
    const [hook] = (await server.query<{ contactPoints: View[] }>(LIST, { projectId }, tokens.ADMIN)).body.data?.contactPoints ?? [];

    const renamed = await save({ id: hook?.id, name: 'hook renamed', kind: 'WEBHOOK', url: receiver.url });
    const tested = await server.query<{ testContactPoint: TestResult }>(TEST, { id: hook?.id }, tokens.ADMIN);
    const removing = await save({ id: hook?.id, name: 'hook renamed', kind: 'WEBHOOK', url: receiver.url, secret: '' });
    const toSlack = await save({ id: hook?.id, name: 'chat', kind: 'SLACK', url: receiver.url });

    expect(renamed.body.data?.saveContactPoint).toMatchObject({ name: 'hook renamed', hasSecret: true });
    expect(tested.body.data?.testContactPoint.ok).toBe(true);
    const request = receiver.received[0];
    expect(() => new Webhook(SIGNING_KEY).verify(request?.body ?? '', { 'webhook-id': String(request?.headers['webhook-id']), 'webhook-timestamp': String(request?.headers['webhook-timestamp']), 'webhook-signature': String(request?.headers['webhook-signature']) })).not.toThrow();
    expect(removing.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(removing.body.errors?.[0]?.message).toContain('input.secret is missing; a WEBHOOK signs every message (Standard Webhooks)');
    expect(toSlack.body.data?.saveContactPoint).toMatchObject({ kind: 'SLACK', hasSecret: false });
  });

  it('saves an email contact point with its SMTP settings and password, and refuses bad input and a name taken', async () => {
    const email = { host: 'smtp.example.com', port: 587, secure: false, user: 'alerts', from: 'alerts@example.com', to: ['oncall@example.com'] };

    const saved = await save({ name: 'mail', kind: 'EMAIL', email, secret: 'hunter2' });
    const invalid = await save({ name: 'broken', kind: 'WEBHOOK', url: 'file:///etc/passwd', secret: 'whsec_short' });
    const taken = await save({ name: 'mail', kind: 'SLACK', url: receiver.url });
    const asViewer = await save({ name: 'viewer', kind: 'SLACK', url: receiver.url }, tokens.VIEWER);

    expect(saved.body.data?.saveContactPoint).toMatchObject({ kind: 'EMAIL', url: null, hasSecret: true, email });
    expect(invalid.body.errors?.[0]?.message).toBe(
      [
        'The contact point is invalid:',
        'input.url is "file:///etc/passwd"; only http:// and https:// URLs are posted to',
        'input.secret is not a Standard Webhooks signing key; give "whsec_" and the base64 of 24 to 64 random bytes (e.g. "whsec_" + `openssl rand -base64 32`)',
      ].join('\n'),
    );
    expect(taken.body.errors?.[0]).toMatchObject({ message: `Project ${projectId} has a contact point named "mail" already; choose another name`, extensions: { code: 'CONFLICT' } });
    expect(asViewer.body.errors?.[0]?.message).toBe(`You need the ADMIN role in project ${projectId} to change its workflows, members, tokens or retention`);
  });

  it('deletes a contact point with its delivery log', async () => {
    const points = (await server.query<{ contactPoints: View[] }>(LIST, { projectId }, tokens.ADMIN)).body.data?.contactPoints ?? [];
    const chat = points.find((point) => point.kind === 'SLACK');

    const { body } = await server.query<{ deleteContactPoint: string }>('mutation ($id: ID!) { deleteContactPoint(id: $id) }', { id: chat?.id }, tokens.ADMIN);
    const again = await server.query('mutation ($id: ID!) { deleteContactPoint(id: $id) }', { id: chat?.id }, tokens.ADMIN);

    expect(body.data?.deleteContactPoint).toBe(chat?.id);
    expect(again.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await server.database.db.alertNotification.count({ where: { contactPointId: chat?.id ?? '' } })).toBe(0);
    expect((await server.query<{ contactPoints: View[] }>(LIST, { projectId }, tokens.ADMIN)).body.data?.contactPoints.map((point) => point.kind)).toEqual(['EMAIL']);
  });
});
