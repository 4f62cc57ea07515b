import type { Logger } from 'pino';
import { alertNoticeOf } from '../../domain/alerts/alert-notice-json.ts';
import { CircuitBreakers } from '../../domain/alerts/circuit-breakers.ts';
import type { ContactPointRecord } from '../../domain/alerts/contact-point.ts';
import { nextAttemptAfterFailure, type DeliveryPolicy } from '../../domain/alerts/delivery-policy.ts';
import type { Clock } from '../../domain/clock.ts';
import type { AlertOutboxRepository, AttemptOutcome, AttemptRecord, OutboxNotification } from '../../repositories/alert-outbox.repository.ts';
import type { ContactPointRepository } from '../../repositories/contact-point.repository.ts';
import type { DeliveryResult } from './delivery-result.ts';
import { errorText } from './http-post.ts';
import type { NoticeSender, Outgoing } from './notice-sender.ts';
import type { SecretBox } from './secret-box.ts';

export interface DispatchSettings extends DeliveryPolicy {
  /** Notifications taken per round. */
  batchSize: number;
  /**
   * How long a taken notification stays out of other dispatchers' reach: longer than an attempt
   * can last, so that only a process that stopped mid-attempt leaves it to be sent again.
   */
  claimMs: number;
  /** How long the delivery log keeps a notification after its last attempt (DELIVERED or FAILED). */
  keepSettledMs: number;
}

// How often a dispatcher reads the stored circuits (at its first round, then at most this often):
// what another leader or a change of a contact point did reaches it within this, and a round
// that follows a run end costs no extra query.
export const CIRCUIT_READ_MS = 10_000;

// Notifications removed per statement when the log is trimmed: a short write each.
const PRUNE_BATCH = 1_000;

/** An attempt as the delivery log keeps it. */
export type Attempt = AttemptRecord & { ok: boolean };

/**
 * Delivers the outbox: each round takes the PENDING notifications that are due, oldest first,
 * and delivers each contact point's in order (contact points side by side). Every attempt is
 * taken first (counted, and out of reach until `claimMs`), then sent, then recorded with where it
 * leaves the notification: DELIVERED, PENDING again after a backoff, or FAILED past the horizon.
 * A process that stops between the send and the record leaves the notification to be sent again
 * once the claim runs out, with the same id: delivery is at least once, and receivers deduplicate
 * by the webhook-id. Contact points that keep failing are held by their circuit breaker, stored
 * on the contact point so that the next leader keeps holding them.
 */
export class AlertDispatcher {
  private readonly breakers: CircuitBreakers;
  private circuitsReadAt: number | null = null;

  constructor(
    private readonly deps: {
      outbox: AlertOutboxRepository;
      contactPoints: ContactPointRepository;
      secrets: SecretBox;
      sender: NoticeSender;
      clock: Clock;
      logger: Logger;
      /** In [0, 1): the jitter of the backoff. */
      random: () => number;
    },
    private readonly settings: DispatchSettings,
  ) {
    this.breakers = new CircuitBreakers({ failures: settings.breakerFailures, coolDownMs: settings.breakerCoolDownMs });
  }

  /** One round; answers how many notifications it took, so that a full batch is followed by another round at once. */
  async deliverDue(): Promise<number> {
    const now = this.deps.clock.now();
    // The circuits as stored: a leader before this one, or a change of a contact point through any process, may have moved them.
    if (this.circuitsReadAt === null || now.getTime() - this.circuitsReadAt >= CIRCUIT_READ_MS) {
      this.breakers.load(await this.deps.contactPoints.circuits());
      this.circuitsReadAt = now.getTime();
    }
    const due = await this.deps.outbox.due(now, this.breakers.held(now), this.settings.batchSize);
    if (due.length === 0) return 0;
    const contactPoints = new Map((await this.deps.contactPoints.listByIds([...new Set(due.map((notification) => notification.contactPointId))])).map((point) => [point.id, point]));
    const groups = new Map<string, OutboxNotification[]>();
    for (const notification of due) groups.set(notification.contactPointId, [...(groups.get(notification.contactPointId) ?? []), notification]);
    await Promise.all(
      [...groups].map(async ([contactPointId, notifications]) => {
        const contactPoint = contactPoints.get(contactPointId);
        // Removed since the read: its outbox went with it.
        if (!contactPoint) return;
        for (const notification of notifications) {
          if (!this.breakers.allow(contactPointId, this.deps.clock.now())) return;
          await this.deliver(notification, contactPoint);
        }
      }),
    );
    return due.length;
  }

