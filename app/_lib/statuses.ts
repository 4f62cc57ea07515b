/**
 * The one table of statuses: their order, labels and colours. Badges, chips, the pie and the
 * trend chart all read it, so a status looks the same everywhere. Colours are CSS variables
 * (globals.css) with light and dark values that keep AA contrast on their backgrounds.
 */
import type { RunStatus, StepStatus } from '../_gql/graphql.ts';

export interface StatusLook {
  label: string;
  /** What the status means, for tooltips and screen readers. */
  description: string;
  /** CSS colour of charts and dots. */
  color: string;
  /** Whether a run in it is still going. */
  active: boolean;
}

export const RUN_STATUSES: Record<RunStatus, StatusLook> = {
  QUEUED: { label: 'Queued', description: 'waiting for a free slot', color: 'var(--status-queued)', active: true },
  RUNNING: { label: 'Running', description: 'steps are executing', color: 'var(--status-running)', active: true },
  WAITING: { label: 'Waiting', description: 'waiting for an approval', color: 'var(--status-waiting)', active: true },
  SUCCEEDED: { label: 'Succeeded', description: 'every step succeeded', color: 'var(--status-succeeded)', active: false },
  PARTIALLY_SUCCEEDED: { label: 'Partly succeeded', description: 'some steps failed but were allowed to', color: 'var(--status-partial)', active: false },
  FAILED: { label: 'Failed', description: 'a step failed', color: 'var(--status-failed)', active: false },
  ABORTED: { label: 'Aborted', description: 'cancelled, timed out or stopped', color: 'var(--status-aborted)', active: false },
  REJECTED: { label: 'Rejected', description: 'an approval was rejected', color: 'var(--status-rejected)', active: false },
};

/** The display order: active first, then outcomes from best to worst. */
export const RUN_STATUS_ORDER = Object.keys(RUN_STATUSES) as RunStatus[];

export const STEP_STATUSES: Record<StepStatus, StatusLook> = {
  NOT_STARTED: { label: 'Not started', description: 'has not started yet', color: 'var(--status-queued)', active: true },
  RUNNING: RUN_STATUSES.RUNNING,
  WAITING: RUN_STATUSES.WAITING,
  SUCCEEDED: RUN_STATUSES.SUCCEEDED,
  PARTIALLY_SUCCEEDED: RUN_STATUSES.PARTIALLY_SUCCEEDED,
  FAILED: RUN_STATUSES.FAILED,
  ABORTED: RUN_STATUSES.ABORTED,
  SKIPPED: { label: 'Skipped', description: 'its condition was not met, or an earlier step failed', color: 'var(--status-skipped)', active: false },
  REJECTED: RUN_STATUSES.REJECTED,
};

export function isRunStatus(value: string): value is RunStatus {
  return Object.hasOwn(RUN_STATUSES, value);
}

export function isActiveRunStatus(status: RunStatus): boolean {
  return RUN_STATUSES[status].active;
}

/** The label of a run or step status written as text (an event's from and to); unknown text as it is. */
export function statusLabel(status: string): string;
export function statusLabel(status: string | null): string | null;
export function statusLabel(status: string | null): string | null {
  if (status === null) return null;
  if (isRunStatus(status)) return RUN_STATUSES[status].label;
  if (isStepStatus(status)) return STEP_STATUSES[status].label;
  return status;
}

function isStepStatus(value: string): value is StepStatus {
  return Object.hasOwn(STEP_STATUSES, value);
}
