import { startHttpReceiver, type HttpReceiver } from '../../test/alert-receivers.ts';
import { startTestServer, type TestServer } from '../../test/test-server.ts';
import { postJson } from './http-post.ts';
import { TargetGuard } from './target-guard.ts';

describe('where webhooks may not go (SSRF)', () => {
  const guard = new TargetGuard(['203.0.113.7', '2001:db8::7']);

  it('refuses loopback, link-local (cloud metadata), private and reserved ranges, IPv4 inside IPv6, and the server’s own addresses', () => {
    for (const address of ['127.0.0.1', '127.8.9.10', '169.254.169.254', '10.1.2.3', '172.16.0.1', '192.168.1.1', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:a9fe:a9fe', '64:ff9b::a9fe:a9fe', '203.0.113.7', '2001:db8::7']) {
      expect([address, guard.refusal(address, address)]).toEqual([address, expect.stringContaining(`Refused to connect to ${address}`)]);
    }
    expect(guard.refusal('169.254.169.254', 'metadata.internal')).toBe(
      "Refused to connect to 169.254.169.254 (metadata.internal): it is link-local (169.254.0.0/16, where cloud metadata services answer). Contact points may not reach loopback, link-local, private or this server's own addresses unless the instance sets ALERT_ALLOW_PRIVATE_TARGETS=true",
    );
    for (const address of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700::1111']) expect(guard.refusal(address, address)).toBeNull();
  });

  describe('on a real receiver', () => {
    let receiver: HttpReceiver;
    beforeAll(async () => {
      receiver = await startHttpReceiver();
    });
    afterAll(async () => {
      await receiver.close();
    });

    it('checks the address a name resolves to as it connects, not only the URL text', async () => {
      const byName = receiver.url.replace('127.0.0.1', 'localhost');
      const result = await postJson(byName, '{}', {}, 2_000, guard);

      expect(result).toEqual({ ok: false, statusCode: null, error: expect.stringMatching(/^Refused to connect to (127\.0\.0\.1|::1) \(localhost\): it is loopback/) });
      expect(await postJson(receiver.url, '{}', {}, 2_000, guard)).toMatchObject({ ok: false, error: expect.stringContaining('Refused to connect to 127.0.0.1: it is loopback') });
      expect(receiver.received).toEqual([]);
      expect(await postJson(byName, '{}', {}, 2_000, null)).toMatchObject({ ok: true, statusCode: 200 });
    });
  });

  describe('on a server without ALERT_ALLOW_PRIVATE_TARGETS', () => {
    let server: TestServer;
    let receiver: HttpReceiver;
    beforeAll(async () => {
      receiver = await startHttpReceiver();
      server = await startTestServer('sqlite', { config: { alertAllowPrivateTargets: false } });
    });
    afterAll(async () => {
      await server.stop();
      await receiver.close();
    });

    it('answers the test of a contact point aimed at it, or at cloud metadata, with the refusal, and logs it', async () => {
      const project = await server.query<{ createProject: { id: string } }>('mutation { createProject(slug: "guarded") { id } }');
      const projectId = project.body.data?.createProject.id;
      const save = (name: string, url: string) =>
        server.query<{ saveContactPoint: { id: string } }>('mutation ($input: ContactPointInput!) { saveContactPoint(input: $input) { id } }', { input: { projectId, name, kind: 'SLACK', url } });
      const local = (await save('local', receiver.url.replace('127.0.0.1', 'localhost'))).body.data?.saveContactPoint.id;
      const metadata = (await save('metadata', 'http://169.254.169.254/latest/meta-data/')).body.data?.saveContactPoint.id;
      const test = async (id: string | undefined) => (await server.query<{ testContactPoint: { ok: boolean; error: string | null } }>('mutation ($id: ID!) { testContactPoint(id: $id) { ok error } }', { id })).body.data?.testContactPoint;

      expect(await test(local)).toEqual({ ok: false, error: expect.stringMatching(/^Refused to connect to .* \(localhost\): it is loopback.*ALERT_ALLOW_PRIVATE_TARGETS=true$/) });
      expect(await test(metadata)).toEqual({ ok: false, error: expect.stringContaining('Refused to connect to 169.254.169.254: it is link-local') });
      expect(receiver.received).toEqual([]);
      const log = await server.query<{ contactPoints: { name: string; deliveries: { error: string | null; state: string }[] }[] }>(
        'query ($projectId: ID!) { contactPoints(projectId: $projectId) { name deliveries(first: 5) { error state } } }',
        { projectId },
      );
      expect(log.body.data?.contactPoints.find(({ name }) => name === 'metadata')?.deliveries).toEqual([{ error: expect.stringContaining('link-local'), state: 'FAILED' }]);
    });
  });
});
