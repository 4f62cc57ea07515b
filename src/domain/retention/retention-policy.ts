/**
 * How long runs stay in the live store, and what never leaves it early. Durations are whole
 * days of 24 hours (86,400,000 ms), counted back from the cut-off: retention is decided per
 * day in every scheduler users come from (Dagu's histRetentionDays, Airflow's db clean), the
 * archive moves whole days to months, and a day of fixed length keeps "exactly what would
 * move" free of calendar questions (an ISO-8601 P1M is 28 to 31 days).
 */
export interface RetentionPolicy {
  /** Days a run stays in the live store after it was created. 0: it may leave as soon as it ends. */
  hotDays: number;
  /** Days an archived period is kept after it left the live store; null: forever. */
  archiveDays: number | null;
  /** A workflow's latest runs, whatever their age or status, never leave the live store. */
  keepLastRuns: number;
  /** FAILED runs stay in the live store at least this long (when longer than hotDays). */
  keepFailedForDays: number;
}

export const RETENTION_FIELDS = ['hotDays', 'archiveDays', 'keepLastRuns', 'keepFailedForDays'] as const;
export type RetentionField = (typeof RETENTION_FIELDS)[number];

/**
 * What one level sets: a field left out inherits from the level below. `archiveDays: null`
 * is set (archived periods are kept forever), not inherited.
 */
export type RetentionOverride = Partial<RetentionPolicy>;

/** The levels a policy is set at through the API: the instance's defaults, a project's, a workflow's. */
export const RETENTION_SCOPES = ['INSTANCE', 'PROJECT', 'WORKFLOW'] as const;
export type RetentionScope = (typeof RETENTION_SCOPES)[number];

/** Where an effective value comes from, lowest first: a later one overrides an earlier one. */
export const RETENTION_SOURCES = ['SETTING', 'INSTANCE', 'PROJECT', 'WORKFLOW', 'WORKFLOW_DEFINITION'] as const;
export type RetentionSource = (typeof RETENTION_SOURCES)[number];

export interface EffectiveRetention {
  policy: RetentionPolicy;
  sources: Record<RetentionField, RetentionSource>;
}

export const DAY_MS = 24 * 60 * 60 * 1000;
/** The longest duration a policy may name: a century. */
export const MAX_RETENTION_DAYS = 36_500;
/** The most runs `keepLastRuns` may keep per workflow: finding the last of them reads that many index entries. */
export const MAX_KEEP_LAST_RUNS = 100_000;

/**
 * The defaults of the settings (RETENTION_HOT_DAYS and the others): Dagu's 30 days of history,
 * nothing archived is ever dropped, the 20 runs a workflow's sparkline shows stay, and a
 * failure stays at hand for a quarter.
 */
export const DEFAULT_RETENTION_POLICY: RetentionPolicy = { hotDays: 30, archiveDays: null, keepLastRuns: 20, keepFailedForDays: 90 };

/** The bound and meaning of each field, for messages that say how to fix a value. */
export const RETENTION_RULES: Readonly<Record<RetentionField, { min: number; max: number; unit: string; meaning: string }>> = {
  hotDays: { min: 0, max: MAX_RETENTION_DAYS, unit: 'days', meaning: '0: runs may leave the live store as soon as they end' },
  archiveDays: { min: 1, max: MAX_RETENTION_DAYS, unit: 'days', meaning: 'to keep archived periods forever, set archiveForever instead' },
  keepLastRuns: { min: 0, max: MAX_KEEP_LAST_RUNS, unit: 'runs', meaning: '0: no run is kept for being among the latest' },
  keepFailedForDays: { min: 0, max: MAX_RETENTION_DAYS, unit: 'days', meaning: '0: FAILED runs follow hotDays like the others' },
};

/** Why `value` cannot be `field` (a sentence to follow the field's name), or null when it can. */
export function retentionValueProblem(field: RetentionField, value: number): string | null {
  const rule = RETENTION_RULES[field];
  if (Number.isInteger(value) && value >= rule.min && value <= rule.max) return null;
  return `is ${value}; it must be a whole number of ${rule.unit} from ${rule.min} to ${rule.max} (${rule.meaning})`;
}

/**
 * The policy in force: `settings` (every field set), overridden by each level in turn, lowest
 * precedence first; each field says which level gave it.
 */
export function resolveRetention(settings: RetentionPolicy, levels: readonly { source: RetentionSource; override: RetentionOverride }[]): EffectiveRetention {
  const policy: RetentionPolicy = { ...settings };
  const sources: Record<RetentionField, RetentionSource> = { hotDays: 'SETTING', archiveDays: 'SETTING', keepLastRuns: 'SETTING', keepFailedForDays: 'SETTING' };
  for (const { source, override } of levels) {
    if (override.hotDays !== undefined) [policy.hotDays, sources.hotDays] = [override.hotDays, source];
    if (override.archiveDays !== undefined) [policy.archiveDays, sources.archiveDays] = [override.archiveDays, source];
    if (override.keepLastRuns !== undefined) [policy.keepLastRuns, sources.keepLastRuns] = [override.keepLastRuns, source];
    if (override.keepFailedForDays !== undefined) [policy.keepFailedForDays, sources.keepFailedForDays] = [override.keepFailedForDays, source];
  }
  return { policy, sources };
}

/** The fields an override sets. */
export function overriddenFields(override: RetentionOverride): RetentionField[] {
  return RETENTION_FIELDS.filter((field) => override[field] !== undefined);
}

/** The policy in force at one level, as the API shows it: each value with the level it comes from. */
export interface RetentionPolicyView extends RetentionPolicy {
  scope: RetentionScope;
  /** Null at the instance. */
  projectId: string | null;
  /** Set at a workflow. */
  workflowId: string | null;
  sources: Record<RetentionField, RetentionSource>;
  /** At a project: its workflows that set a policy of their own (through the API or their definition). */
  workflowOverrides: RetentionPolicyView[];
}
