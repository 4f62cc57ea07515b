import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { openDatabase, type Database } from '../db/client.ts';
import { newId } from '../domain/ids.ts';
import { AlertOutboxRepository } from '../repositories/alert-outbox.repository.ts';
import { firingAlert, noticeOf } from '../test/alert-notices.ts';
import { startHttpReceiver, type HttpReceiver } from '../test/alert-receivers.ts';
import { pollUntil } from '../test/poll-until.ts';
import { killServers, startServerProcess, type ServerProcess } from '../test/server-process.ts';

const SIGNING_KEY = `whsec_${Buffer.alloc(32, 21).toString('base64')}`;

describe('alert delivery killed in the middle of an attempt', () => {
  let dataDir: string;
  let receiver: HttpReceiver;
  let database: Database | null = null;
  const servers: ServerProcess[] = [];
  // The killed leader's lease, and so its claim on the attempt (10 s beyond it), runs out this soon.
  // The receiver listens on this machine: the webhook guard must let deliveries reach it.
  const env = () => ({ DATA_DIR: dataDir, LOAD_EXAMPLES: 'false', LEASE_SECONDS: '2', ALERT_ALLOW_PRIVATE_TARGETS: 'true' });

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-alert-crash-'));
    receiver = await startHttpReceiver();
  });
  afterAll(async () => {
    await killServers(servers);
    await database?.close();
    await receiver.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends the notification again with the same webhook-id after a SIGKILL between the send and its record', async () => {
    const first = await startServerProcess(env());
    servers.push(first);
    await first.ready();
    const token = readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
    const graphql = async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
      const response = await fetch(`${first.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
      return ((await response.json()) as { data: T }).data;
    };
    const { projects } = await graphql<{ projects: { id: string }[] }>('{ projects { id } }');
    const projectId = projects[0]?.id ?? '';
    const { saveContactPoint } = await graphql<{ saveContactPoint: { id: string } }>('mutation ($input: ContactPointInput!) { saveContactPoint(input: $input) { id } }', {
      input: { projectId, name: 'hook', kind: 'WEBHOOK', url: receiver.url, secret: SIGNING_KEY },
    });
    const contactPointId = saveContactPoint.id;
    database = await openDatabase({ provider: 'sqlite', url: `file:${path.join(dataDir, 'runtrail.db')}` }, pino({ level: 'silent' }));
    // The receiver takes the request and never answers: the leader is killed while it waits.
    receiver.answer([0]);
    const id = newId('msg');
    const notice = { ...noticeOf([firingAlert('failures', 'nightly')]), projectId };
    await new AlertOutboxRepository({ db: database.db }).insert({ id, contactPointId, projectId, groupKey: 'test', notice, nextAttemptAt: new Date(), createdAt: new Date() });

    await pollUntil('the first attempt to arrive', 20_000, async () => (receiver.received.length >= 1 ? true : null));
    first.child.kill('SIGKILL');
    await first.exited;
    receiver.answer([200]);
    const second = await startServerProcess(env());
    servers.push(second);
    const db = database.db;
    const delivered = await pollUntil('the notification to be delivered', 60_000, async () => {
      const row = await db.alertNotification.findUniqueOrThrow({ where: { id } });
      return row.state === 'DELIVERED' ? row : null;
    });

    expect(receiver.received.map((request) => request.headers['webhook-id'])).toEqual([id, id]);
    expect(delivered).toMatchObject({ state: 'DELIVERED', attempts: 2 });
    expect(await db.alertDelivery.findMany({ where: { notificationId: id }, select: { attempt: true, statusCode: true } })).toEqual([{ attempt: 2, statusCode: 200 }]);
  }, 120_000);
});
