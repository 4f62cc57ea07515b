import type { Db, Tx } from '../db/client.ts';
import type { AlertNotice } from '../domain/alerts/alert-notice.ts';
import { notificationStateOf, type NotificationState } from '../domain/alerts/notification-state.ts';


/** An outbox row as the dispatcher reads it; its payload is parsed by the caller, who decides what a bad one means. */
export interface OutboxNotification {
  id: string;
  contactPointId: string;
  projectId: string;
  payload: string;
  attempts: number;
  nextAttemptAt: Date;
  createdAt: Date;
}

/** What one attempt got from the endpoint. */
export interface AttemptRecord {
  at: Date;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** Where an attempt leaves its notification. */
export type AttemptOutcome = { state: 'DELIVERED' } | { state: 'PENDING'; nextAttemptAt: Date } | { state: 'FAILED' };

/** One line of a contact point's delivery log. */
export interface DeliveryLogEntry extends AttemptRecord {
  notificationId: string;
  payload: string;
  attempt: number;
  state: NotificationState;
}

// A test notice belongs to no rule's group.
const TEST_GROUP = 'test';

/** A notification to write to the outbox, PENDING until its first attempt. */
export interface NewNotification {
  id: string;
  contactPointId: string;
  projectId: string;
  groupKey: string;
  notice: AlertNotice;
  nextAttemptAt: Date;
  createdAt: Date;
}

/** Writes a notification to the outbox, on `client`: the transaction of the alert transition it tells of, so neither is without the other. */
export async function insertNotification(client: Db | Tx, notification: NewNotification): Promise<void> {
  const { notice, ...columns } = notification;
  await client.alertNotification.create({ data: { ...columns, payload: JSON.stringify(notice), state: 'PENDING' } });
}

/** The notification outbox and its delivery log (one AlertDelivery per attempt). */
export class AlertOutboxRepository {
  constructor(private readonly deps: { db: Db }) {}

  /** Writes a notification, due at `nextAttemptAt` (see insertNotification). */
  insert(notification: NewNotification): Promise<void> {
    return insertNotification(this.deps.db, notification);
  }

  /** PENDING notifications due at `now`, oldest due first, but none of the held contact points. */
  async due(now: Date, heldContactPointIds: readonly string[], limit: number): Promise<OutboxNotification[]> {
    return this.deps.db.alertNotification.findMany({
      where: { state: 'PENDING', nextAttemptAt: { lte: now }, ...(heldContactPointIds.length > 0 ? { contactPointId: { notIn: [...heldContactPointIds] } } : {}) },
      orderBy: [{ nextAttemptAt: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
      take: limit,
      select: { id: true, contactPointId: true, projectId: true, payload: true, attempts: true, nextAttemptAt: true, createdAt: true },
    });
  }

  /**
   * Takes the next attempt of a notification read with `attempts` attempts: counts it and moves
   * the notification out of reach until `until`, so that no other dispatcher sends it meanwhile,
   * and one that stops before recording the attempt leaves it due again then. False when another
   * dispatcher took it first.
   */
  async claim(id: string, attempts: number, until: Date): Promise<boolean> {
    const { count } = await this.deps.db.alertNotification.updateMany({ where: { id, state: 'PENDING', attempts }, data: { attempts: attempts + 1, nextAttemptAt: until } });
    return count === 1;
  }

  /** Records attempt `attempt` and where it leaves the notification; nothing when the notification is gone (its contact point was removed). */
  async record(id: string, attempt: number, record: AttemptRecord, outcome: AttemptOutcome, lastError: string | null): Promise<void> {
    await this.deps.db.$transaction(async (tx) => {
      const { count } = await tx.alertNotification.updateMany({
        where: { id, state: 'PENDING', attempts: attempt },
        data: {
          state: outcome.state,
          lastError,
          ...(outcome.state === 'PENDING' ? { nextAttemptAt: outcome.nextAttemptAt } : {}),
          ...(outcome.state === 'DELIVERED' ? { deliveredAt: record.at } : {}),
        },
      });
      if (count === 1) await tx.alertDelivery.create({ data: { notificationId: id, attempt, ...record } });
    });
  }

  /** A notification delivered (or not) at once, with its one attempt: a contact point's test. */
  async insertAttempted(notification: { id: string; contactPointId: string; projectId: string; notice: AlertNotice; createdAt: Date }, record: AttemptRecord, state: 'DELIVERED' | 'FAILED'): Promise<void> {
    await this.deps.db.$transaction(async (tx) => {
      await tx.alertNotification.create({
        data: {
          id: notification.id,
          contactPointId: notification.contactPointId,
          projectId: notification.projectId,
          groupKey: TEST_GROUP,
          payload: JSON.stringify(notification.notice),
          state,
          attempts: 1,
          nextAttemptAt: notification.createdAt,
          createdAt: notification.createdAt,
          deliveredAt: state === 'DELIVERED' ? record.at : null,
          lastError: record.error,
        },
      });
      await tx.alertDelivery.create({ data: { notificationId: notification.id, attempt: 1, ...record } });
    });
  }

  /**
   * Removes up to `limit` settled (DELIVERED or FAILED) notifications, with their attempts, whose
   * last attempt was before `before`; answers how many. A settled notification's nextAttemptAt is
   * when its last attempt was taken, so the index of the due query finds them too.
   */
  async deleteSettledBefore(before: Date, limit: number): Promise<number> {
    const rows = await this.deps.db.alertNotification.findMany({ where: { state: { in: ['DELIVERED', 'FAILED'] }, nextAttemptAt: { lt: before } }, select: { id: true }, take: limit });
    if (rows.length === 0) return 0;
    return (await this.deps.db.alertNotification.deleteMany({ where: { id: { in: rows.map((row) => row.id) } } })).count;
  }

  /** A contact point's latest attempts, newest notification first and its latest attempt first. */
  async deliveriesOf(contactPointId: string, first: number): Promise<DeliveryLogEntry[]> {
    const rows = await this.deps.db.alertDelivery.findMany({
      where: { notification: { contactPointId } },
      orderBy: [{ notification: { createdAt: 'desc' } }, { notificationId: 'desc' }, { attempt: 'desc' }],
      take: first,
      include: { notification: { select: { payload: true, state: true } } },
    });
    return rows.map((row) => ({
      notificationId: row.notificationId,
      payload: row.notification.payload,
      attempt: row.attempt,
      at: row.at,
      statusCode: row.statusCode,
      error: row.error,
      durationMs: row.durationMs,
      state: notificationStateOf(row.notification.state, `notification ${row.notificationId}`),
    }));
  }
}
