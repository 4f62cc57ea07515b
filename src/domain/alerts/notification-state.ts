/** Where a notification of the outbox stands: to deliver, delivered, or given up after its retries. */
export const NOTIFICATION_STATES = ['PENDING', 'DELIVERED', 'FAILED'] as const;
export type NotificationState = (typeof NOTIFICATION_STATES)[number];

/** A stored state read back: one of NOTIFICATION_STATES, or the data is corrupt and that is an error. */
export function notificationStateOf(value: string, where: string): NotificationState {
  const state = NOTIFICATION_STATES.find((known) => known === value);
  if (state === undefined) throw new Error(`Unknown notification state "${value}" of ${where}`);
  return state;
}
