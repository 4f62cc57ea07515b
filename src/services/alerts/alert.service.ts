import { assertCan, assertCanInProject } from '../../auth/permissions.ts';
import type { Principal } from '../../auth/principal.ts';
import type { Clock } from '../../domain/clock.ts';
import type { AlertState } from '../../domain/alerts/alert-notice.ts';
import { AppError, notFound } from '../../domain/errors.ts';
import type { AlertRuleRepository } from '../../repositories/alert-rule.repository.ts';
import type { AlertRuleRecord } from '../../domain/alerts/alert-rule.ts';
import type { AlertEventRecord, AlertInstanceRecord, AlertStateRepository } from '../../repositories/alert-state.repository.ts';
import type { ProjectService } from '../project.service.ts';

export interface AlertQuery {
  projectIds?: readonly string[] | null;
  states?: readonly AlertState[] | null;
  ruleIds?: readonly string[] | null;
}

/** An alert with the rule it belongs to. */
export interface AlertView extends AlertInstanceRecord {
  rule: AlertRuleRecord;
}

export const ALERTS_PAGE_MAX = 500;
const EVENTS_MAX = 200;

/** Alerts of the projects a caller may read, and their acknowledgement by an OPERATOR. */
export class AlertService {
  constructor(private readonly deps: { alertState: AlertStateRepository; alertRules: AlertRuleRepository; projects: ProjectService; clock: Clock }) {}

  /** Alerts by the filter (every readable project when it names none): FIRING first, then PENDING, then resolved; INACTIVE ones only when asked for. */
  async list(principal: Principal, query: AlertQuery, first: number): Promise<AlertView[]> {
    if (first < 1 || first > ALERTS_PAGE_MAX) throw new AppError('BAD_USER_INPUT', `first: from 1 to ${ALERTS_PAGE_MAX} (got ${first})`);
    const named = query.projectIds ?? null;
    if (named) for (const projectId of named) assertCanInProject(principal, 'read', projectId, 'filter.projectIds');
    const projectIds = named ?? (await this.deps.projects.readableIds(principal));
    const alerts = await this.deps.alertState.list({ projectIds, states: query.states ?? [], ruleIds: query.ruleIds ?? [] }, first);
    const rules = new Map((await this.deps.alertRules.listByIds([...new Set(alerts.map(({ ruleId }) => ruleId))])).map((rule) => [rule.id, rule]));
    return alerts.flatMap((alert) => {
      const rule = rules.get(alert.ruleId);
      return rule ? [{ ...alert, rule }] : [];
    });
  }

  /** The alert's transitions, newest first. */
  events(alert: AlertInstanceRecord): Promise<AlertEventRecord[]> {
    return this.deps.alertState.eventsOf(alert.id, EVENTS_MAX);
  }

  /** An OPERATOR takes a FIRING alert in hand: its reminders stop until it fires again; recorded with the actor. */
  async acknowledge(principal: Principal, id: string): Promise<AlertView> {
    const alert = await this.deps.alertState.findInstance(id);
    if (!alert) throw notFound('Alert', id);
    assertCan(principal, 'operate', alert.projectId, { kind: 'Alert', id });
    if (alert.progress.state !== 'FIRING') throw new AppError('CONFLICT', `Alert ${id} is ${alert.progress.state}: only a FIRING alert is acknowledged`);
    const rule = await this.deps.alertRules.findById(alert.ruleId);
    if (!rule) throw notFound('Alert', id);
    if (alert.acknowledgedBy !== null) return { ...alert, rule };
    const now = this.deps.clock.now();
    const acknowledged = await this.deps.alertState.transaction(async (writes) => {
      if (!(await writes.acknowledge(id, principal.actor, now))) return false;
      await writes.appendEvents([{ instanceId: id, ruleId: alert.ruleId, projectId: alert.projectId, from: 'FIRING', to: 'FIRING', at: now, message: 'acknowledged', actor: principal.actor }]);
      return true;
    });
    const current = await this.deps.alertState.findInstance(id);
    if (!current) throw notFound('Alert', id);
    if (!acknowledged && current.acknowledgedBy === null) throw new AppError('CONFLICT', `Alert ${id} is ${current.progress.state} now: only a FIRING alert is acknowledged`);
    return { ...current, rule };
  }
}
