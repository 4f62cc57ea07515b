import type { IncomingMessage } from 'node:http';
import { getOperationAST, parse, specifiedRules, validate } from 'graphql';
import { GraphQLError, Kind, type DocumentNode, type ExecutionResult, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import type { QueryLimits } from '../graphql/query-limits.ts';
import { depthLimitRule, operationLimitErrors } from '../graphql/query-limits.ts';
import { useServer } from 'graphql-ws/use/ws';
import type { WebSocketServer } from 'ws';
import type { Logger } from 'pino';
import type { Principal } from '../auth/principal.ts';
import type { Services } from '../composition.ts';
import { AppError } from '../domain/errors.ts';
import { createContext, isGraphQLContext, withFreshLoaders, type SessionTransport } from '../graphql/context.ts';
import { lostAccess } from '../auth/access-check.ts';
import { authenticatePresented, clientAddress, consumeRequestRate, presentedCredentials, sameOrigin, UNAUTHORIZED_CLOSE_CODE } from './authenticate.ts';
import { isResultStream, payloadBytesOnce, sendNextMessagesDirectly } from './direct-next-messages.ts';
import { OperationGate } from './operation-gate.ts';
import { WriteWindow } from './write-window.ts';
import { sharedResultsSubscribe } from './shared-subscription-results.ts';
import type { SubscriptionObserver } from '../services/metrics/observers.ts';

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
  /** The least time between two writes of subscription messages to the sockets (see WriteWindow). */
  writeWindowMs: number;
  /** How often open connections' tokens are checked again; a revoked or expired one is closed. */
  tokenRecheckMs: number;
  /** Told of each subscription that streams, of its end, and of each message it sends. */
  subscriptions: SubscriptionObserver;
}

/** graphql-ws's code for Forbidden: the connection's token was revoked or expired, or its access shrank. */
export const REVOKED_CLOSE_CODE = 4403;

interface OpenConnection {
  principal: Principal;
  tokenHash: string;
  close(reason: string): void;
  /** Closes the connection when its token expires. */
  expiry: NodeJS.Timeout | null;
  gate: OperationGate;
  /** The operations the gate let in that have not left it yet. */
  admitted: Set<string>;
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
  const leaveGate = (ctx: object, id: string) => {
    const connection = connections.get(ctx);
    if (connection?.admitted.delete(id)) connection.gate.leave();
  };
  const format = (errors: readonly GraphQLError[]) => errors.map((error) => options.formatError(error.toJSON(), error));
  const payloadBytes = payloadBytesOnce(format);
  const writeWindow = new WriteWindow(options.writeWindowMs);
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
        const connection: OpenConnection = {
          principal,
          tokenHash: principal.credential.tokenHash,
          close: (reason) => socket.close(REVOKED_CLOSE_CODE, reason),
          expiry: null,
          gate: new OperationGate(socket),
          admitted: new Set(),
        };
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
        connection?.gate.close();
        connections.delete(ctx);
      },
      context: (ctx) => {
        const principal = connections.get(ctx)?.principal;
        if (!principal) throw new Error('graphql-ws asked for a context before onConnect accepted the connection');
        return createContext({ principal, authenticated: true }, NO_SESSION_TRANSPORT(clientAddress(ctx.extra.request)), options.services, options.logger, options.limits.responseMaxBytes);
      },
      onSubscribe: async (ctx, id, payload) => {
        const connection = connections.get(ctx);
        const principal = connection?.principal;
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
        // Parsed and validated here, once, because the limits below hold only for a valid document; graphql-ws then runs what this returns as it is.
        const document = parseWithin(payload.query, options.limits.maxTokens);
        if (document instanceof GraphQLError) return [document];
        const invalid = validate(options.schema, document, [...specifiedRules, depthLimitRule(options.limits.maxDepth)]);
        if (invalid.length > 0) return invalid.map((error) => (error.extensions.code ? error : new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })));
        const errors = operationLimitErrors(options.schema, document, payload.variables ?? {}, payload.operationName ?? undefined, options.limits);
        if (errors.length > 0) return errors;
        // A subscription's events are bounded where they are sent (direct-next-messages); a query's one answer here.
        if (connection && getOperationAST(document, payload.operationName)?.operation !== 'subscription') {
          if (!(await connection.gate.enter())) return [new GraphQLError('The connection closed before the operation could start')];
          connection.admitted.add(id);
        }
        return { schema: options.schema, document, variableValues: payload.variables, operationName: payload.operationName };
      },
      onOperation: (ctx, id, _payload, args, result) => {
        if (!isResultStream(result)) return undefined;
        // The upgraded request's TCP socket: the one ws writes the frames to.
        const tcp = ctx.extra.request.socket;
        const field = rootFieldOf(args.document, args.operationName);
        const ended = options.subscriptions.opened(field);
        const counted = (next: ExecutionResult) => {
          options.subscriptions.delivered(field);
          return payloadBytes(next);
        };
        return endingWith(sendNextMessagesDirectly(result, ctx.extra.socket, id, counted, () => writeWindow.hold(tcp)), ended);
      },
      onError: (ctx, id, _payload, errors) => {
        leaveGate(ctx, id);
        return format(errors);
      },
      onComplete: (ctx, id) => leaveGate(ctx, id),
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

/** The first root field an operation selects (a subscription has one): bounded by the schema, so a label. */
function rootFieldOf(document: DocumentNode, operationName: string | null | undefined): string {
  const first = getOperationAST(document, operationName)?.selectionSet.selections[0];
  return first?.kind === Kind.FIELD ? first.name.value : '(unknown)';
}

/** The stream as it is, with `ended` called once it ends, however it ends (done, failed, or returned early). */
function endingWith(stream: AsyncIterableIterator<ExecutionResult>, ended: () => void): AsyncIterableIterator<ExecutionResult> {
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    next: () => stream.next().finally(ended),
    return: () => {
      ended();
      return stream.return?.() ?? Promise.resolve({ done: true, value: undefined });
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

/** The document, or its syntax error as a client mistake: graphql-ws would close the socket (4500) on one, as if the server had failed. */
function parseWithin(query: string, maxTokens: number): DocumentNode | GraphQLError {
  try {
    return parse(query, { maxTokens });
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
  }
}
