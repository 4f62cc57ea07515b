import pino from 'pino';
import { Webhook } from 'standardwebhooks';
import { commandLinePrincipal } from '../../auth/principal.ts';
import { alertDispatchSettings, type Services } from '../../composition.ts';
import type { AlertNotice } from '../../domain/alerts/alert-notice.ts';
import { newId } from '../../domain/ids.ts';
import { AlertOutboxRepository } from '../../repositories/alert-outbox.repository.ts';
import { firingAlert, noticeOf } from '../../test/alert-notices.ts';
import { startHttpReceiver, startSmtpReceiver, type HttpReceiver } from '../../test/alert-receivers.ts';
import { composeTestServices, TEST_ALERT_SECRET_KEY, TEST_ENGINE } from '../../test/compose.ts';
import { PROVIDERS, useMigratedDatabase } from '../../test/database-suite.ts';
import { ManualClock } from '../../test/manual-clock.ts';
import { AlertDispatcher, CIRCUIT_READ_MS } from './alert-dispatcher.service.ts';
import { NoticeSender } from './notice-sender.ts';
import { SecretBox } from './secret-box.ts';

const SIGNING_KEY = `whsec_${Buffer.alloc(32, 5).toString('base64')}`;
const cli = commandLinePrincipal();
const SETTINGS = alertDispatchSettings(TEST_ENGINE.leaseMs);

