import { assertCan, assertCanInProject, can } from '../../auth/permissions.ts';
import type { Principal } from '../../auth/principal.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import type { AlertNoticeType } from '../../domain/alerts/alert-notice.ts';
import { alertNoticeOf } from '../../domain/alerts/alert-notice-json.ts';
import { readContactPointChange, type ContactPointChange, type ContactPointKind, type ContactPointRecord, type EmailSettings } from '../../domain/alerts/contact-point.ts';
import type { Clock } from '../../domain/clock.ts';
import { AppError, notFound } from '../../domain/errors.ts';
import { newId } from '../../domain/ids.ts';
import type { NotificationState } from '../../domain/alerts/notification-state.ts';
import type { AlertOutboxRepository } from '../../repositories/alert-outbox.repository.ts';
import type { ContactPointRepository } from '../../repositories/contact-point.repository.ts';
import type { ProjectRepository } from '../../repositories/project.repository.ts';
import type { AlertDispatcher } from './alert-dispatcher.service.ts';
import { refuseOwned } from './alert-rule.service.ts';
import type { SecretBox } from './secret-box.ts';

export const DELIVERIES_MAX = 200;

/** A contact point as the API shows it: never its secret, only whether it has one. */
export interface ContactPointView {
  id: string;
  projectId: string;
  name: string;
  kind: ContactPointKind;
  /**
   * WEBHOOK and SLACK: where it posts. Only those who may change the contact point see all of
   * it; others see its origin, since an incoming webhook's URL is a credential too.
   */
  url: string | null;
  email: EmailSettings | null;
  hasSecret: boolean;
  /** The workflow whose file made it (its mailOn); null: made through the API. */
  ownerWorkflowId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** One attempt of the delivery log. */
export interface DeliveryView {
  notificationId: string;
  type: AlertNoticeType;
  attempt: number;
  at: Date;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  /** Where the notification stands now. */
  state: NotificationState;
}

/** What a contact point's test got. */
export interface ContactPointTestResult {
  notificationId: string;
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** Contact points of a project: its readers see them, its ADMINs change and test them and read their delivery log. */
export class ContactPointService {
  constructor(
    private readonly deps: {
      contactPoints: ContactPointRepository;
      outbox: AlertOutboxRepository;
      projects: ProjectRepository;
      secrets: SecretBox;
      dispatcher: AlertDispatcher;
      clock: Clock;
    },
  ) {}

  async list(principal: Principal, projectId: string): Promise<ContactPointView[]> {
    assertCanInProject(principal, 'read', projectId);
    if (!(await this.deps.projects.findById(projectId))) throw notFound('Project', projectId);
    return (await this.deps.contactPoints.listOf(projectId)).map((point) => viewOf(point, can(principal, 'administer', projectId)));
  }

  /** Creates a contact point (no id) or replaces one's name, kind, settings and, when given, secret. */
  async save(principal: Principal, change: ContactPointChange): Promise<ContactPointView> {
    const existing = change.id ? await this.existing(principal, change.id) : null;
    if (existing) refuseOwned('Contact point', existing.id, existing.ownerWorkflowId);
    if (existing && existing.projectId !== change.projectId) {
      throw new AppError('BAD_USER_INPUT', `Contact point ${existing.id} belongs to project ${existing.projectId}, not ${change.projectId}; a contact point cannot move, create one in the other project`, { argument: 'input.projectId' });
    }
    if (!existing) {
      assertCanInProject(principal, 'administer', change.projectId, 'input.projectId');
      if (!(await this.deps.projects.findById(change.projectId))) throw notFound('Project', change.projectId);
    }
    // A secret of another kind (an SMTP password kept for a webhook) must not carry over.
    const kindKept = existing?.settings.kind === change.kind;
    const read = readContactPointChange(change, kindKept && existing?.secret !== null);
    if (!read.ok) throw new AppError('BAD_USER_INPUT', `The contact point is invalid:\n${read.problems.join('\n')}`, { argument: 'input', problems: read.problems });
    const id = existing?.id ?? newId('cpt', this.deps.clock.now());
    const secret = read.secret.keep ? (kindKept ? undefined : null) : read.secret.secret === null ? null : this.deps.secrets.seal(read.secret.secret, id);
    const name = change.name.trim();
    const now = this.deps.clock.now();
    try {
      const saved = existing
        ? await this.deps.contactPoints.update(id, { name, settings: read.settings, secret, now })
        : await this.deps.contactPoints.create({ id, projectId: change.projectId, name, settings: read.settings, secret: secret ?? null, now });
      this.deps.dispatcher.forget(id);
      return viewOf(saved, true);
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('CONFLICT', `Project ${change.projectId} has a contact point named "${name}" already; choose another name`, { argument: 'input.name' });
      throw error;
    }
  }

