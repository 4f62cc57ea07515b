import type { IncomingHttpHeaders } from 'node:http';
import { parse as parseCookies } from 'cookie';
import { GraphQLError } from 'graphql';
import type { AuthService } from '../auth/auth.service.ts';
import type { Principal } from '../auth/principal.ts';
import { RateLimitedError, type RateLimits } from '../auth/rate-limits.ts';
import { bearerTokenFrom } from '../auth/token-secret.ts';

export const UNAUTHORIZED_CLOSE_CODE = 4401;
export const SESSION_COOKIE = 'runtrail_session';

/** What a request presented: a bearer token wins over the session cookie. */
export interface PresentedCredentials {
  bearer: string | null;
  session: string | null;
}

export function presentedCredentials(authorization: unknown, cookieHeader: string | undefined): PresentedCredentials {
  // An Authorization header that is not "Bearer <token>" counts as a wrong token, not as none.
  const bearer = typeof authorization === 'string' ? (bearerTokenFrom(authorization) ?? authorization) : null;
  const session = cookieHeader ? (parseCookies(cookieHeader)[SESSION_COOKIE] ?? null) : null;
  return { bearer, session };
}

/** The principal behind a bearer API token, or else behind the session cookie; null when neither is valid. */
export async function authenticatePresented(auth: AuthService, credentials: PresentedCredentials): Promise<Principal | null> {
  if (credentials.bearer !== null) return auth.authenticate(credentials.bearer, 'API');
  if (credentials.session !== null) return auth.authenticate(credentials.session, 'SESSION');
  return null;
}

/** Counts a request against its token's rate; a GraphQL error with 429 and Retry-After once it is used up. */
export async function consumeRequestRate(limits: RateLimits, principal: Principal): Promise<void> {
  if (!principal.credential) return;
  try {
    await limits.consumeRequest(principal.credential.id);
  } catch (error) {
    if (!(error instanceof RateLimitedError)) throw error;
    throw new GraphQLError(error.message, { extensions: { ...error.details, code: error.code, ...error.extensions } });
  }
}

/** The request's address, for per-address limits: the socket's peer, not a header anyone can set. */
export function clientAddress(request: { socket: { remoteAddress?: string | undefined } }): string {
  return request.socket.remoteAddress ?? 'unknown';
}

/** A browser's WebSocket carries the session cookie to any host that shares the site: only our own origin may use it. */
export function sameOrigin(headers: IncomingHttpHeaders, publicUrl: string | null): boolean {
  const origin = headers.origin;
  if (!origin) return false;
  try {
    const { host } = new URL(origin);
    return host === headers.host || (publicUrl !== null && new URL(publicUrl).host === host);
  } catch {
    return false;
  }
}

export function unauthenticatedError(hadCredentials: boolean): GraphQLError {
  const message = hadCredentials
    ? 'The token or session is unknown, revoked or expired; sign in again or create a new token'
    : 'Authentication required: send "Authorization: Bearer <token>" or sign in with the login mutation (the first admin token is in DATA_DIR/admin-token)';
  return new GraphQLError(message, {
    extensions: {
      code: 'UNAUTHENTICATED',
      http: { status: 401, headers: new Map([['www-authenticate', 'Bearer realm="runtrail"']]) },
    },
  });
}
