import { AppError } from '../errors.ts';

/** What a silence matches: every alert of its project when all lists are empty, otherwise those each non-empty list names. */
export interface SilenceMatchers {
  ruleIds: string[];
  workflowIds: string[];
  workflowNames: string[];
}

export interface SilenceRecord {
  id: string;
  projectId: string;
  matchers: SilenceMatchers;
  startsAt: Date;
  endsAt: Date;
  comment: string;
  createdBy: string;
  createdAt: Date;
}

/** A silence as a client sends it. */
export interface SilenceDraft {
  projectId: string;
  ruleIds?: readonly string[] | null;
  workflowIds?: readonly string[] | null;
  workflowNames?: readonly string[] | null;
  /** Default: now. */
  startsAt?: Date | null;
  endsAt: Date;
  comment: string;
}

const LIST_MAX = 100;
const COMMENT_MAX = 1_000;
/** A silence longer than this is a disabled rule: say so by disabling it. */
export const SILENCE_MAX_MS = 90 * 24 * 60 * 60_000;

/** Checks a silence as a client sent it; every wrong field is named in one BAD_USER_INPUT. */
export function parseSilence(draft: SilenceDraft, now: Date): Omit<SilenceRecord, 'id' | 'createdBy' | 'createdAt'> {
  const problems: string[] = [];
  const list = (field: string, values: readonly string[] | null | undefined) => {
    const items = [...new Set(values ?? [])];
    if (items.length > LIST_MAX) problems.push(`${field}: at most ${LIST_MAX} items (got ${items.length})`);
    return items;
  };
  const matchers = { ruleIds: list('ruleIds', draft.ruleIds), workflowIds: list('workflowIds', draft.workflowIds), workflowNames: list('workflowNames', draft.workflowNames) };
  const startsAt = draft.startsAt ?? now;
  const comment = draft.comment.trim();
  if (comment.length === 0 || comment.length > COMMENT_MAX) problems.push(`comment: 1 to ${COMMENT_MAX} characters saying why (got ${comment.length})`);
  if (draft.endsAt.getTime() <= Math.max(startsAt.getTime(), now.getTime())) problems.push(`endsAt: after startsAt and after now (got ${draft.endsAt.toISOString()})`);
  if (draft.endsAt.getTime() - startsAt.getTime() > SILENCE_MAX_MS) problems.push('endsAt: at most 90 days after startsAt (to silence a rule for good, disable it)');
  if (problems.length > 0) throw new AppError('BAD_USER_INPUT', `The silence is not valid: ${problems.join('; ')}`, { problems });
  return { projectId: draft.projectId, matchers, startsAt, endsAt: draft.endsAt, comment };
}

/** Whether the silence holds back notifications of this alert at `at`. */
export function silences(silence: SilenceRecord, alert: { ruleId: string; workflowId: string; workflowName: string | null }, at: Date): boolean {
  const { ruleIds, workflowIds, workflowNames } = silence.matchers;
  const active = silence.startsAt.getTime() <= at.getTime() && at.getTime() < silence.endsAt.getTime();
  const rule = ruleIds.length === 0 || ruleIds.includes(alert.ruleId);
  const workflow = (workflowIds.length === 0 && workflowNames.length === 0) || workflowIds.includes(alert.workflowId) || (alert.workflowName !== null && workflowNames.includes(alert.workflowName));
  return active && rule && workflow;
}
