import type { AlertState } from './alert-notice.ts';
import type { AlertTransition } from './alert-lifecycle.ts';

/** What is known of an alert once it was judged, for deciding what to tell its contact points. */
export interface NotificationContext {
  transition: AlertTransition | null;
  /** Its state after the judgement. */
  state: AlertState;
  /** A FIRING notice of this episode went out (or waits in the outbox). */
  firingNotified: boolean;
  acknowledged: boolean;
  lastNotifiedAt: Date | null;
  repeatIntervalMs: number;
  /** An active silence matches it. */
  silenced: boolean;
  flapping: { was: boolean; is: boolean };
  now: Date;
}

/** Which notice to send, if any: `resolved` first takes back a FIRING notice still in its group wait (then nothing is sent). */
export type NoticeDecision = 'firing' | 'reminder' | 'resolved' | 'flapping' | null;

/**
 * Alertmanager's rules with our additions: a silenced alert notifies nothing (its transitions
 * are still recorded; once the silence ends a FIRING alert not yet notified is); an alert that
 * begins to flap says so once and nothing more until it settles, then its state is notified
 * once; a FIRING transition notifies; a RESOLVED one only when its FIRING was notified; a
 * FIRING alert not acknowledged is reminded of every repeat interval.
 */
export function decideNotice(context: NotificationContext): NoticeDecision {
  const { transition, state, firingNotified, silenced, flapping, now } = context;
  if (silenced) return null;
  if (flapping.is) return flapping.was ? null : 'flapping';
  if (flapping.was) {
    if (state === 'FIRING') return 'firing';
    return firingNotified ? 'resolved' : null;
  }
  if (transition?.to === 'FIRING') return 'firing';
  if (transition?.to === 'RESOLVED') return firingNotified ? 'resolved' : null;
  if (state !== 'FIRING' || transition) return null;
  if (!firingNotified) return 'firing';
  const due = context.lastNotifiedAt !== null && context.repeatIntervalMs > 0 && now.getTime() - context.lastNotifiedAt.getTime() >= context.repeatIntervalMs;
  return due && !context.acknowledged ? 'reminder' : null;
}
