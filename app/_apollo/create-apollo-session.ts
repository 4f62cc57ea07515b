import { ApolloClient, ApolloLink, CombinedGraphQLErrors, HttpLink, InMemoryCache, ServerError } from '@apollo/client';
import type { ErrorLike } from '@apollo/client';
import { ErrorLink } from '@apollo/client/link/error';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { OperationTypeNode } from 'graphql';
import { createClient } from 'graphql-ws';
import { createConnectionStore, type ConnectionStore } from './connection-store.ts';

/** The close code the server uses when the session cookie (or a token) is missing or wrong. */
const UNAUTHORIZED_CLOSE_CODE = 4401;
const GRAPHQL_PATH = '/graphql';
const KEEP_ALIVE_MS = 10_000;
const PONG_TIMEOUT_MS = 5_000;
const MAX_RETRY_WAIT_MS = 30_000;

export interface ApolloSession {
  client: ApolloClient;
  connection: ConnectionStore;
  dispose(): void;
}

interface ApolloSessionOptions {
  /** Called when the server rejects the session, over HTTP or on the WebSocket. */
  onUnauthenticated(): void;
  /** What the page was rendered from on the server, already written (create-render-client.ts). */
  cache: InMemoryCache;
}

function httpLink(): HttpLink {
  return new HttpLink({ uri: GRAPHQL_PATH, credentials: 'same-origin' });
}

/** A client without a socket, for the login page: nobody is signed in yet who could subscribe. */
export function createHttpClient(): ApolloClient {
  return new ApolloClient({ link: httpLink(), cache: new InMemoryCache() });
}

function webSocketUrl(): string {
  const protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${protocol}//${window.location.host}${GRAPHQL_PATH}`;
}

function isUnauthenticated(error: ErrorLike): boolean {
  if (CombinedGraphQLErrors.is(error)) {
    return error.errors.some((graphQLError) => graphQLError.extensions?.code === 'UNAUTHENTICATED');
  }
  return ServerError.is(error) && error.statusCode === 401;
}

function isCloseEvent(value: unknown): value is { code: number } {
  return typeof value === 'object' && value !== null && 'code' in value && typeof value.code === 'number';
}

// graphql-ws doubles its wait on every retry without a ceiling; with unlimited retries that
// would leave a long-offline tab waiting hours after the server is back.
async function cappedBackoff(retries: number): Promise<void> {
  const wait = Math.min(1_000 * 2 ** retries, MAX_RETRY_WAIT_MS) + 300 + Math.random() * 2_700;
  await new Promise((resolve) => setTimeout(resolve, wait));
}

/**
 * One Apollo Client with its WebSocket, owned by whoever created it: HTTP for queries and
 * mutations, graphql-ws for subscriptions, and a store that reports the socket's state.
 */
export function createApolloSession({ onUnauthenticated, cache }: ApolloSessionOptions): ApolloSession {
  const connection = createConnectionStore('connecting');
  let disposed = false;
  let activeSocket: WebSocket | null = null;
  let pongTimeout: ReturnType<typeof setTimeout> | undefined;

  const rejectSession = () => {
    if (!disposed) onUnauthenticated();
  };
  const setState = (state: Parameters<ConnectionStore['set']>[0]) => {
    if (!disposed) connection.set(state);
  };

  const wsClient = createClient({
    url: webSocketUrl,
    // The browser sends the session cookie with the upgrade request; there is nothing to add.
    lazy: false,
    retryAttempts: Number.POSITIVE_INFINITY,
    retryWait: cappedBackoff,
    // The default retries only on close events, so a server that is down (the socket errors
    // before it opens) would end the connection for good.
    shouldRetry: () => true,
    keepAlive: KEEP_ALIVE_MS,
    // Connection problems are already reported through on.closed / on.error below.
    onNonLazyError: () => {},
    on: {
      connected: (socket) => {
        activeSocket = socket as WebSocket;
        setState('live');
      },
      // A silently dropped network never closes the socket; an unanswered ping does.
      ping: (received) => {
        if (received) return;
        pongTimeout = setTimeout(() => {
          if (activeSocket?.readyState === WebSocket.OPEN) activeSocket.close(4408, 'Pong timeout');
        }, PONG_TIMEOUT_MS);
      },
      pong: (received) => {
        if (received) clearTimeout(pongTimeout);
      },
      closed: (event) => {
        activeSocket = null;
        clearTimeout(pongTimeout);
        setState('offline');
        if (isCloseEvent(event) && event.code === UNAUTHORIZED_CLOSE_CODE) rejectSession();
      },
      error: () => setState('offline'),
    },
  });

  const errorLink = new ErrorLink(({ error }) => {
    if (isUnauthenticated(error)) rejectSession();
  });
  const transport = ApolloLink.split(
    ({ operationType }) => operationType === OperationTypeNode.SUBSCRIPTION,
    new GraphQLWsLink(wsClient),
    httpLink(),
  );

  const client = new ApolloClient({
    link: ApolloLink.from([errorLink, transport]),
    cache,
  });

  return {
    client,
    connection,
    dispose() {
      disposed = true;
      clearTimeout(pongTimeout);
      client.stop();
      // Disposing while graphql-ws reconnects (the server has just closed a signed-out socket)
      // waits for that attempt, which the server refuses: a refusal of a socket nobody wants.
      void Promise.resolve(wsClient.dispose()).catch(() => {});
    },
  };
}
