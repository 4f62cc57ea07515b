import { AppError } from '../errors.ts';
import { RUN_STATUSES, type RunStatus } from '../status.ts';
import { RUN_TRIGGERS, type RunTrigger } from '../vocabulary.ts';
import { ANOMALY_KINDS, type AnomalyKind } from '../insight/anomaly.ts';

/** The rule kinds this build evaluates. */
export const ALERT_RULE_KINDS = ['RUN_FAILED', 'RUN_SUCCEEDED', 'CONSECUTIVE_FAILURES', 'FAILURE_RATE', 'DURATION_OVER', 'MISSING_SUCCESS', 'STATUS_SWING', 'ANOMALY', 'INCIDENT'] as const;
export type AlertRuleKind = (typeof ALERT_RULE_KINDS)[number];

/** The statuses a rule counts as failures when it names none. */
export const DEFAULT_FAILURE_STATUSES: readonly RunStatus[] = ['FAILED'];
/** The statuses a rule may count as failures: the unsuccessful ends of a run. */
export const FAILURE_STATUSES: readonly RunStatus[] = ['FAILED', 'ABORTED', 'REJECTED', 'PARTIALLY_SUCCEEDED'];

/** Which runs a rule watches: every workflow of its project when both lists are empty. */
export interface AlertSelector {
  workflowIds: string[];
  workflowNames: string[];
  /** Runs of these triggers only; every trigger when empty. */
  triggers: RunTrigger[];
}

export type AlertCondition =
  /** The workflow's latest finished run ended in one of `statuses`: fires at a failure, resolves at the next other end. */
  | { kind: 'RUN_FAILED'; statuses: RunStatus[] }
  /**
   * The workflow's latest finished run SUCCEEDED (Dagu's `mailOn.success`): fires at a success
   * that follows another end (or the first run), resolves at the next other end.
   */
  | { kind: 'RUN_SUCCEEDED'; statuses: RunStatus[] }
  /** The workflow's last `count` finished runs all ended in one of `statuses`. */
  | { kind: 'CONSECUTIVE_FAILURES'; count: number; statuses: RunStatus[] }
  /**
   * Over the runs that finished in the last `windowMinutes` (at least `minRuns` of them), the
   * lower bound of the 95% Wilson interval of the failure rate exceeds `threshold`; it resolves
   * once that bound is at or below `resolveThreshold` (hysteresis, below `threshold`).
   */
  | { kind: 'FAILURE_RATE'; statuses: RunStatus[]; windowMinutes: number; threshold: number; resolveThreshold: number; minRuns: number }
  /**
   * The workflow's latest finished run took longer than the limit, or a run of it still running
   * already has: `limitSeconds` when set, otherwise `factor` × the p95 of its last
   * `baselineRuns` successful runs (judged once it has MIN_BASELINE_RUNS of them).
   */
  | { kind: 'DURATION_OVER'; statuses: RunStatus[]; factor: number | null; limitSeconds: number | null; baselineRuns: number }
  /**
   * Schedule-aware: no run of the workflow SUCCEEDED since its last expected cron fire, once that
   * fire plus its usual duration (the median of its recent successful runs) plus `graceMinutes`
   * has passed. Resolves at the next success.
   */
  | { kind: 'MISSING_SUCCESS'; statuses: RunStatus[]; graceMinutes: number }
  /**
   * The share of `statuses` among the runs of the last `windowMinutes` departs by at least
   * `minDelta` from its share in the same window of the same weekday and hour over the last
   * SWING_BASELINE_WEEKS weeks, and the departure is unlikely under that baseline (binomial
   * tail below SWING_P_VALUE); judged once the baseline holds `minRuns` runs.
   */
  | { kind: 'STATUS_SWING'; statuses: RunStatus[]; windowMinutes: number; minDelta: number; minRuns: number }
  /**
   * The anomaly detectors found the workflow abnormal (src/domain/insight): fires while one of
   * `anomalyKinds` (every kind when empty) is open and not dismissed, resolves when none is.
   */
  | { kind: 'ANOMALY'; statuses: RunStatus[]; anomalyKinds: AnomalyKind[] }
  /**
   * The workflow's failures belong to an open incident (failures clustering across projects,
   * src/domain/insight/incidents.ts): fires while it is open, resolves when it closes.
   */
  | { kind: 'INCIDENT'; statuses: RunStatus[] };

