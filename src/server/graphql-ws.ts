import type { IncomingMessage } from 'node:http';
import { parse, specifiedRules, validate } from 'graphql';
import { GraphQLError, type DocumentNode, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import type { QueryLimits } from '../config.ts';
import { complexityErrors, depthLimitRule } from '../graphql/query-limits.ts';
import { useServer } from 'graphql-ws/use/ws';
import type { WebSocketServer } from 'ws';
import type { Logger } from 'pino';
import type { Principal } from '../auth/principal.ts';
import type { Services } from '../composition.ts';
import { AppError } from '../domain/errors.ts';
import { createContext, isGraphQLContext, withFreshLoaders, type SessionTransport } from '../graphql/context.ts';
import { lostAccess } from '../auth/access-check.ts';
import { authenticatePresented, clientAddress, consumeRequestRate, presentedCredentials, sameOrigin, UNAUTHORIZED_CLOSE_CODE } from './authenticate.ts';
import { isResultStream, payloadJsonOnce, sendNextMessagesDirectly } from './direct-next-messages.ts';
import { sharedResultsSubscribe } from './shared-subscription-results.ts';

type ErrorFormatter = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

interface GraphQLWsOptions {
  schema: GraphQLSchema;
  limits: QueryLimits;
  services: Services;
  logger: Logger;
  formatError: ErrorFormatter;
  /** Where browsers reach this server: their Origin must match it (or the Host) to sign in with the cookie. */
  publicUrl: string | null;
  connectionInitTimeoutMs: number;
  keepAliveMs: number;
  /** How often open connections' tokens are checked again; a revoked or expired one is closed. */
  tokenRecheckMs: number;
}

/** graphql-ws's code for Forbidden: the connection's token was revoked or expired, or its access shrank. */
export const REVOKED_CLOSE_CODE = 4403;

interface OpenConnection {
  principal: Principal;
  tokenHash: string;
  close(reason: string): void;
  /** Closes the connection when its token expires. */
  expiry: NodeJS.Timeout | null;
}

// setTimeout's limit; a later expiry is caught by the periodic recheck.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Sessions cannot start or end over a WebSocket: the cookie is the HTTP response's to set. */
const NO_SESSION_TRANSPORT = (address: string): SessionTransport => ({
  address,
  startSession: () => {
    throw new AppError('BAD_USER_INPUT', 'Sign in over HTTP (POST /graphql): a WebSocket cannot set the session cookie');
  },
  endSession: () => {
    throw new AppError('BAD_USER_INPUT', 'Sign out over HTTP (POST /graphql): a WebSocket cannot clear the session cookie');
  },
});

/**
 * graphql-ws on an existing WebSocketServer: authenticates `connectionParams.authorization`
 * once per connection (4401 when missing or wrong), checks the tokens of open connections
 * again every `tokenRecheckMs` (4403 once revoked or expired) and builds a fresh context per
 * operation.
 */
export function serveGraphQLOverWebSocket(wss: WebSocketServer, options: GraphQLWsOptions) {
  const connections = new Map<object, OpenConnection>();
  const recheck = setInterval(() => void closeRevoked(), options.tokenRecheckMs);
  recheck.unref();
  // Revocations and membership changes made in this process close sockets at once; those of
  // other processes within tokenRecheckMs.
  const stopListening = options.services.auth.onAccessChanged(() => void closeRevoked());
  const closeRevoked = async () => {
    if (connections.size === 0) return;
    try {
      // Only the connections the answer covers: one opened while it was read is not in it.
      const checked = [...connections.values()];
      const access = await options.services.auth.currentAccess([...new Set(checked.map((connection) => connection.tokenHash))]);
      for (const connection of checked) {
        const now = access.get(connection.tokenHash);
        if (now === undefined) connection.close('Forbidden: the token was revoked or has expired');
        else if (lostAccess(connection.principal, now)) connection.close('Forbidden: your access to a project was removed or lowered; reconnect');
      }
    } catch (error) {
      options.logger.error({ err: error }, 'ws.token_recheck_failed');
    }
  };
  const format = (errors: readonly GraphQLError[]) => errors.map((error) => options.formatError(error.toJSON(), error));
  const payloadJson = payloadJsonOnce(format);
  const server = useServer<Record<string, unknown> | undefined, { request: IncomingMessage }>(
    {
      schema: options.schema,
      subscribe: sharedResultsSubscribe((context) => (isGraphQLContext(context) ? withFreshLoaders(context) : context)),
      connectionInitWaitTimeout: options.connectionInitTimeoutMs,
      onConnect: async (ctx) => {
        const { request, socket } = ctx.extra;
        const credentials = presentedCredentials(ctx.connectionParams?.authorization, request.headers.cookie);
        // The cookie counts only from our own pages: another site's script could open this socket with it too.
        const usable = credentials.bearer !== null || sameOrigin(request.headers, options.publicUrl) ? credentials : { ...credentials, session: null };
        const principal = await authenticatePresented(options.services.auth, usable);
        if (!principal?.credential) {
          socket.close(UNAUTHORIZED_CLOSE_CODE, 'Unauthorized');
          return false;
        }
        const connection: OpenConnection = { principal, tokenHash: principal.credential.tokenHash, close: (reason) => socket.close(REVOKED_CLOSE_CODE, reason), expiry: null };
        const expiresAt = principal.credential.expiresAt;
        if (expiresAt) {
          connection.expiry = setTimeout(() => connection.close('Forbidden: the token has expired'), Math.min(Math.max(expiresAt.getTime() - Date.now(), 0), MAX_TIMER_MS));
          connection.expiry.unref();
        }
        connections.set(ctx, connection);
        return true;
      },
      onClose: (ctx) => {
        const connection = connections.get(ctx);
        if (connection?.expiry) clearTimeout(connection.expiry);
        connections.delete(ctx);
      },
      context: (ctx) => {
        const principal = connections.get(ctx)?.principal;
        if (!principal) throw new Error('graphql-ws asked for a context before onConnect accepted the connection');
        return createContext({ principal, authenticated: true }, NO_SESSION_TRANSPORT(clientAddress(ctx.extra.request)), options.services, options.logger);
      },
      validate: (schema, document) => validate(schema, document, [...specifiedRules, depthLimitRule(options.limits.maxDepth)]),
      onSubscribe: async (ctx, _id, payload) => {
        const principal = connections.get(ctx)?.principal;
        if (principal) {
          try {
            await consumeRequestRate(options.services.limits, principal);
          } catch (error) {
            // The HTTP status and Retry-After mean nothing on a socket.
            if (error instanceof GraphQLError) {
              const { http: _http, ...extensions } = error.extensions;
              return [new GraphQLError(error.message, { extensions })];
            }
            throw error;
          }
        }
        const document = parseOrNull(payload.query);
        // A query that does not parse is reported by graphql-ws itself, with its syntax error.
        if (!document) return undefined;
        const errors = complexityErrors(options.schema, document, payload.variables ?? {}, payload.operationName ?? undefined, options.limits.maxComplexity);
        return errors.length > 0 ? errors : undefined;
      },
      onOperation: (ctx, id, _payload, _args, result) => (isResultStream(result) ? sendNextMessagesDirectly(result, ctx.extra.socket, id, payloadJson) : undefined),
      onError: (_ctx, _id, _payload, errors) => format(errors),
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: format(result.errors) } : undefined),
    },
    wss,
    options.keepAliveMs,
  );
  return {
    dispose: async () => {
      clearInterval(recheck);
      stopListening();
      await server.dispose();
    },
  };
}

function parseOrNull(query: string): DocumentNode | null {
  try {
    return parse(query);
  } catch {
    return null;
  }
}
