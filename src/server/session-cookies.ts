import type { Response } from 'express';
import type { SessionTransport } from '../graphql/context.ts';
import { SESSION_COOKIE } from './authenticate.ts';

/**
 * The UI's session cookie: httpOnly (scripts never see the secret), SameSite=Lax (other sites'
 * forms and scripts do not send it), Secure behind https.
 */
export function sessionCookies(secure: boolean) {
  const options = { httpOnly: true, sameSite: 'lax' as const, secure, path: '/' };
  return {
    set(response: Response, secret: string, expiresAt: Date): void {
      dropEarlierSessionCookie(response);
      response.cookie(SESSION_COOKIE, secret, { ...options, expires: expiresAt });
    },
    clear(response: Response): void {
      dropEarlierSessionCookie(response);
      response.clearCookie(SESSION_COOKIE, options);
    },
    transport(response: Response, address: string): SessionTransport {
      return {
        address,
        startSession: (secret, expiresAt) => this.set(response, secret, expiresAt),
        endSession: () => this.clear(response),
      };
    },
  };
}

export type SessionCookies = ReturnType<typeof sessionCookies>;

/** One answer sets the cookie once: a stale cookie cleared on arrival and a new session in the same answer leave only the session. */
function dropEarlierSessionCookie(response: Response): void {
  const earlier = response.getHeader('set-cookie');
  const cookies = Array.isArray(earlier) ? earlier : typeof earlier === 'string' ? [earlier] : [];
  const others = cookies.filter((cookie) => !cookie.startsWith(`${SESSION_COOKIE}=`));
  if (others.length === 0) response.removeHeader('set-cookie');
  else response.setHeader('set-cookie', others);
}
