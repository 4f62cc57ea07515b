/** How the outbox retries: the backoff, how long before it gives up, and when it holds an endpoint. */
export interface DeliveryPolicy {
  /** The wait after the first failed attempt; it doubles after each further one... */
  firstRetryMs: number;
  /** ...up to this. */
  maxRetryMs: number;
  /** After this long from its creation a notification is not tried again: FAILED with its last error. */
  horizonMs: number;
  /** Consecutive failures of one contact point that open its circuit. */
  breakerFailures: number;
  /** How long an open circuit holds the contact point's deliveries before one probe. */
  breakerCoolDownMs: number;
}

const HOUR_MS = 3_600_000;

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  firstRetryMs: 10_000,
  maxRetryMs: HOUR_MS,
  horizonMs: 24 * HOUR_MS,
  breakerFailures: 5,
  breakerCoolDownMs: 60_000,
};

/**
 * When to try a notification again after its `attempts`-th attempt failed at `now`, or null to
 * give up. The wait doubles from firstRetryMs up to maxRetryMs, and is drawn between half of it
 * and all of it (`random` in [0, 1)) so that the notifications of an endpoint that was down do
 * not all come back at the same moment; the last attempt is at the horizon.
 */
export function nextAttemptAfterFailure(policy: DeliveryPolicy, createdAt: Date, attempts: number, now: Date, random: number): Date | null {
  const deadline = createdAt.getTime() + policy.horizonMs;
  if (now.getTime() >= deadline) return null;
  const wait = Math.min(policy.firstRetryMs * 2 ** Math.min(Math.max(attempts - 1, 0), 40), policy.maxRetryMs);
  const jittered = wait / 2 + random * (wait / 2);
  return new Date(Math.min(now.getTime() + Math.ceil(jittered), deadline));
}
