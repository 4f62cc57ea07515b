/**
 * The alert rule editor's fields as typed (numbers as text) and their translation into the
 * input of `saveAlertRule`: only the fields of the rule's kind go, empty ones are left to the
 * server's defaults, and the server names every value out of its bounds.
 */
import type { AlertRuleInput, AlertRuleKind, RunStatus, RunTrigger } from '../_gql/graphql.ts';

export interface AlertRuleForm {
  id: string | null;
  name: string;
  kind: AlertRuleKind;
  workflowIds: string[];
  statuses: RunStatus[];
  /** Runs of these triggers only; every trigger when empty. */
  triggers: RunTrigger[];
  count: string;
  windowMinutes: string;
  threshold: string;
  minRuns: string;
  resolveThreshold: string;
  factor: string;
  limitSeconds: string;
  baselineRuns: string;
  graceMinutes: string;
  minDelta: string;
  forSeconds: string;
  keepFiringForSeconds: string;
  groupWaitSeconds: string;
  repeatIntervalSeconds: string;
  contactPointIds: string[];
  enabled: boolean;
}

export const ALERT_RULE_KINDS: Record<AlertRuleKind, string> = {
  RUN_FAILED: 'A run failed',
  RUN_SUCCEEDED: 'A run succeeded',
  CONSECUTIVE_FAILURES: 'Consecutive failures',
  FAILURE_RATE: 'Failure rate',
  DURATION_OVER: 'Took too long',
  MISSING_SUCCESS: 'Missing success',
  STATUS_SWING: 'Status swing',
  ANOMALY: 'An anomaly was found',
  INCIDENT: 'An incident across projects',
};

/** The run ends a rule may count as failures. */
export const FAILURE_STATUSES: readonly RunStatus[] = ['FAILED', 'ABORTED', 'REJECTED', 'PARTIALLY_SUCCEEDED'];

export const EMPTY_RULE_FORM: AlertRuleForm = {
  id: null,
  name: '',
  kind: 'RUN_FAILED',
  workflowIds: [],
  statuses: ['FAILED'],
  triggers: [],
  count: '3',
  windowMinutes: '60',
  threshold: '0.2',
  minRuns: '',
  resolveThreshold: '',
  factor: '1.5',
  limitSeconds: '',
  baselineRuns: '',
  graceMinutes: '',
  minDelta: '',
  forSeconds: '',
  keepFiringForSeconds: '',
  groupWaitSeconds: '',
  repeatIntervalSeconds: '',
  contactPointIds: [],
  enabled: true,
};

interface SavedRule {
  id: string;
  name: string;
  kind: AlertRuleKind;
  workflowIds: string[];
  statuses: RunStatus[];
  triggers: RunTrigger[];
  count: number | null;
  windowMinutes: number | null;
  threshold: number | null;
  minRuns: number | null;
  resolveThreshold: number | null;
  factor: number | null;
  limitSeconds: number | null;
  baselineRuns: number | null;
  graceMinutes: number | null;
  minDelta: number | null;
  forSeconds: number;
  keepFiringForSeconds: number;
  groupWaitSeconds: number;
  repeatIntervalSeconds: number;
  contactPointIds: string[];
  enabled: boolean;
}

function text(value: number | null): string {
  return value === null ? '' : String(value);
}

export function ruleFormOf(rule: SavedRule): AlertRuleForm {
  return {
    id: rule.id,
    name: rule.name,
    kind: rule.kind,
    workflowIds: rule.workflowIds,
    statuses: rule.statuses,
    triggers: rule.triggers,
    count: text(rule.count),
    windowMinutes: text(rule.windowMinutes),
    threshold: text(rule.threshold),
    minRuns: text(rule.minRuns),
    resolveThreshold: text(rule.resolveThreshold),
    factor: text(rule.factor),
    limitSeconds: text(rule.limitSeconds),
    baselineRuns: text(rule.baselineRuns),
    graceMinutes: text(rule.graceMinutes),
    minDelta: text(rule.minDelta),
    forSeconds: text(rule.forSeconds),
    keepFiringForSeconds: text(rule.keepFiringForSeconds),
    groupWaitSeconds: text(rule.groupWaitSeconds),
    repeatIntervalSeconds: text(rule.repeatIntervalSeconds),
    contactPointIds: rule.contactPointIds,
    enabled: rule.enabled,
  };
}

export type RuleInputResult = { ok: true; input: AlertRuleInput } | { ok: false; message: string };

const NUMBER_LABELS = {
  count: 'Failures in a row',
  windowMinutes: 'Window (minutes)',
  threshold: 'Threshold',
  minRuns: 'Minimum runs',
  resolveThreshold: 'Resolves at or below',
  factor: 'Times the p95 of recent successes',
  limitSeconds: 'Or a limit (seconds)',
  baselineRuns: 'Successful runs in the baseline',
  graceMinutes: 'Grace (minutes)',
  minDelta: 'Departure from the baseline (0.01 to 1)',
  forSeconds: 'Pending for (seconds)',
  keepFiringForSeconds: 'Keeps firing for (seconds)',
  groupWaitSeconds: 'Group wait (seconds)',
  repeatIntervalSeconds: 'Repeat every (seconds)',
} as const;

type NumberField = keyof typeof NUMBER_LABELS;

const KIND_FIELDS: Record<AlertRuleKind, readonly NumberField[]> = {
  RUN_FAILED: [],
  RUN_SUCCEEDED: [],
  CONSECUTIVE_FAILURES: ['count'],
  FAILURE_RATE: ['windowMinutes', 'threshold', 'resolveThreshold', 'minRuns'],
  DURATION_OVER: ['factor', 'limitSeconds', 'baselineRuns'],
  MISSING_SUCCESS: ['graceMinutes'],
  STATUS_SWING: ['windowMinutes', 'minDelta', 'minRuns'],
  ANOMALY: [],
  INCIDENT: [],
};

export const LIFECYCLE_FIELDS: readonly NumberField[] = ['forSeconds', 'keepFiringForSeconds', 'groupWaitSeconds', 'repeatIntervalSeconds'];

export function numberLabel(field: NumberField): string {
  return NUMBER_LABELS[field];
}

export function kindFields(kind: AlertRuleKind): readonly NumberField[] {
  return KIND_FIELDS[kind];
}

/** Whether the rule's kind counts run ends of chosen statuses (the others fire on a success, or on what the detectors found). */
export function countsStatuses(kind: AlertRuleKind): boolean {
  return kind !== 'RUN_SUCCEEDED' && kind !== 'ANOMALY' && kind !== 'INCIDENT';
}

/** The input of saveAlertRule, or which typed fields are not numbers at all. */
export function ruleInputOf(projectId: string, form: AlertRuleForm): RuleInputResult {
  const input: AlertRuleInput = {
    projectId,
    name: form.name,
    kind: form.kind,
    workflowIds: form.workflowIds,
    statuses: countsStatuses(form.kind) ? form.statuses : [],
    triggers: form.triggers,
    contactPointIds: form.contactPointIds,
    enabled: form.enabled,
  };
  const wrong: string[] = [];
  for (const field of [...KIND_FIELDS[form.kind], ...LIFECYCLE_FIELDS]) {
    const typed = form[field].trim();
    if (typed === '') continue;
    const value = Number(typed);
    if (Number.isNaN(value)) wrong.push(`${NUMBER_LABELS[field]}: “${typed}” is not a number`);
    else input[field] = value;
  }
  if (form.id) input.id = form.id;
  return wrong.length > 0 ? { ok: false, message: wrong.join('; ') } : { ok: true, input };
}