  /** Sends a notice to a contact point at once and times it: a round's attempt, or a contact point's test. */
  async attemptNow(contactPoint: ContactPointRecord, outgoing: Outgoing): Promise<Attempt> {
    const started = performance.now();
    let result: DeliveryResult;
    try {
      const secret = contactPoint.secret === null ? null : this.deps.secrets.open(contactPoint.secret, contactPoint.id);
      result = await this.deps.sender.send(contactPoint.settings, secret, outgoing);
    } catch (error) {
      result = { ok: false, statusCode: null, error: errorText(error) };
    }
    return { ok: result.ok, statusCode: result.statusCode, error: result.error, at: this.deps.clock.now(), durationMs: Math.round(performance.now() - started) };
  }

  /** Trims the delivery log: notifications settled longer than keepSettledMs ago go, with their attempts. Answers how many. */
  async pruneSettled(): Promise<number> {
    const before = new Date(this.deps.clock.now().getTime() - this.settings.keepSettledMs);
    let removed = 0;
    for (;;) {
      const count = await this.deps.outbox.deleteSettledBefore(before, PRUNE_BATCH);
      removed += count;
      if (count < PRUNE_BATCH) return removed;
    }
  }

  /** A contact point changed or went: its circuit starts afresh. */
  forget(contactPointId: string): void {
    this.breakers.forget(contactPointId);
  }

  private async deliver(notification: OutboxNotification, contactPoint: ContactPointRecord): Promise<void> {
    const now = this.deps.clock.now();
    if (!(await this.deps.outbox.claim(notification.id, notification.attempts, new Date(now.getTime() + this.settings.claimMs)))) return;
    const attempt = notification.attempts + 1;
    let outgoing: Outgoing;
    try {
      outgoing = { id: notification.id, notice: alertNoticeOf(notification.payload, `notification ${notification.id}`), at: now };
    } catch (error) {
      const message = `Not delivered: ${errorText(error)}`;
      await this.deps.outbox.record(notification.id, attempt, { at: now, statusCode: null, error: message, durationMs: 0 }, { state: 'FAILED' }, message);
      this.deps.logger.error({ notificationId: notification.id, error: message }, 'alert.notification_unreadable');
      return;
    }
    const { ok, ...record } = await this.attemptNow(contactPoint, outgoing);
    let outcome: AttemptOutcome = { state: 'DELIVERED' };
    if (ok) {
      if (this.breakers.succeeded(contactPoint.id)) await this.deps.contactPoints.saveCircuit(contactPoint.id, { failures: 0, openUntil: null });
    } else {
      await this.deps.contactPoints.saveCircuit(contactPoint.id, this.breakers.failed(contactPoint.id, record.at));
      const next = nextAttemptAfterFailure(this.settings, notification.createdAt, attempt, record.at, this.deps.random());
      outcome = next === null ? { state: 'FAILED' } : { state: 'PENDING', nextAttemptAt: next };
    }
    await this.deps.outbox.record(notification.id, attempt, record, outcome, record.error);
    const fields = { notificationId: notification.id, contactPointId: contactPoint.id, attempt, statusCode: record.statusCode, durationMs: record.durationMs };
    if (outcome.state === 'DELIVERED') this.deps.logger.info(fields, 'alert.delivered');
    else if (outcome.state === 'PENDING') this.deps.logger.warn({ ...fields, error: record.error, nextAttemptAt: outcome.nextAttemptAt }, 'alert.delivery_failed');
    else this.deps.logger.error({ ...fields, error: record.error }, 'alert.notification_failed');
  }
}
