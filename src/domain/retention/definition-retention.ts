import type { RetentionOverride } from './retention-policy.ts';

/** The part of a workflow's retention its definition may set (Dagu's history keys). */
export type DefinitionRetention = Pick<RetentionOverride, 'hotDays' | 'keepLastRuns'>;

/**
 * Dagu's history keys of a workflow file as its retention override. Dagu deletes a workflow's
 * runs older than `histRetentionDays` or, when `histRetentionRuns` is set, every run but the
 * latest `histRetentionRuns` whatever their age (the days are then not looked at). Runtrail
 * moves runs to the archive instead, and keeps in the live store at least every run Dagu keeps:
 *
 * - `histRetentionDays: D` → hotDays D;
 * - `histRetentionRuns: N` → keepLastRuns N and, without histRetentionDays, hotDays 0 (a count
 *   alone, as in Dagu);
 * - both → hotDays D and keepLastRuns N: the last D days, and at least the latest N runs.
 */
export function definitionRetention(histRetentionDays: number | null, histRetentionRuns: number | null): DefinitionRetention {
  const retention: DefinitionRetention = {};
  if (histRetentionDays !== null) retention.hotDays = histRetentionDays;
  if (histRetentionRuns !== null) {
    retention.keepLastRuns = histRetentionRuns;
    retention.hotDays ??= 0;
  }
  return retention;
}
