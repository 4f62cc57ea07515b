import type { AlertRuleDraft, AlertRuleSpec } from './alert-rule.ts';
import { parseAlertRule } from './alert-rule.ts';

/** A rule's columns as stored: the draft's fields as JSON, read back through parseAlertRule. */
export interface StoredRuleColumns {
  name: string;
  kind: string;
  selector: string;
  params: string;
  lifecycle: string;
  enabled: boolean;
}

/** The columns that store a checked rule. */
export function ruleColumns(spec: AlertRuleSpec): StoredRuleColumns {
  const { condition, lifecycle } = spec;
  const params =
    condition.kind === 'RUN_FAILED' || condition.kind === 'RUN_SUCCEEDED'
      ? { statuses: condition.statuses }
      : condition.kind === 'CONSECUTIVE_FAILURES'
        ? { statuses: condition.statuses, count: condition.count }
        : condition.kind === 'DURATION_OVER'
          ? { statuses: condition.statuses, factor: condition.factor, limitSeconds: condition.limitSeconds, baselineRuns: condition.baselineRuns }
          : condition.kind === 'MISSING_SUCCESS'
            ? { statuses: condition.statuses, graceMinutes: condition.graceMinutes }
            : condition.kind === 'STATUS_SWING'
              ? { statuses: condition.statuses, windowMinutes: condition.windowMinutes, minDelta: condition.minDelta, minRuns: condition.minRuns }
              : condition.kind === 'ANOMALY'
                ? { statuses: condition.statuses, anomalyKinds: condition.anomalyKinds }
                : condition.kind === 'INCIDENT'
                  ? { statuses: condition.statuses }
                : { statuses: condition.statuses, windowMinutes: condition.windowMinutes, threshold: condition.threshold, resolveThreshold: condition.resolveThreshold, minRuns: condition.minRuns };
  return {
    name: spec.name,
    kind: condition.kind,
    selector: JSON.stringify(spec.selector),
    params: JSON.stringify(params),
    lifecycle: JSON.stringify({
      forSeconds: lifecycle.forMs / 1000,
      keepFiringForSeconds: lifecycle.keepFiringForMs / 1000,
      repeatIntervalSeconds: lifecycle.repeatIntervalMs / 1000,
      groupWaitSeconds: lifecycle.groupWaitMs / 1000,
    }),
    enabled: spec.enabled,
  };
}

/** A stored rule read back, checked as a client's would be: a row that does not parse is an error naming the rule, never a default. */
export function specOfStoredRule(columns: StoredRuleColumns, ruleId: string): AlertRuleSpec {
  const fields = { ...objectOf(columns.selector, ruleId), ...objectOf(columns.params, ruleId), ...objectOf(columns.lifecycle, ruleId) };
  const draft: AlertRuleDraft = {
    name: columns.name,
    kind: columns.kind,
    enabled: columns.enabled,
    workflowIds: strings(fields.workflowIds, ruleId),
    workflowNames: strings(fields.workflowNames, ruleId),
    triggers: strings(fields.triggers, ruleId),
    statuses: strings(fields.statuses, ruleId),
    count: numberOrNull(fields.count, ruleId),
    windowMinutes: numberOrNull(fields.windowMinutes, ruleId),
    threshold: numberOrNull(fields.threshold, ruleId),
    resolveThreshold: numberOrNull(fields.resolveThreshold, ruleId),
    minRuns: numberOrNull(fields.minRuns, ruleId),
    factor: numberOrNull(fields.factor, ruleId),
    limitSeconds: numberOrNull(fields.limitSeconds, ruleId),
    baselineRuns: numberOrNull(fields.baselineRuns, ruleId),
    graceMinutes: numberOrNull(fields.graceMinutes, ruleId),
    minDelta: numberOrNull(fields.minDelta, ruleId),
    anomalyKinds: strings(fields.anomalyKinds, ruleId),
    forSeconds: numberOrNull(fields.forSeconds, ruleId),
    keepFiringForSeconds: numberOrNull(fields.keepFiringForSeconds, ruleId),
    repeatIntervalSeconds: numberOrNull(fields.repeatIntervalSeconds, ruleId),
    groupWaitSeconds: numberOrNull(fields.groupWaitSeconds, ruleId),
  };
  return parseAlertRule(draft);
}

function objectOf(text: string, ruleId: string): Record<string, unknown> {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`Alert rule ${ruleId} holds a column that is not a JSON object: ${text}`);
  return Object.fromEntries(Object.entries(value));
}

function strings(value: unknown, ruleId: string): string[] | null {
  if (value === undefined) return null;
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) throw new Error(`Alert rule ${ruleId} holds a list that is not of strings: ${JSON.stringify(value)}`);
  return value;
}

function numberOrNull(value: unknown, ruleId: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number') throw new Error(`Alert rule ${ruleId} holds a number that is not one: ${JSON.stringify(value)}`);
  return value;
}
