import type { SessionEndReason } from './session.ts';

const PLACEHOLDER_ORIGIN = 'http://runtrail.invalid';

/**
 * Where to go after signing in: the page the user asked for, when `next` is a path of this
 * site; `/` for anything else (another origin, `//host`, `/\host`, a scheme, the login page
 * itself), so a link to the login page cannot send anyone elsewhere.
 */
export function safeReturnPath(next: string | null): string {
  if (next === null || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  // Browsers drop tabs and newlines from URLs, which would turn "/\t/evil.example" into "//evil.example".
  if (/[\u0000-\u001f\u007f]/.test(next)) return '/';
  const url = new URL(next, PLACEHOLDER_ORIGIN);
  if (url.origin !== PLACEHOLDER_ORIGIN || url.pathname === '/login') return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The login page, told why the user is there and where they were (not after signing out: they chose to leave). */
export function loginHref(reason: SessionEndReason | null, from: string): string {
  const params = new URLSearchParams();
  if (reason) params.set('reason', reason);
  const next = reason === 'signed-out' ? '/' : safeReturnPath(from);
  if (next !== '/') params.set('next', next);
  const query = params.toString();
  return query ? `/login?${query}` : '/login';
}