/** The weeks a STATUS_SWING baseline looks back over, and the tail probability it fires below. */
export const SWING_BASELINE_WEEKS = 4;
export const SWING_P_VALUE = 0.001;

/** Successful runs a DURATION_OVER rule needs before it judges by its factor (LEARNING until then). */
export const MIN_BASELINE_RUNS = 5;

/** How an alert of the rule moves through its lifecycle, in milliseconds. */
export interface AlertLifecycleSettings {
  /** The condition must hold this long before the alert fires (PENDING meanwhile); 0: at once. */
  forMs: number;
  /** A FIRING alert stays FIRING this long after its condition stopped holding. */
  keepFiringForMs: number;
  /** A FIRING alert is notified again this often while it fires (unless acknowledged); 0: never. */
  repeatIntervalMs: number;
  /** Alerts of the rule that change within this long of each other go out in one notification. */
  groupWaitMs: number;
}

export interface AlertRuleSpec {
  name: string;
  selector: AlertSelector;
  condition: AlertCondition;
  lifecycle: AlertLifecycleSettings;
  enabled: boolean;
}

/** A rule as stored, with the contact points its notifications go to. */
export interface AlertRuleRecord {
  id: string;
  projectId: string;
  spec: AlertRuleSpec;
  contactPointIds: string[];
  /** The workflow whose file made the rule (its `mailOn`); null: made through the API. */
  ownerWorkflowId: string | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A rule as a client sends it: every field checked by parseAlertRule. */
export interface AlertRuleDraft {
  name: string;
  kind: string;
  workflowIds?: readonly string[] | null;
  workflowNames?: readonly string[] | null;
  triggers?: readonly string[] | null;
  statuses?: readonly string[] | null;
  count?: number | null;
  windowMinutes?: number | null;
  threshold?: number | null;
  resolveThreshold?: number | null;
  minRuns?: number | null;
  factor?: number | null;
  limitSeconds?: number | null;
  baselineRuns?: number | null;
  graceMinutes?: number | null;
  minDelta?: number | null;
  anomalyKinds?: readonly string[] | null;
  forSeconds?: number | null;
  keepFiringForSeconds?: number | null;
  repeatIntervalSeconds?: number | null;
  groupWaitSeconds?: number | null;
  enabled?: boolean | null;
}

/** A rule as saved through the API: the id of the rule it replaces, if any. */
export interface AlertRuleChange extends AlertRuleDraft {
  id?: string | null;
  projectId: string;
  contactPointIds?: readonly string[] | null;
}

const NAME_MAX = 120;
const LIST_MAX = 100;
const MAX_CONSECUTIVE = 1_000;
const MAX_WINDOW_MINUTES = 7 * 24 * 60;
const MAX_MIN_RUNS = 100_000;
const MAX_SECONDS = 7 * 24 * 60 * 60;
/** Alertmanager's defaults: a reminder every 4 hours, 30 s of group wait. */
const DEFAULT_REPEAT_SECONDS = 4 * 60 * 60;
const DEFAULT_GROUP_WAIT_SECONDS = 30;

/**
 * Checks a rule as a client sent it and gives its spec; a BAD_USER_INPUT names every field that
 * is wrong, with its bound, so one answer says all there is to fix.
 */
export function parseAlertRule(draft: AlertRuleDraft): AlertRuleSpec {
  const problems: string[] = [];
  const name = draft.name.trim();
  if (name.length === 0 || name.length > NAME_MAX) problems.push(`name: 1 to ${NAME_MAX} characters (got ${name.length})`);
  const kind = ALERT_RULE_KINDS.find((candidate) => candidate === draft.kind);
  if (!kind) problems.push(`kind: one of ${ALERT_RULE_KINDS.join(', ')} (got "${draft.kind}")`);
  const list = (field: string, values: readonly string[] | null | undefined) => {
    const items = [...new Set(values ?? [])];
    if (items.length > LIST_MAX) problems.push(`${field}: at most ${LIST_MAX} items (got ${items.length})`);
    return items;
  };
  const triggers = list('triggers', draft.triggers).filter((trigger): trigger is RunTrigger => {
    const known = (RUN_TRIGGERS as readonly string[]).includes(trigger);
    if (!known) problems.push(`triggers: "${trigger}" is not one of ${RUN_TRIGGERS.join(', ')}`);
    return known;
  });
  const selector: AlertSelector = { workflowIds: list('workflowIds', draft.workflowIds), workflowNames: list('workflowNames', draft.workflowNames), triggers };
  const statuses = kind === 'STATUS_SWING' ? swingStatuses(draft.statuses, problems) : kind === 'RUN_SUCCEEDED' ? successStatuses(draft.statuses, problems) : failureStatuses(draft.statuses, problems);
  const number = (field: keyof AlertRuleDraft, value: number | null | undefined, fallback: number | null, min: number, max: number, integer = true): number => {
    if (value === null || value === undefined) {
      if (fallback === null) problems.push(`${field}: required for ${draft.kind}, from ${min} to ${max}`);
      return fallback ?? min;
    }
    if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      problems.push(`${field}: ${integer ? 'a whole number ' : ''}from ${min} to ${max} (got ${value})`);
    }
    return value;
  };
  const lifecycle: AlertLifecycleSettings = {
    forMs: number('forSeconds', draft.forSeconds, 0, 0, MAX_SECONDS) * 1000,
    keepFiringForMs: number('keepFiringForSeconds', draft.keepFiringForSeconds, 0, 0, MAX_SECONDS) * 1000,
    repeatIntervalMs: number('repeatIntervalSeconds', draft.repeatIntervalSeconds, DEFAULT_REPEAT_SECONDS, 0, MAX_SECONDS) * 1000,
    groupWaitMs: number('groupWaitSeconds', draft.groupWaitSeconds, DEFAULT_GROUP_WAIT_SECONDS, 0, 60 * 60) * 1000,
  };
  let condition: AlertCondition = { kind: 'RUN_FAILED', statuses };
  if (kind === 'RUN_SUCCEEDED') condition = { kind, statuses };
  if (kind === 'CONSECUTIVE_FAILURES') condition = { kind, statuses, count: number('count', draft.count, null, 2, MAX_CONSECUTIVE) };
  if (kind === 'FAILURE_RATE') {
    const threshold = number('threshold', draft.threshold, null, 0, 0.99, false);
    const resolveThreshold = number('resolveThreshold', draft.resolveThreshold, threshold * 0.8, 0, 0.99, false);
    if (resolveThreshold > threshold) problems.push(`resolveThreshold: at most threshold (${threshold}), so an alert does not resolve while it would fire (got ${resolveThreshold})`);
    condition = {
      kind,
      statuses,
      threshold,
      resolveThreshold,
      windowMinutes: number('windowMinutes', draft.windowMinutes, null, 1, MAX_WINDOW_MINUTES),
      minRuns: number('minRuns', draft.minRuns, 5, 1, MAX_MIN_RUNS),
    };
  }
  if (kind === 'DURATION_OVER') {
    const factor = draft.factor === null || draft.factor === undefined ? null : number('factor', draft.factor, null, 1, 100, false);
    const limitSeconds = draft.limitSeconds === null || draft.limitSeconds === undefined ? null : number('limitSeconds', draft.limitSeconds, null, 1, MAX_SECONDS);
    if (factor === null && limitSeconds === null) problems.push('factor or limitSeconds: DURATION_OVER needs one (factor × the p95 of recent successful runs, from 1 to 100; or a limit in seconds)');
    condition = { kind, statuses, factor, limitSeconds, baselineRuns: number('baselineRuns', draft.baselineRuns, 20, MIN_BASELINE_RUNS, 1_000) };
  }
  if (kind === 'STATUS_SWING') {
    condition = {
      kind,
      statuses,
      windowMinutes: number('windowMinutes', draft.windowMinutes, null, 5, 24 * 60),
      minDelta: number('minDelta', draft.minDelta, 0.2, 0.01, 1, false),
      minRuns: number('minRuns', draft.minRuns, 20, 1, MAX_MIN_RUNS),
    };
  }
  if (kind === 'MISSING_SUCCESS') condition = { kind, statuses, graceMinutes: number('graceMinutes', draft.graceMinutes, 10, 0, 7 * 24 * 60) };
  if (kind === 'INCIDENT') condition = { kind, statuses };
  if (kind === 'ANOMALY') condition = { kind, statuses, anomalyKinds: anomalyKindsOf(draft.anomalyKinds, problems) };
  else if (draft.anomalyKinds && draft.anomalyKinds.length > 0) problems.push(`anomalyKinds: only for an ANOMALY rule (this one is ${draft.kind})`);
  if (problems.length > 0) throw new AppError('BAD_USER_INPUT', `The alert rule is not valid: ${problems.join('; ')}`, { problems });
  return { name, selector, condition, lifecycle, enabled: draft.enabled ?? true };
}

