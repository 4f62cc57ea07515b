import type { AlertRuleRecord } from '../../domain/alerts/alert-rule.ts';
import type { AlertRule } from './alert-rule.type.ts';

/** A stored rule as the API shows it. */
export function alertRuleView(rule: AlertRuleRecord): AlertRule {
  const { spec } = rule;
  const { condition, lifecycle } = spec;
  return {
    id: rule.id,
    projectId: rule.projectId,
    name: spec.name,
    kind: condition.kind,
    workflowIds: spec.selector.workflowIds,
    workflowNames: spec.selector.workflowNames,
    triggers: spec.selector.triggers,
    statuses: condition.statuses,
    count: condition.kind === 'CONSECUTIVE_FAILURES' ? condition.count : null,
    windowMinutes: condition.kind === 'FAILURE_RATE' || condition.kind === 'STATUS_SWING' ? condition.windowMinutes : null,
    threshold: condition.kind === 'FAILURE_RATE' ? condition.threshold : null,
    resolveThreshold: condition.kind === 'FAILURE_RATE' ? condition.resolveThreshold : null,
    minRuns: condition.kind === 'FAILURE_RATE' || condition.kind === 'STATUS_SWING' ? condition.minRuns : null,
    minDelta: condition.kind === 'STATUS_SWING' ? condition.minDelta : null,
    factor: condition.kind === 'DURATION_OVER' ? condition.factor : null,
    limitSeconds: condition.kind === 'DURATION_OVER' ? condition.limitSeconds : null,
    baselineRuns: condition.kind === 'DURATION_OVER' ? condition.baselineRuns : null,
    graceMinutes: condition.kind === 'MISSING_SUCCESS' ? condition.graceMinutes : null,
    anomalyKinds: condition.kind === 'ANOMALY' ? condition.anomalyKinds : null,
    forSeconds: lifecycle.forMs / 1000,
    keepFiringForSeconds: lifecycle.keepFiringForMs / 1000,
    repeatIntervalSeconds: lifecycle.repeatIntervalMs / 1000,
    groupWaitSeconds: lifecycle.groupWaitMs / 1000,
    contactPointIds: rule.contactPointIds,
    enabled: spec.enabled,
    ownerWorkflowId: rule.ownerWorkflowId,
    createdBy: rule.createdBy,
    createdAt: rule.createdAt,
    updatedAt: rule.updatedAt,
  };
}
