export const RUN_TRIGGERS = ['SCHEDULER', 'MANUAL', 'WEBHOOK', 'SUBDAG', 'RETRY', 'API'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

export const ROLES = ['VIEWER', 'OPERATOR', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

export const RUN_EVENT_KINDS = ['RUN', 'STEP'] as const;
export type RunEventKind = (typeof RUN_EVENT_KINDS)[number];

/** A stored event kind read back: RUN or STEP, or the data is corrupt and that is an error. */
export function runEventKindOf(value: string, where: string): RunEventKind {
  const kind = RUN_EVENT_KINDS.find((known) => known === value);
  if (kind === undefined) throw new Error(`Unknown event kind "${value}" in ${where}`);
  return kind;
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** A stored role read back: one of ROLES, or the data is corrupt and that is an error, never a default. */
export function roleOf(value: string, where: string): Role {
  if (!isRole(value)) throw new Error(`Unknown role "${value}" in ${where}`);
  return value;
}

/** A stored trigger read back: one of RUN_TRIGGERS, or the data is corrupt and that is an error, never a default. */
export function runTriggerOf(value: string, where: string): RunTrigger {
  const trigger = RUN_TRIGGERS.find((known) => known === value);
  if (trigger === undefined) throw new Error(`Unknown run trigger "${value}" in ${where}`);
  return trigger;
}
