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
import { createContext } from '../graphql/context.ts';
import { principalFromAuthorization, UNAUTHORIZED_CLOSE_CODE } from './authenticate.ts';

type ErrorFormatter = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

interface GraphQLWsOptions {
  schema: GraphQLSchema;
  limits: QueryLimits;
  services: Services;
  logger: Logger;
  formatError: ErrorFormatter;
  connectionInitTimeoutMs?: number;
  keepAliveMs?: number;
}

/**
 * graphql-ws on an existing WebSocketServer: authenticates `connectionParams.authorization`
 * once per connection (4401 when missing or wrong) and builds a fresh context per operation.
 */
export function serveGraphQLOverWebSocket(wss: WebSocketServer, options: GraphQLWsOptions) {
  const principals = new WeakMap<object, Principal>();
  const format = (errors: readonly GraphQLError[]) => errors.map((error) => options.formatError(error.toJSON(), error));
  return useServer<Record<string, unknown> | undefined, { request: IncomingMessage }>(
    {
      schema: options.schema,
      connectionInitWaitTimeout: options.connectionInitTimeoutMs ?? 10_000,
      onConnect: async (ctx) => {
        const principal = await principalFromAuthorization(options.services.auth, ctx.connectionParams?.authorization);
        if (!principal) {
          ctx.extra.socket.close(UNAUTHORIZED_CLOSE_CODE, 'Unauthorized');
          return false;
        }
        principals.set(ctx, principal);
        return true;
      },
      context: (ctx) => {
        const principal = principals.get(ctx);
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
      onError: (_ctx, _id, _payload, errors) => format(errors),
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: format(result.errors) } : undefined),
    },
    wss,
    options.keepAliveMs ?? 12_000,
  );
}

function parseOrNull(query: string): DocumentNode | null {
  try {
    return parse(query);
  } catch {
    return null;
  }
}