/** The anomaly kinds an ANOMALY rule fires on: every kind when it names none. */
function anomalyKindsOf(values: readonly string[] | null | undefined, problems: string[]): AnomalyKind[] {
  const kinds: AnomalyKind[] = [];
  for (const value of new Set(values ?? [])) {
    const kind = ANOMALY_KINDS.find((candidate) => candidate === value);
    if (kind) kinds.push(kind);
    else problems.push(`anomalyKinds: "${value}" is not one of ${ANOMALY_KINDS.join(', ')}`);
  }
  return kinds;
}

/** A swing may watch any status's share (a drop in SUCCEEDED as well as a rise in FAILED). */
function swingStatuses(values: readonly string[] | null | undefined, problems: string[]): RunStatus[] {
  if (!values || values.length === 0) return [...DEFAULT_FAILURE_STATUSES];
  const statuses: RunStatus[] = [];
  for (const value of new Set(values)) {
    const status = RUN_STATUSES.find((candidate) => candidate === value);
    if (status) statuses.push(status);
    else problems.push(`statuses: "${value}" is not one of ${RUN_STATUSES.join(', ')}`);
  }
  return statuses;
}

/** A RUN_SUCCEEDED rule watches successes only. */
function successStatuses(values: readonly string[] | null | undefined, problems: string[]): RunStatus[] {
  const other = [...new Set(values ?? [])].filter((value) => value !== 'SUCCEEDED');
  if (other.length > 0) problems.push(`statuses: a RUN_SUCCEEDED rule watches SUCCEEDED runs only; leave statuses out (got ${other.join(', ')})`);
  return ['SUCCEEDED'];
}

function failureStatuses(values: readonly string[] | null | undefined, problems: string[]): RunStatus[] {
  if (!values || values.length === 0) return [...DEFAULT_FAILURE_STATUSES];
  const statuses: RunStatus[] = [];
  for (const value of new Set(values)) {
    const status = FAILURE_STATUSES.find((candidate) => candidate === value);
    if (status) statuses.push(status);
    else problems.push(`statuses: "${value}" is not one of ${FAILURE_STATUSES.join(', ')}${(RUN_STATUSES as readonly string[]).includes(value) ? ' (a rule counts unsuccessful ends)' : ''}`);
  }
  return statuses;
}

/** Whether a rule watches runs of this workflow and trigger. */
export function selects(selector: AlertSelector, workflow: { id: string; name: string }, trigger: RunTrigger): boolean {
  const anyWorkflow = selector.workflowIds.length === 0 && selector.workflowNames.length === 0;
  const workflowMatches = anyWorkflow || selector.workflowIds.includes(workflow.id) || selector.workflowNames.includes(workflow.name);
  return workflowMatches && (selector.triggers.length === 0 || selector.triggers.includes(trigger));
}
