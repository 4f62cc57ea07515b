import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import type { Services } from '../composition.ts';
import { ANONYMOUS, createContext, type GraphQLContext } from '../graphql/context.ts';
import { authenticatePresented, clientAddress, consumeRequestRate, presentedCredentials, unauthenticatedError } from './authenticate.ts';
import type { SessionCookies } from './session-cookies.ts';

/** The GraphQL context of one HTTP request: who is calling (bearer token or session cookie), rate-limited, with a request id. */
export function httpContext(deps: { services: Services; cookies: SessionCookies; logger: Logger; responseMaxBytes: number }) {
  const { services, cookies, logger } = deps;
  return async ({ req, res }: { req: Request; res: Response }): Promise<GraphQLContext> => {
    const credentials = presentedCredentials(req.headers.authorization, req.headers.cookie);
    const principal = await authenticatePresented(services.auth, credentials);
    // A bad bearer token is refused outright. A stale session cookie is dropped, and its
    // browser may still sign in again.
    if (!principal && credentials.bearer !== null) throw unauthenticatedError(true);
    if (principal) await consumeRequestRate(services.limits, principal);
    const requestId = typeof req.headers['x-request-id'] === 'string' ? req.headers['x-request-id'] : randomUUID();
    const session = cookies.transport(res, clientAddress(req));
    if (!principal && credentials.session !== null) session.endSession();
    const caller = principal ? { principal, authenticated: true } : { principal: ANONYMOUS, authenticated: false };
    return createContext(caller, session, services, logger.child({ requestId, userId: caller.principal.userId }), deps.responseMaxBytes);
  };
}
