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
      response.cookie(SESSION_COOKIE, secret, { ...options, expires: expiresAt });
    },
    clear(response: Response): void {
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
