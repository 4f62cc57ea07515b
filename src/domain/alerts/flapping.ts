/**
 * Flap damping (Nagios's idea; Alertmanager declined it, prometheus/alertmanager #204): an alert
 * that fired or resolved this many times within the window is flapping. One notice says so; the
 * rest are held back until it settles, changing no state for FLAP_SETTLE_MS, and then its state
 * at that moment is notified once.
 */
export const FLAP_WINDOW_MS = 60 * 60_000;
export const FLAP_CHANGES = 4;
export const FLAP_SETTLE_MS = 30 * 60_000;

/** Whether an alert whose FIRING and RESOLVED transitions happened at these times flaps at `now`. */
export function isFlapping(changes: readonly Date[], now: Date): boolean {
  const since = now.getTime() - FLAP_WINDOW_MS;
  return changes.filter((at) => at.getTime() > since).length >= FLAP_CHANGES;
}

/** Whether a flapping alert whose last FIRING or RESOLVED transition was at `lastChange` has settled by `now`. */
export function hasSettled(lastChange: Date | null, now: Date): boolean {
  return lastChange === null || now.getTime() - lastChange.getTime() >= FLAP_SETTLE_MS;
}

/** The longest a resolution is held back (Alertmanager's group_interval). */
export const RESOLVE_HOLD_MAX_MS = 5 * 60_000;

/**
 * How long a RESOLVED notice waits before it goes out: twice as long as the alert fired, up to
 * RESOLVE_HOLD_MAX_MS. An alert that fires again meanwhile takes it back and is not notified
 * again (nobody heard it resolve), so an alert flipping back and forth tells its first FIRING,
 * then that it flaps, and nothing between; a blip of seconds is resolved seconds later.
 */
export function resolveHoldMs(firedAt: Date | null, resolvedAt: Date): number {
  if (firedAt === null) return 0;
  return Math.min(RESOLVE_HOLD_MAX_MS, Math.max(0, 2 * (resolvedAt.getTime() - firedAt.getTime())));
}
