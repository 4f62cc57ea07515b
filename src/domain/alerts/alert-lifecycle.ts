import type { AlertState } from './alert-notice.ts';
import type { Observation } from './alert-conditions.ts';
import type { AlertLifecycleSettings } from './alert-rule.ts';

/** Where an alert instance stands, as its lifecycle reads and writes it. */
export interface AlertProgress {
  state: AlertState;
  /** When its firing condition began to hold, in this episode. */
  activeSince: Date | null;
  /** When it last held (the firing condition, or while FIRING the holding one). */
  lastActiveAt: Date | null;
  firedAt: Date | null;
  resolvedAt: Date | null;
  summary: string;
}

export interface AlertTransition {
  from: AlertState;
  to: AlertState;
  message: string;
}

export const NEW_ALERT: AlertProgress = { state: 'INACTIVE', activeSince: null, lastActiveAt: null, firedAt: null, resolvedAt: null, summary: '' };

/**
 * One evaluation of an alert (Prometheus's and Alertmanager's lifecycle): a condition that holds
 * makes it PENDING, and FIRING once it held `forMs` (at once when 0); a PENDING alert whose
 * condition stops goes back without a notice; a FIRING one stays while its holding condition
 * (the lower, resolving bound) holds and `keepFiringForMs` after, then RESOLVES. Answers the
 * alert afterwards and the transition, if it moved.
 */
export function advance(current: AlertProgress, observation: Observation, now: Date, settings: AlertLifecycleSettings): { next: AlertProgress; transition: AlertTransition | null } {
  const at = now.getTime();
  const summary = observation.summary;
  const move = (next: AlertProgress, message: string) => ({ next, transition: { from: current.state, to: next.state, message } });
  switch (current.state) {
    case 'INACTIVE':
    case 'RESOLVED': {
      if (!observation.firing) return { next: { ...current, summary }, transition: null };
      const started = { ...current, activeSince: now, lastActiveAt: now, summary };
      if (settings.forMs === 0) return move({ ...started, state: 'FIRING', firedAt: now, resolvedAt: null }, summary);
      return move({ ...started, state: 'PENDING' }, `${summary}; fires if it still holds after ${settings.forMs / 1000} s`);
    }
    case 'PENDING': {
      if (!observation.firing) return move({ ...current, state: current.resolvedAt ? 'RESOLVED' : 'INACTIVE', activeSince: null, summary }, `no longer holds before it fired: ${summary}`);
      const since = current.activeSince ?? now;
      if (at - since.getTime() >= settings.forMs) return move({ ...current, state: 'FIRING', firedAt: now, resolvedAt: null, lastActiveAt: now, summary }, summary);
      return { next: { ...current, lastActiveAt: now, summary }, transition: null };
    }
    case 'FIRING': {
      if (observation.holding) return { next: { ...current, lastActiveAt: now, summary }, transition: null };
      const quietSince = current.lastActiveAt ?? now;
      if (at - quietSince.getTime() < settings.keepFiringForMs) return { next: { ...current, summary }, transition: null };
      return move({ ...current, state: 'RESOLVED', resolvedAt: now, activeSince: null, summary }, `resolved: ${summary}`);
    }
  }
}

/** An alert whose lifecycle may move with time alone, without a new run: the evaluator's ticker looks at these again. */
export function movesWithTime(progress: AlertProgress, settings: AlertLifecycleSettings): boolean {
  return progress.state === 'PENDING' || (progress.state === 'FIRING' && settings.keepFiringForMs > 0);
}
