import type { Db, Tx } from '../db/client.ts';
import type { AlertNoticeType, AlertState, NoticedAlert } from '../domain/alerts/alert-notice.ts';
import { ALERT_STATES } from '../domain/alerts/alert-notice.ts';
import type { AlertProgress } from '../domain/alerts/alert-lifecycle.ts';
import { alertNoticeOf } from '../domain/alerts/alert-notice-json.ts';
import { insertNotification } from './alert-outbox.repository.ts';
import { newId } from '../domain/ids.ts';
import type { AlertEvent as AlertEventRow, AlertInstance as AlertInstanceRow } from '../generated/sqlite/client.ts';

export const ALERT_EVENT_COUNTER = 'alertEvent';
// The order alerts are listed in: what needs a person first.
const LIST_ORDER: readonly AlertState[] = ['FIRING', 'PENDING', 'RESOLVED', 'INACTIVE'];

export interface AlertInstanceRecord {
  id: string;
  ruleId: string;
  projectId: string;
  /** The workflow the alert is about. */
  groupKey: string;
  progress: AlertProgress;
  firingNotified: boolean;
  lastNotifiedAt: Date | null;
  acknowledgedBy: string | null;
  acknowledgedAt: Date | null;
  /** Set while it flaps (see flapping.ts). */
  flappingSince: Date | null;
  updatedAt: Date;
}

export interface AlertEventRecord {
  seq: bigint;
  instanceId: string;
  ruleId: string;
  projectId: string;
  from: AlertState | null;
  to: AlertState;
  at: Date;
  message: string | null;
  actor: string | null;
}

export interface AlertFilter {
  projectIds: readonly string[];
  states: readonly AlertState[];
  ruleIds: readonly string[];
}

/** A notice to add to its group's outbox row (created when the group has none waiting). */
export interface NoticeToSend {
  contactPointId: string;
  projectId: string;
  projectName: string;
  ruleId: string;
  type: AlertNoticeType;
  alert: NoticedAlert;
  now: Date;
  groupWaitMs: number;
}

/** Alert instances, their events, the evaluator's cursor and the writes to the outbox. */
export class AlertStateRepository {
  constructor(private readonly deps: { db: Db }) {}

  async cursor(name: string): Promise<bigint | null> {
    return (await this.deps.db.alertCursor.findUnique({ where: { name } }))?.seq ?? null;
  }

  /** Sets the cursor where it begins, unless another process set it first. */
  async startCursor(name: string, seq: bigint): Promise<void> {
    await this.deps.db.alertCursor.createMany({ data: [{ name, seq }] }).catch(async (error: unknown) => {
      if ((await this.cursor(name)) === null) throw error;
    });
  }

  async instancesOf(ruleId: string, groupKeys: readonly string[]): Promise<Map<string, AlertInstanceRecord>> {
    const rows = await this.deps.db.alertInstance.findMany({ where: { ruleId, groupKey: { in: [...groupKeys] } } });
    return new Map(rows.map((row) => [row.groupKey, instanceOf(row)]));
  }

  /** Alerts whose lifecycle may move with time alone, that may be due for a reminder, or that flap (they may settle). */
  async listLive(limit: number): Promise<AlertInstanceRecord[]> {
    const rows = await this.deps.db.alertInstance.findMany({ where: { OR: [{ state: { in: ['PENDING', 'FIRING'] } }, { flappingSince: { not: null } }] }, orderBy: { id: 'asc' }, take: limit });
    return rows.map(instanceOf);
  }

  /** When the alert fired or resolved since `since` (the changes flap damping counts). */
  async changeTimes(instanceId: string, since: Date): Promise<Date[]> {
    const rows = await this.deps.db.alertEvent.findMany({ where: { instanceId, to: { in: ['FIRING', 'RESOLVED'] }, at: { gt: since }, NOT: { from: 'FIRING', to: 'FIRING' } }, select: { at: true } });
    return rows.map(({ at }) => at);
  }

  async findInstance(id: string): Promise<AlertInstanceRecord | null> {
    const row = await this.deps.db.alertInstance.findUnique({ where: { id } });
    return row ? instanceOf(row) : null;
  }

