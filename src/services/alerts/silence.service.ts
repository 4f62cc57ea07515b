import { assertCan, assertCanInProject } from '../../auth/permissions.ts';
import type { Principal } from '../../auth/principal.ts';
import type { Clock } from '../../domain/clock.ts';
import { parseSilence, silences, type SilenceDraft, type SilenceRecord } from '../../domain/alerts/silence.ts';
import { notFound } from '../../domain/errors.ts';
import { newId } from '../../domain/ids.ts';
import type { AlertRuleRepository } from '../../repositories/alert-rule.repository.ts';
import type { AlertHistoryRepository } from '../../repositories/alert-history.repository.ts';
import type { AlertStateRepository } from '../../repositories/alert-state.repository.ts';
import type { AlertView } from './alert.service.ts';
import type { SilenceRepository } from '../../repositories/silence.repository.ts';

// Alerts a preview looks through: a project's alerts that have ever been active.
const PREVIEW_ALERTS_MAX = 5_000;

/** Silences of a project: VIEWERs read them, OPERATORs create and expire them. */
export class SilenceService {
  constructor(private readonly deps: { silences: SilenceRepository; alertState: AlertStateRepository; alertRules: AlertRuleRepository; alertHistory: AlertHistoryRepository; clock: Clock }) {}

  /** The project's silences that have not ended, the soonest to end first. */
  async listOf(principal: Principal, projectId: string): Promise<SilenceRecord[]> {
    assertCanInProject(principal, 'read', projectId);
    return this.deps.silences.listOf([projectId], this.deps.clock.now());
  }

  async create(principal: Principal, draft: SilenceDraft): Promise<SilenceRecord> {
    assertCanInProject(principal, 'operate', draft.projectId);
    const now = this.deps.clock.now();
    return this.deps.silences.create({ id: newId('silence', now), ...parseSilence(draft, now), createdBy: principal.actor, createdAt: now });
  }

  /** What the silence would match if saved now: the project's alerts that are not INACTIVE. */
  async preview(principal: Principal, draft: SilenceDraft): Promise<AlertView[]> {
    assertCanInProject(principal, 'read', draft.projectId);
    const now = this.deps.clock.now();
    const silence: SilenceRecord = { id: 'preview', ...parseSilence(draft, now), createdBy: principal.actor, createdAt: now };
    const alerts = await this.deps.alertState.list({ projectIds: [draft.projectId], states: [], ruleIds: silence.matchers.ruleIds }, PREVIEW_ALERTS_MAX);
    const names = await this.deps.alertHistory.workflowNames([...new Set(alerts.map(({ groupKey }) => groupKey))]);
    // Judged as if active from now on: a silence that starts later matches the same alerts then.
    const at = new Date(Math.max(silence.startsAt.getTime(), now.getTime()));
    const rules = new Map((await this.deps.alertRules.listOf([draft.projectId])).map((rule) => [rule.id, rule]));
    return alerts.flatMap((alert) => {
      const rule = rules.get(alert.ruleId);
      return rule && silences(silence, { ruleId: alert.ruleId, workflowId: alert.groupKey, workflowName: names.get(alert.groupKey) ?? null }, at) ? [{ ...alert, rule }] : [];
    });
  }

  async expire(principal: Principal, id: string): Promise<SilenceRecord> {
    const silence = await this.deps.silences.findById(id);
    if (!silence) throw notFound('Silence', id);
    assertCan(principal, 'operate', silence.projectId, { kind: 'Silence', id });
    await this.deps.silences.expire(id, this.deps.clock.now());
    const expired = await this.deps.silences.findById(id);
    if (!expired) throw notFound('Silence', id);
    return expired;
  }
}
