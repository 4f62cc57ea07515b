import { RETENTION_FIELDS, retentionValueProblem, type RetentionOverride } from './retention-policy.ts';

/**
 * A policy to set, as a client sends it: at a workflow (workflowId), a project (projectId) or
 * the instance (neither). It replaces what that level set before: a field left out (or null)
 * inherits from the level below.
 */
export interface RetentionPolicyChange {
  projectId?: string | null;
  workflowId?: string | null;
  hotDays?: number | null;
  archiveDays?: number | null;
  /** Keep archived periods forever (archiveDays then stays out). */
  archiveForever?: boolean | null;
  keepLastRuns?: number | null;
  keepFailedForDays?: number | null;
}

export type RetentionTarget = { scope: 'INSTANCE' } | { scope: 'PROJECT'; projectId: string } | { scope: 'WORKFLOW'; workflowId: string };

/**
 * What a change sets, or every problem with it, each naming the field (`input.hotDays`), what
 * is wrong and what it may be.
 */
export function readRetentionChange(change: RetentionPolicyChange): { ok: true; target: RetentionTarget; override: RetentionOverride } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const override: RetentionOverride = {};
  for (const field of RETENTION_FIELDS) {
    const value = change[field];
    if (value === null || value === undefined) continue;
    const problem = retentionValueProblem(field, value);
    if (problem) problems.push(`input.${field} ${problem}`);
    else override[field] = value;
  }
  if (change.archiveForever === true) {
    if (typeof change.archiveDays === 'number') {
      problems.push('input.archiveDays and input.archiveForever are both set; give archiveDays to keep archived periods that many days, or archiveForever: true to keep them forever');
    }
    override.archiveDays = null;
  }
  if (change.projectId && change.workflowId) {
    problems.push("input.projectId and input.workflowId are both set; give workflowId alone for a workflow's policy, projectId alone for a project's, neither for the instance's defaults");
  }
  if (problems.length > 0) return { ok: false, problems };
  const target: RetentionTarget = change.workflowId
    ? { scope: 'WORKFLOW', workflowId: change.workflowId }
    : change.projectId
      ? { scope: 'PROJECT', projectId: change.projectId }
      : { scope: 'INSTANCE' };
  return { ok: true, target, override };
}