  /**
   * Alerts by the filter: FIRING first, then PENDING, then RESOLVED (INACTIVE ones only when asked
   * for), most recently changed first within each: a state at a time, so the limit never drops a
   * FIRING alert for a resolved one.
   */
  async list(filter: AlertFilter, limit: number): Promise<AlertInstanceRecord[]> {
    const wanted = filter.states.length > 0 ? filter.states : ALERT_STATES.filter((state) => state !== 'INACTIVE');
    const found: AlertInstanceRecord[] = [];
    for (const state of LIST_ORDER) {
      if (!wanted.includes(state) || found.length >= limit) continue;
      const rows = await this.deps.db.alertInstance.findMany({
        where: { projectId: { in: [...filter.projectIds] }, state, ...(filter.ruleIds.length > 0 ? { ruleId: { in: [...filter.ruleIds] } } : {}) },
        orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
        take: limit - found.length,
      });
      found.push(...rows.map(instanceOf));
    }
    return found;
  }

  async eventsOf(instanceId: string, limit: number): Promise<AlertEventRecord[]> {
    const rows = await this.deps.db.alertEvent.findMany({ where: { instanceId }, orderBy: { seq: 'desc' }, take: limit });
    return rows.map(eventOf);
  }

  /** Events after `afterSeq` of these projects (every project when null), in seq order: at most `limit`. */
  async eventsAfter(afterSeq: bigint, projectIds: readonly string[] | null, limit: number): Promise<AlertEventRecord[]> {
    const rows = await this.deps.db.alertEvent.findMany({
      where: { seq: { gt: afterSeq }, ...(projectIds ? { projectId: { in: [...projectIds] } } : {}) },
      orderBy: { seq: 'asc' },
      take: limit,
    });
    return rows.map(eventOf);
  }

  /** The highest alert event seq recorded; 0 before the first. */
  async headSeq(): Promise<bigint> {
    return (await this.deps.db.eventCounter.findUnique({ where: { name: ALERT_EVENT_COUNTER } }))?.value ?? 0n;
  }

  /** Runs `work` in one transaction: what an evaluation changes commits whole, or not at all. */
  transaction<T>(work: (writes: AlertWrites) => Promise<T>): Promise<T> {
    return this.deps.db.$transaction((tx) => work(new AlertWrites(tx)));
  }
}

/** The writes of one evaluation, inside its transaction. */
export class AlertWrites {
  constructor(private readonly tx: Tx) {}

  /** Moves the cursor from `from` to `to`; false when another evaluator moved it first (then nothing of this one may commit). */
  async advanceCursor(name: string, from: bigint, to: bigint): Promise<boolean> {
    return (await this.tx.alertCursor.updateMany({ where: { name, seq: from }, data: { seq: to } })).count === 1;
  }

  /**
   * Writes what an evaluation decides of the alert. Its acknowledgement is a person's: left as
   * stored (an evaluation that read the alert before it was acknowledged must not undo it),
   * unless `clearAcknowledgement` (it fires anew).
   */
  async saveInstance(record: AlertInstanceRecord, clearAcknowledgement: boolean): Promise<void> {
    const { progress } = record;
    const columns = {
      state: progress.state,
      activeSince: progress.activeSince,
      lastActiveAt: progress.lastActiveAt,
      firedAt: progress.firedAt,
      resolvedAt: progress.resolvedAt,
      summary: progress.summary,
      firingNotified: record.firingNotified,
      lastNotifiedAt: record.lastNotifiedAt,
      flappingSince: record.flappingSince,
      updatedAt: record.updatedAt,
      ...(clearAcknowledgement ? { acknowledgedBy: null, acknowledgedAt: null } : {}),
    };
    await this.tx.alertInstance.upsert({
      where: { id: record.id },
      create: { id: record.id, ruleId: record.ruleId, projectId: record.projectId, groupKey: record.groupKey, ...columns },
      update: columns,
    });
  }

  /** Acknowledges a FIRING alert nobody acknowledged yet; false when it is not (any more). */
  async acknowledge(id: string, actor: string, at: Date): Promise<boolean> {
    const { count } = await this.tx.alertInstance.updateMany({ where: { id, state: 'FIRING', acknowledgedBy: null }, data: { acknowledgedBy: actor, acknowledgedAt: at, updatedAt: at } });
    return count === 1;
  }

