/**
 * The browser's side of the cookie session. The cookie is httpOnly, so scripts never hold the
 * secret: they ask the server who is signed in, and learn here when a request was refused.
 */

/** Why the user is on the login page; it explains the reason. */
export type SessionEndReason = 'signed-out' | 'unauthenticated' | 'link-invalid';

const listeners = new Set<(reason: SessionEndReason) => void>();

export function parseSessionEndReason(value: string | null): SessionEndReason | null {
  return value === 'signed-out' || value === 'unauthenticated' || value === 'link-invalid' ? value : null;
}

let confirmed = false;

/** The server accepted this browser's session (the viewer loaded): a later refusal means it ended. */
export function confirmSession(): void {
  confirmed = true;
}

/** Whether the session was accepted since the page loaded: if not, a refusal means there never was one. */
export function sessionWasConfirmed(): boolean {
  return confirmed;
}

/** Tells whoever listens (the session gate) that the server no longer accepts this browser. */
export function sessionEnded(reason: SessionEndReason): void {
  for (const listener of listeners) listener(reason);
  confirmed = false;
}

export function onSessionEnded(listener: (reason: SessionEndReason) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