  /** Removes a contact point with its pending notifications and delivery log. */
  async delete(principal: Principal, id: string): Promise<void> {
    const point = await this.existing(principal, id);
    refuseOwned('Contact point', id, point.ownerWorkflowId);
    if (!(await this.deps.contactPoints.delete(id))) throw notFound('Contact point', id);
    this.deps.dispatcher.forget(id);
  }

  /** Sends an `alert.test` notice at once and answers what the endpoint made of it; the attempt joins the delivery log. */
  async test(principal: Principal, id: string): Promise<ContactPointTestResult> {
    const point = await this.existing(principal, id);
    const project = await this.deps.projects.findById(point.projectId);
    if (!project) throw notFound('Project', point.projectId);
    const now = this.deps.clock.now();
    const notificationId = newId('msg', now);
    const notice = { type: 'alert.test' as const, projectId: project.id, projectName: project.name, alerts: [], at: now.toISOString() };
    const { ok, ...record } = await this.deps.dispatcher.attemptNow(point, { id: notificationId, notice, at: now });
    await this.deps.outbox.insertAttempted({ id: notificationId, contactPointId: point.id, projectId: point.projectId, notice, createdAt: now }, record, ok ? 'DELIVERED' : 'FAILED');
    return { notificationId, ok, statusCode: record.statusCode, error: record.error, durationMs: record.durationMs };
  }

  /** The latest attempts to deliver to a contact point, newest first: for its project's ADMINs. */
  async deliveries(principal: Principal, contactPoint: ContactPointView, first: number): Promise<DeliveryView[]> {
    assertCan(principal, 'administer', contactPoint.projectId, { kind: 'Contact point', id: contactPoint.id });
    if (!Number.isInteger(first) || first < 1 || first > DELIVERIES_MAX) {
      throw new AppError('BAD_USER_INPUT', `first is ${first}; it must be a whole number from 1 to ${DELIVERIES_MAX}`, { argument: 'first' });
    }
    const entries = await this.deps.outbox.deliveriesOf(contactPoint.id, first);
    return entries.map(({ payload, ...entry }) => ({ ...entry, type: alertNoticeOf(payload, `notification ${entry.notificationId}`).type }));
  }

  /** A contact point the caller may change: NOT_FOUND when it is not there or not readable, FORBIDDEN without ADMIN. */
  private async existing(principal: Principal, id: string): Promise<ContactPointRecord> {
    const point = await this.deps.contactPoints.findById(id);
    if (!point) throw notFound('Contact point', id);
    assertCan(principal, 'administer', point.projectId, { kind: 'Contact point', id });
    return point;
  }
}

function viewOf(point: ContactPointRecord, fullUrl: boolean): ContactPointView {
  const { settings } = point;
  const base = { id: point.id, projectId: point.projectId, name: point.name, kind: settings.kind, hasSecret: point.secret !== null, ownerWorkflowId: point.ownerWorkflowId, createdAt: point.createdAt, updatedAt: point.updatedAt };
  if (settings.kind === 'EMAIL') {
    const { kind: _kind, ...email } = settings;
    return { ...base, url: null, email };
  }
  return { ...base, url: fullUrl ? settings.url : `${new URL(settings.url).origin}/…`, email: null };
}