  /** Appends the events with the next seqs of the alert feed (allocated in this transaction, so they become visible in commit order). */
  async appendEvents(events: readonly Omit<AlertEventRecord, 'seq'>[]): Promise<AlertEventRecord[]> {
    if (events.length === 0) return [];
    const count = BigInt(events.length);
    const counter = await this.tx.eventCounter.upsert({ where: { name: ALERT_EVENT_COUNTER }, create: { name: ALERT_EVENT_COUNTER, value: count }, update: { value: { increment: count } } });
    const first = counter.value - count + 1n;
    const records = events.map((event, index) => ({ ...event, seq: first + BigInt(index) }));
    await this.tx.alertEvent.createMany({ data: records });
    return records;
  }

  /**
   * Adds the alert to its group's notification still waiting out its group wait (one per contact
   * point, rule and kind of notice), or makes a new one, due once the group wait is over.
   */
  async addNotice(notice: NoticeToSend): Promise<void> {
    const groupKey = `${notice.ruleId}:${notice.type}`;
    const waiting = await this.waitingGroup(notice.contactPointId, groupKey, notice.now);
    if (waiting) {
      const payload = alertNoticeOf(waiting.payload, `notification ${waiting.id}`);
      const alerts = [...payload.alerts.filter(({ instanceId }) => instanceId !== notice.alert.instanceId), notice.alert];
      await this.tx.alertNotification.update({ where: { id: waiting.id }, data: { payload: JSON.stringify({ ...payload, alerts }) } });
      return;
    }
    await insertNotification(this.tx, {
      id: newId('msg', notice.now),
      contactPointId: notice.contactPointId,
      projectId: notice.projectId,
      groupKey,
      notice: { type: notice.type, projectId: notice.projectId, projectName: notice.projectName, alerts: [notice.alert], at: notice.now.toISOString() },
      nextAttemptAt: new Date(notice.now.getTime() + notice.groupWaitMs),
      createdAt: notice.now,
    });
  }

  /**
   * Takes the alert out of a firing (or resolved) notification that has not gone out yet (still
   * in its group wait, or its resolve hold); answers whether every contact point's had not: then
   * nobody heard it fire (or resolve), and the change back is not sent either.
   */
  async retractUnsent(alert: { instanceId: string; ruleId: string }, type: 'alert.firing' | 'alert.resolved', contactPointIds: readonly string[], now: Date): Promise<boolean> {
    let retracted = true;
    for (const contactPointId of contactPointIds) {
      const waiting = await this.waitingGroup(contactPointId, `${alert.ruleId}:${type}`, now);
      const payload = waiting ? alertNoticeOf(waiting.payload, `notification ${waiting.id}`) : null;
      if (!waiting || !payload?.alerts.some(({ instanceId }) => instanceId === alert.instanceId)) {
        retracted = false;
        continue;
      }
      const alerts = payload.alerts.filter(({ instanceId }) => instanceId !== alert.instanceId);
      if (alerts.length === 0) await this.tx.alertNotification.delete({ where: { id: waiting.id } });
      else await this.tx.alertNotification.update({ where: { id: waiting.id }, data: { payload: JSON.stringify({ ...payload, alerts }) } });
    }
    return retracted;
  }

  private waitingGroup(contactPointId: string, groupKey: string, now: Date) {
    return this.tx.alertNotification.findFirst({ where: { contactPointId, groupKey, state: 'PENDING', attempts: 0, nextAttemptAt: { gt: now } }, orderBy: { createdAt: 'desc' } });
  }
}

function alertStateOf(value: string, where: string): AlertState {
  const state = ALERT_STATES.find((candidate) => candidate === value);
  if (!state) throw new Error(`Unknown alert state "${value}" in ${where}`);
  return state;
}

function eventOf(row: AlertEventRow): AlertEventRecord {
  return { ...row, from: row.from === null ? null : alertStateOf(row.from, `alert event ${row.seq}`), to: alertStateOf(row.to, `alert event ${row.seq}`) };
}

function instanceOf(row: AlertInstanceRow): AlertInstanceRecord {
  return {
    id: row.id,
    ruleId: row.ruleId,
    projectId: row.projectId,
    groupKey: row.groupKey,
    progress: {
      state: alertStateOf(row.state, `alert ${row.id}`),
      activeSince: row.activeSince,
      lastActiveAt: row.lastActiveAt,
      firedAt: row.firedAt,
      resolvedAt: row.resolvedAt,
      summary: row.summary,
    },
    firingNotified: row.firingNotified,
    lastNotifiedAt: row.lastNotifiedAt,
    acknowledgedBy: row.acknowledgedBy,
    acknowledgedAt: row.acknowledgedAt,
    flappingSince: row.flappingSince,
    updatedAt: row.updatedAt,
  };
}
