/** Statuses use Dagu's vocabulary; the legal moves between them are defined here only. */

export const RUN_STATUSES = [
  'QUEUED',
  'RUNNING',
  'WAITING',
  'SUCCEEDED',
  'PARTIALLY_SUCCEEDED',
  'FAILED',
  'ABORTED',
  'REJECTED',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const STEP_STATUSES = [
  'NOT_STARTED',
  'RUNNING',
  'WAITING',
  'SUCCEEDED',
  'PARTIALLY_SUCCEEDED',
  'FAILED',
  'ABORTED',
  'SKIPPED',
  'REJECTED',
] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const INITIAL_RUN_STATUS = 'QUEUED' satisfies RunStatus;
export const INITIAL_STEP_STATUS = 'NOT_STARTED' satisfies StepStatus;

const RUN_TRANSITIONS: Record<RunStatus, readonly RunStatus[]> = {
  QUEUED: ['RUNNING', 'ABORTED', 'FAILED'],
  // REJECTED from RUNNING too: handlers run (RUNNING) after an approval was rejected. QUEUED
  // again: a run whose executor was lost goes back to the queue when the retry policy of every
  // step it had running allows another attempt (lost-run.ts); finished steps stay as they are.
  RUNNING: ['WAITING', 'SUCCEEDED', 'PARTIALLY_SUCCEEDED', 'FAILED', 'ABORTED', 'REJECTED', 'QUEUED'],
  WAITING: ['RUNNING', 'FAILED', 'ABORTED', 'REJECTED'],
  SUCCEEDED: [],
  PARTIALLY_SUCCEEDED: [],
  FAILED: [],
  ABORTED: [],
  REJECTED: [],
};

const STEP_TRANSITIONS: Record<StepStatus, readonly StepStatus[]> = {
  // SUCCEEDED straight away: a step carried over from the run a retry-from-failed-step repeats.
  NOT_STARTED: ['RUNNING', 'WAITING', 'SKIPPED', 'ABORTED', 'SUCCEEDED'],
  RUNNING: ['SUCCEEDED', 'PARTIALLY_SUCCEEDED', 'FAILED', 'ABORTED'],
  WAITING: ['SUCCEEDED', 'REJECTED', 'ABORTED'],
  // A failed attempt goes back to RUNNING when its retry policy allows another one.
  FAILED: ['RUNNING'],
  SUCCEEDED: [],
  PARTIALLY_SUCCEEDED: [],
  ABORTED: [],
  SKIPPED: [],
  REJECTED: [],
};

export const TERMINAL_RUN_STATUSES: ReadonlySet<RunStatus> = new Set(
  RUN_STATUSES.filter((status) => RUN_TRANSITIONS[status].length === 0),
);

/** Steps that are not done: a finished run has none of them (recovery settles any left). */
export const UNFINISHED_STEP_STATUSES: readonly StepStatus[] = ['NOT_STARTED', 'RUNNING', 'WAITING'];

export function isUnfinishedStepStatus(status: string): boolean {
  return (UNFINISHED_STEP_STATUSES as readonly string[]).includes(status);
}

/** Steps that are done, one way or another: what their dependants wait for. */
export const TERMINAL_STEP_STATUSES: ReadonlySet<StepStatus> = new Set(STEP_STATUSES.filter((status) => !isUnfinishedStepStatus(status)));

export function isTerminalStepStatus(status: StepStatus): boolean {
  return TERMINAL_STEP_STATUSES.has(status);
}

export const ACTIVE_RUN_STATUSES: ReadonlySet<RunStatus> = new Set(['QUEUED', 'RUNNING', 'WAITING']);

export function isRunStatus(value: string): value is RunStatus {
  return (RUN_STATUSES as readonly string[]).includes(value);
}

/** A stored status read back: one of RUN_STATUSES, or the data is corrupt and that is an error, never a default. */
export function runStatusOf(value: string, where: string): RunStatus {
  if (!isRunStatus(value)) throw new Error(`Unknown run status "${value}" in ${where}`);
  return value;
}

export function isStepStatus(value: string): value is StepStatus {
  return (STEP_STATUSES as readonly string[]).includes(value);
}

/** A stored step status read back: one of STEP_STATUSES, or the data is corrupt and that is an error, never a default. */
export function stepStatusOf(value: string, where: string): StepStatus {
  if (!isStepStatus(value)) throw new Error(`Unknown step status "${value}" in ${where}`);
  return value;
}

export function isTerminalRunStatus(status: RunStatus): boolean {
  return TERMINAL_RUN_STATUSES.has(status);
}

export function canTransitionRun(from: RunStatus, to: RunStatus): boolean {
  return RUN_TRANSITIONS[from].includes(to);
}

export function canTransitionStep(from: StepStatus, to: StepStatus): boolean {
  return STEP_TRANSITIONS[from].includes(to);
}

export function allowedRunTransitions(from: RunStatus): readonly RunStatus[] {
  return RUN_TRANSITIONS[from];
}

export function allowedStepTransitions(from: StepStatus): readonly StepStatus[] {
  return STEP_TRANSITIONS[from];
}
