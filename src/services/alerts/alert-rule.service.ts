import { assertCan, assertCanInProject } from '../../auth/permissions.ts';
import type { Principal } from '../../auth/principal.ts';
import type { Clock } from '../../domain/clock.ts';
import { parseAlertRule, type AlertRuleChange, type AlertRuleRecord } from '../../domain/alerts/alert-rule.ts';
import { AppError, notFound } from '../../domain/errors.ts';
import { newId } from '../../domain/ids.ts';
import type { AlertRuleRepository } from '../../repositories/alert-rule.repository.ts';

const CONTACT_POINTS_MAX = 20;

/** Alert rules of a project: VIEWERs read them, ADMINs write them. */
export class AlertRuleService {
  constructor(private readonly deps: { alertRules: AlertRuleRepository; clock: Clock }) {}

  async listOf(principal: Principal, projectId: string): Promise<AlertRuleRecord[]> {
    assertCanInProject(principal, 'read', projectId);
    return this.deps.alertRules.listOf([projectId]);
  }

  /** Creates a rule, or replaces the one `id` names (in the same project); the name is unique in the project. */
  async save(principal: Principal, change: AlertRuleChange): Promise<AlertRuleRecord> {
    assertCanInProject(principal, 'administer', change.projectId);
    const spec = parseAlertRule(change);
    const existing = change.id ? await this.deps.alertRules.findById(change.id) : null;
    if (change.id && (!existing || existing.projectId !== change.projectId)) throw notFound('Alert rule', change.id);
    if (existing) refuseOwned('Alert rule', existing.id, existing.ownerWorkflowId);
    const named = await this.deps.alertRules.findByName(change.projectId, spec.name);
    if (named && named.id !== existing?.id) throw new AppError('CONFLICT', `The project has an alert rule named "${spec.name}" already (${named.id}): pass its id to replace it, or choose another name`, { id: named.id });
    const contactPointIds = [...new Set(change.contactPointIds ?? [])];
    if (contactPointIds.length > CONTACT_POINTS_MAX) throw new AppError('BAD_USER_INPUT', `An alert rule notifies at most ${CONTACT_POINTS_MAX} contact points (got ${contactPointIds.length})`);
    const known = await this.deps.alertRules.contactPointsOf(change.projectId, contactPointIds);
    const unknown = contactPointIds.filter((id) => !known.has(id));
    if (unknown.length > 0) throw new AppError('BAD_USER_INPUT', `contactPointIds: ${unknown.join(', ')} ${unknown.length === 1 ? 'is not a contact point' : 'are not contact points'} of project ${change.projectId}`, { unknown });
    return this.deps.alertRules.save({ id: existing?.id ?? newId('rule', this.deps.clock.now()), projectId: change.projectId, spec, contactPointIds, actor: principal.actor, now: this.deps.clock.now() });
  }

  async delete(principal: Principal, id: string): Promise<boolean> {
    const rule = await this.deps.alertRules.findById(id);
    if (!rule) throw notFound('Alert rule', id);
    assertCan(principal, 'administer', rule.projectId, { kind: 'Alert rule', id });
    refuseOwned('Alert rule', id, rule.ownerWorkflowId);
    return this.deps.alertRules.delete(id);
  }
}

/** A rule or contact point a workflow file's mailOn made changes with that file only. */
export function refuseOwned(kind: 'Alert rule' | 'Contact point', id: string, ownerWorkflowId: string | null): void {
  if (ownerWorkflowId === null) return;
  throw new AppError(
    'CONFLICT',
    `${kind} ${id} is made by the mailOn of workflow ${ownerWorkflowId}'s file; change that file (its mailOn, smtp, errorMail and infoMail) to change or remove it`,
    { ownerWorkflowId },
  );
}
