import type { IncomingMessage } from 'node:http';
import { parse, specifiedRules, validate } from 'graphql';
import type { DocumentNode, GraphQLError, GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { QueryLimits } from '../config.ts';
import { complexityErrors, depthLimitRule } from '../graphql/query-limits.ts';
import { useServer } from 'graphql-ws/use/ws';
import type { WebSocketServer } from 'ws';
import type { Logger } from 'pino';
import type { Principal } from '../auth/principal.ts';
import type { Services } from '../composition.ts';
import { createContext, isGraphQLContext, withFreshLoaders } from '../graphql/context.ts';
import { bearerTokenFrom, hashTokenSecret } from '../auth/token-secret.ts';
import { principalFromAuthorization, UNAUTHORIZED_CLOSE_CODE } from './authenticate.ts';
import { isResultStream, payloadJsonOnce, sendNextMessagesDirectly } from './direct-next-messages.ts';
import { sharedResultsSubscribe } from './shared-subscription-results.ts';

type ErrorFormatter = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

interface GraphQLWsOptions {
  schema: GraphQLSchema;
  limits: QueryLimits;
  services: Services;
  logger: Logger;
  formatError: ErrorFormatter;
  connectionInitTimeoutMs: number;
  keepAliveMs: number;
  /** How often open connections' tokens are checked again; a revoked or expired one is closed. */
  tokenRecheckMs: number;
}

/** graphql-ws's code for Forbidden: the connection's token was revoked or has expired. */
export const REVOKED_CLOSE_CODE = 4403;

interface OpenConnection {
  principal: Principal;
  tokenHash: string;
  close(): void;
}

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
  const closeRevoked = async () => {
    if (connections.size === 0) return;
    try {
      const valid = await options.services.auth.stillValid([...new Set([...connections.values()].map((connection) => connection.tokenHash))]);
      for (const connection of connections.values()) if (!valid.has(connection.tokenHash)) connection.close();
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
        const authorization = ctx.connectionParams?.authorization;
        const principal = await principalFromAuthorization(options.services.auth, authorization);
        const secret = typeof authorization === 'string' ? bearerTokenFrom(authorization) : null;
        if (!principal || !secret) {
          ctx.extra.socket.close(UNAUTHORIZED_CLOSE_CODE, 'Unauthorized');
          return false;
        }
        const socket = ctx.extra.socket;
        connections.set(ctx, { principal, tokenHash: hashTokenSecret(secret), close: () => socket.close(REVOKED_CLOSE_CODE, 'Forbidden: the token was revoked or has expired') });
        return true;
      },
      onClose: (ctx) => {
        connections.delete(ctx);
      },
      context: (ctx) => {
        const principal = connections.get(ctx)?.principal;
        if (!principal) throw new Error('graphql-ws asked for a context before onConnect accepted the connection');
        return createContext(principal, options.services, options.logger);
      },
      validate: (schema, document) => validate(schema, document, [...specifiedRules, depthLimitRule(options.limits.maxDepth)]),
      onSubscribe: (_ctx, _id, payload) => {
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
