/**
 * The API token lives in localStorage so a one-click login link survives reloads and new tabs.
 * Every reader goes through this module, which also tells subscribers when the token changes
 * (in this tab, or in another one through the `storage` event).
 */

export const TOKEN_STORAGE_KEY = 'runtrail.token';

/** Why a session ended; the login page explains it to the user. */
export type SessionEndReason = 'signed-out' | 'unauthenticated';

const listeners = new Set<() => void>();
let lastEndReason: SessionEndReason | null = null;

function notify(): void {
  for (const listener of listeners) listener();
}

export function readToken(): string | null {
  try {
    return window.localStorage.getItem(TOKEN_STORAGE_KEY);
  } catch {
    // Storage can be disabled (privacy modes, blocked cookies): behave as signed out.
    return null;
  }
}

export function storeToken(token: string): void {
  window.localStorage.setItem(TOKEN_STORAGE_KEY, token);
  lastEndReason = null;
  notify();
}

/** Forget the token; whoever watches it (the session gate) sends the user to /login. */
export function endSession(reason: SessionEndReason): void {
  lastEndReason = reason;
  try {
    window.localStorage.removeItem(TOKEN_STORAGE_KEY);
  } catch {
    // Nothing stored, nothing to forget.
  }
  notify();
}

export function lastSessionEndReason(): SessionEndReason | null {
  return lastEndReason;
}

export function subscribeToToken(listener: () => void): () => void {
  const onStorage = (event: StorageEvent) => {
    if (event.key === TOKEN_STORAGE_KEY || event.key === null) listener();
  };
  listeners.add(listener);
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

/**
 * The token inside what a user pasted: the bare secret, a `Bearer …` header value, or the
 * whole login link printed by the server (`…/login#token=…`).
 */
export function tokenFromInput(input: string): string | null {
  const trimmed = input.trim();
  const fragmentAt = trimmed.indexOf('#');
  if (fragmentAt !== -1) return tokenFromFragment(trimmed.slice(fragmentAt));
  const token = trimmed.replace(/^Bearer\s+/i, '');
  return token === '' || /\s/.test(token) ? null : token;
}

/** The `token` parameter of a URL fragment such as `#token=rt_…`. */
export function tokenFromFragment(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token')?.trim();
  return token ? token : null;
}
