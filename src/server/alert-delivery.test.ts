import { commandLinePrincipal } from '../auth/principal.ts';
import { newId } from '../domain/ids.ts';
import { firingAlert, noticeOf } from '../test/alert-notices.ts';
import { startHttpReceiver, type HttpReceiver } from '../test/alert-receivers.ts';
import { pollUntil } from '../test/poll-until.ts';
import { startTestServer, type TestServer } from '../test/test-server.ts';

const SIGNING_KEY = `whsec_${Buffer.alloc(32, 12).toString('base64')}`;

describe('alert delivery in a PostgreSQL server process', () => {
  let server: TestServer;
  let receiver: HttpReceiver;

  beforeAll(async () => {
    receiver = await startHttpReceiver();
    // The scheduler on: the process takes the leader lease, whose duties deliver the outbox.
    server = await startTestServer('postgresql', { config: { scheduler: true, alertSecretKey: Buffer.alloc(32, 1) } });
  });
  afterAll(async () => {
    await server.stop();
    await receiver.close();
  });

  it('delivers what the evaluator commits to the outbox, on its own and when woken, without anyone asking', async () => {
    const { services } = server.app;
    const cli = commandLinePrincipal();
    const project = await services.access.createProject(cli, { slug: 'deliveries' });
    const contactPoint = await services.contactPoints.save(cli, { projectId: project.id, name: 'hook', kind: 'WEBHOOK', url: receiver.url, secret: SIGNING_KEY });
    const enqueue = async () => {
      const id = newId('msg');
      const notice = { ...noticeOf([firingAlert('failures', 'nightly')]), projectId: project.id };
      await services.repositories.alertOutbox.insert({ id, contactPointId: contactPoint.id, projectId: project.id, groupKey: 'test', notice, nextAttemptAt: new Date(), createdAt: new Date() });
      return id;
    };

    const first = await enqueue();
    await pollUntil('the first notification', 10_000, async () => (receiver.received.length >= 1 ? true : null));
    const second = await enqueue();
    services.alertDispatch.wake();
    await pollUntil('the second notification', 10_000, async () => (receiver.received.length >= 2 ? true : null));

    const delivered = await pollUntil('both recorded DELIVERED', 10_000, async () => {
      const rows = await server.database.db.alertNotification.findMany({ where: { id: { in: [first, second] }, state: 'DELIVERED' }, orderBy: { createdAt: 'asc' } });
      return rows.length === 2 ? rows.map((row) => row.id) : null;
    });

    expect(receiver.received.map((request) => request.headers['webhook-id'])).toEqual([first, second]);
    expect(delivered.sort()).toEqual([first, second].sort());
  });
});