describe.each(PROVIDERS)('the alert outbox dispatcher on %s', (provider) => {
  const database = useMigratedDatabase(provider);
  let receiver: HttpReceiver;
  let clock: ManualClock;
  let services: Services;
  let projectId: string;

  beforeAll(async () => {
    receiver = await startHttpReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });
  beforeEach(async () => {
    receiver.received.length = 0;
    receiver.answer([200]);
    // Near the real time: receivers refuse a webhook-timestamp more than 5 minutes away.
    clock = new ManualClock(new Date(Math.floor(Date.now() / 1000) * 1000));
    services = composeTestServices(database(), { clock });
    // One outbox for the whole database: each test delivers only its own notifications.
    await database().db.alertNotification.deleteMany();
    projectId = (await services.access.createProject(cli, { slug: `alerts-${Math.random().toString(36).slice(2, 10)}` })).id;
  });

  const later = (ms: number) => clock.set(new Date(clock.now().getTime() + ms));

  async function webhook(name = 'hook'): Promise<string> {
    return (await services.contactPoints.save(cli, { projectId, name, kind: 'WEBHOOK', url: receiver.url, secret: SIGNING_KEY })).id;
  }

  async function enqueue(contactPointId: string, notice: AlertNotice = noticeOf([firingAlert('failures', 'nightly')]), dueInMs = 0): Promise<string> {
    const id = newId('msg', clock.now());
    await services.repositories.alertOutbox.insert({ id, contactPointId, projectId, groupKey: 'test', notice: { ...notice, projectId }, nextAttemptAt: new Date(clock.now().getTime() + dueInMs), createdAt: clock.now() });
    return id;
  }

  const notification = (id: string) => database().db.alertNotification.findUniqueOrThrow({ where: { id } });

  it('delivers a due notification signed per Standard Webhooks, its id the webhook-id, and leaves one not yet due', async () => {
    const contactPointId = await webhook();
    const notice = noticeOf([firingAlert('failures', 'nightly')]);
    const id = await enqueue(contactPointId, notice);
    const notYet = await enqueue(contactPointId, notice, 30_000);

    const taken = await services.alertDispatcher.deliverDue();

    expect(taken).toBe(1);
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    const headers = { 'webhook-id': String(request?.headers['webhook-id']), 'webhook-timestamp': String(request?.headers['webhook-timestamp']), 'webhook-signature': String(request?.headers['webhook-signature']) };
    expect(headers['webhook-id']).toBe(id);
    expect(new Webhook(SIGNING_KEY).verify(request?.body ?? '', headers)).toEqual({ type: 'alert.firing', timestamp: notice.at, data: { projectId, projectName: 'payments', alerts: notice.alerts } });
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 6).toString('base64')}`).verify(request?.body ?? '', headers)).toThrow('No matching signature found');
    expect(await notification(id)).toMatchObject({ state: 'DELIVERED', attempts: 1, lastError: null, deliveredAt: clock.now() });
    expect(await notification(notYet)).toMatchObject({ state: 'PENDING', attempts: 0 });
  });

  it('retries a receiver that answers 500 after a backoff, then delivers with the same webhook-id, every attempt in the delivery log', async () => {
    const contactPointId = await webhook();
    const id = await enqueue(contactPointId);
    receiver.answer([500, 500, 204], 'boom');

    await services.alertDispatcher.deliverDue();
    const afterFirst = await notification(id);
    await services.alertDispatcher.deliverDue();
    const sentBeforeTheBackoff = receiver.received.length;
    later(10_000);
    await services.alertDispatcher.deliverDue();
    later(20_000);
    await services.alertDispatcher.deliverDue();

    expect(afterFirst).toMatchObject({ state: 'PENDING', attempts: 1, lastError: 'HTTP 500: boom' });
    expect(afterFirst.nextAttemptAt.getTime() - afterFirst.createdAt.getTime()).toBeGreaterThanOrEqual(5_000);
    expect(afterFirst.nextAttemptAt.getTime() - afterFirst.createdAt.getTime()).toBeLessThanOrEqual(10_000);
    expect(sentBeforeTheBackoff).toBe(1);
    expect(receiver.received.map((request) => request.headers['webhook-id'])).toEqual([id, id, id]);
    expect(await notification(id)).toMatchObject({ state: 'DELIVERED', attempts: 3 });
    const point = (await services.contactPoints.list(cli, projectId))[0];
    const log = point ? await services.contactPoints.deliveries(cli, point, 10) : [];
    expect(log.map(({ notificationId, type, attempt, statusCode, error, state }) => ({ notificationId, type, attempt, statusCode, error, state }))).toEqual([
      { notificationId: id, type: 'alert.firing', attempt: 3, statusCode: 204, error: null, state: 'DELIVERED' },
      { notificationId: id, type: 'alert.firing', attempt: 2, statusCode: 500, error: 'HTTP 500: boom', state: 'DELIVERED' },
      { notificationId: id, type: 'alert.firing', attempt: 1, statusCode: 500, error: 'HTTP 500: boom', state: 'DELIVERED' },
    ]);
  });

  it('gives up at the 24 h horizon: FAILED with the last error', async () => {
    const contactPointId = await webhook();
    const id = await enqueue(contactPointId);
    receiver.answer([503], 'maintenance');

    await services.alertDispatcher.deliverDue();
    later(24 * 3_600_000);
    await services.alertDispatcher.deliverDue();
    later(3_600_000);
    await services.alertDispatcher.deliverDue();

    expect(receiver.received).toHaveLength(2);
    expect(await notification(id)).toMatchObject({ state: 'FAILED', attempts: 2, lastError: 'HTTP 503: maintenance', deliveredAt: null });
  });

  it('holds a contact point that failed 5 times in a row for the cool-down, then sends one probe, and the rest once it succeeds', async () => {
    const contactPointId = await webhook();
    const ids: string[] = [];
    for (let index = 0; index < 7; index += 1) ids.push(await enqueue(contactPointId));
    receiver.answer([500]);

    await services.alertDispatcher.deliverDue();
    const afterFive = receiver.received.length;
    later(30_000);
    await services.alertDispatcher.deliverDue();
    const duringCoolDown = receiver.received.length;
    later(31_000);
    await services.alertDispatcher.deliverDue();
    const afterFailedProbe = receiver.received.length;
    receiver.answer([200]);
    later(61_000);
    await services.alertDispatcher.deliverDue();

    expect([afterFive, duringCoolDown, afterFailedProbe]).toEqual([5, 5, 6]);
    const states = await Promise.all(ids.map(async (id) => (await notification(id)).state));
    expect(states).toEqual(Array.from({ length: 7 }, () => 'DELIVERED'));
    expect(receiver.received).toHaveLength(13);
  });

  it('keeps a circuit open across a change of leader: the next dispatcher holds the contact point for the rest of the cool-down, and saving the contact point closes it', async () => {
    const contactPointId = await webhook();
    for (let index = 0; index < 6; index += 1) await enqueue(contactPointId);
    receiver.answer([500]);
    await services.alertDispatcher.deliverDue();
    expect(receiver.received).toHaveLength(5);

    const nextLeader = composeTestServices(database(), { clock }).alertDispatcher;
    later(30_000);
    await nextLeader.deliverDue();
    expect(receiver.received).toHaveLength(5);
    later(31_000);
    await nextLeader.deliverDue();
    expect(receiver.received).toHaveLength(6);

    receiver.answer([200]);
    await services.contactPoints.save(cli, { id: contactPointId, projectId, name: 'hook', kind: 'WEBHOOK', url: receiver.url });
    later(CIRCUIT_READ_MS);
    await nextLeader.deliverDue();
    expect(receiver.received.length).toBeGreaterThan(6);
  });

  it('sends again, with the same webhook-id, a notification whose process stopped between the send and its record', async () => {
    const contactPointId = await webhook();
    const id = await enqueue(contactPointId);
    class StoppingOutbox extends AlertOutboxRepository {
      override record(): Promise<void> {
        return Promise.reject(new Error('the process stopped'));
      }
    }
    const stopping = new AlertDispatcher(
      {
        outbox: new StoppingOutbox({ db: database().db }),
        contactPoints: services.repositories.contactPoints,
        secrets: new SecretBox(TEST_ALERT_SECRET_KEY),
        sender: new NoticeSender({ timeoutMs: 10_000, guard: null }),
        clock,
        logger: pino({ level: 'silent' }),
        random: () => 0.5,
      },
      SETTINGS,
    );

    await expect(stopping.deliverDue()).rejects.toThrow('the process stopped');
    await services.alertDispatcher.deliverDue();
    const whileClaimed = receiver.received.length;
    later(SETTINGS.claimMs);
    await services.alertDispatcher.deliverDue();

    expect(whileClaimed).toBe(1);
    expect(receiver.received.map((request) => request.headers['webhook-id'])).toEqual([id, id]);
    expect(await notification(id)).toMatchObject({ state: 'DELIVERED', attempts: 2 });
  });

  it('keeps a settled notification in the delivery log 30 days after its last attempt, then removes it with its attempts', async () => {
    const contactPointId = await webhook();
    const start = clock.now().getTime();
    const delivered = await enqueue(contactPointId);
    await services.alertDispatcher.deliverDue();
    later(10 * 24 * 3_600_000);
    const recent = await enqueue(contactPointId);
    await services.alertDispatcher.deliverDue();
    const pending = await enqueue(contactPointId, undefined, 60 * 24 * 3_600_000);

    // The last attempt was taken at the start, until start + claimMs.
    clock.set(new Date(start + SETTINGS.keepSettledMs + SETTINGS.claimMs));
    const beforeThirtyDays = await services.alertDispatcher.pruneSettled();
    later(1);
    const afterThirtyDays = await services.alertDispatcher.pruneSettled();

    expect([beforeThirtyDays, afterThirtyDays]).toEqual([0, 1]);
    const left = await database().db.alertNotification.findMany({ where: { contactPointId }, select: { id: true } });
    expect(left.map((row) => row.id).sort()).toEqual([recent, pending].sort());
    expect(await database().db.alertDelivery.count({ where: { notificationId: delivered } })).toBe(0);
  });

  it('records a secret sealed under another key as a failed attempt naming ALERT_SECRET_KEY, and sends nothing', async () => {
    const contactPointId = await webhook();
    const id = await enqueue(contactPointId);
    const otherKey = composeTestServices(database(), { clock, alertSecretKey: { key: Buffer.alloc(32, 99), source: 'ALERT_SECRET_KEY' } });

    await otherKey.alertDispatcher.deliverDue();

    expect(receiver.received).toHaveLength(0);
    expect(await notification(id)).toMatchObject({
      state: 'PENDING',
      lastError: `The secret of contact point ${contactPointId} does not decrypt with the key of ALERT_SECRET_KEY: it was sealed under another key. Every process must run with the same ALERT_SECRET_KEY; set the key it was saved with, or save the contact point again with its secret`,
    });
  });

  it('refuses to save a secret on a server without ALERT_SECRET_KEY, saying what to set', async () => {
    const withoutKey = composeTestServices(database(), { clock, alertSecretKey: null });

    await expect(withoutKey.contactPoints.save(cli, { projectId, name: 'hook', kind: 'WEBHOOK', url: receiver.url, secret: SIGNING_KEY })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('Contact point secrets need ALERT_SECRET_KEY, which this server was started without: set it to 32 random bytes'),
    });
    expect(await withoutKey.contactPoints.list(cli, projectId)).toEqual([]);
  });

  it('delivers a Slack-compatible message to an incoming webhook', async () => {
    const contactPointId = (await services.contactPoints.save(cli, { projectId, name: 'chat', kind: 'SLACK', url: receiver.url })).id;
    await enqueue(contactPointId);

    await services.alertDispatcher.deliverDue();

    expect(JSON.parse(receiver.received[0]?.body ?? '{}')).toMatchObject({ text: '[FIRING] payments: failures on nightly', blocks: [{ type: 'header' }, { type: 'section' }] });
  });

  it('delivers an email through a real SMTP server, signed in with the sealed password', async () => {
    const smtp = await startSmtpReceiver('hunter2');
    try {
      const email = { host: '127.0.0.1', port: smtp.port, secure: false, user: 'alerts', from: 'runtrail@example.com', to: ['oncall@example.com', 'lead@example.com'] };
      const contactPointId = (await services.contactPoints.save(cli, { projectId, name: 'mail', kind: 'EMAIL', email, secret: 'hunter2' })).id;
      const id = await enqueue(contactPointId);

      await services.alertDispatcher.deliverDue();

      expect(smtp.messages).toHaveLength(1);
      const [message] = smtp.messages;
      expect(message?.subject).toBe('[FIRING] payments: failures on nightly');
      expect(message?.text).toContain('- failures on nightly (FIRING): 3 consecutive failures');
      expect(message?.messageId).toBe(`<${id}@runtrail>`);
      expect(await notification(id)).toMatchObject({ state: 'DELIVERED' });
      const stored = await database().db.contactPoint.findUniqueOrThrow({ where: { id: contactPointId } });
      expect(stored.secret).not.toContain('hunter2');
    } finally {
      await smtp.close();
    }
  });

  it('records a refused SMTP login as a failed attempt with the server’s answer', async () => {
    const smtp = await startSmtpReceiver('other');
    try {
      const email = { host: '127.0.0.1', port: smtp.port, secure: false, user: 'alerts', from: 'runtrail@example.com', to: ['oncall@example.com'] };
      const contactPointId = (await services.contactPoints.save(cli, { projectId, name: 'mail', kind: 'EMAIL', email, secret: 'hunter2' })).id;
      const id = await enqueue(contactPointId);

      await services.alertDispatcher.deliverDue();

      expect(smtp.messages).toHaveLength(0);
      expect(await notification(id)).toMatchObject({ state: 'PENDING', attempts: 1, lastError: expect.stringContaining('Invalid username or password') });
      const [delivery] = await database().db.alertDelivery.findMany({ where: { notificationId: id } });
      expect(delivery?.statusCode).toBe(535);
    } finally {
      await smtp.close();
    }
  });
});
