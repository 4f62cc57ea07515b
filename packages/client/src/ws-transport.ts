import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws/client';
import { ClientOptionsError, type ResolvedOptions, type WebSocketLike } from './client-options.ts';
import { errorFromPayload, RuntrailError, TransportError, UnauthenticatedError, type GraphQLErrorPayload } from './errors.ts';
import { documentText, type StringDocument } from './http-transport.ts';

/** The server closes a socket whose credentials are missing or wrong with this code. */
const UNAUTHORIZED_CLOSE_CODE = 4401;
const FORBIDDEN_CLOSE_CODE = 4403;

/** `ws` takes headers as a third argument: how a script sends its session cookie (and the origin the server checks). */
function withCookie(WebSocketImpl: WebSocketLike, cookie: string, origin: string): WebSocketLike {
  return class extends WebSocketImpl {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie: `runtrail_session=${cookie}`, origin } });
    }
  };
}

function closeCode(error: unknown): number | null {
  if (typeof error !== 'object' || error === null || !('code' in error)) return null;
  return typeof error.code === 'number' ? error.code : null;
}

function isErrorList(error: unknown): error is GraphQLErrorPayload[] {
  return Array.isArray(error) && error.every((item) => typeof item === 'object' && item !== null && 'message' in item && typeof item.message === 'string');
}

/** One graphql-ws connection per client, opened on the first subscription; the client's feeds do their own resuming. */
export class WsTransport {
  private client: WsClient | null = null;

  constructor(private readonly options: ResolvedOptions) {}

  private connection(): WsClient {
    if (this.client) return this.client;
    const { webSocketImpl, credentials, wsUrl, httpUrl } = this.options;
    if (!webSocketImpl) {
      throw new ClientOptionsError('No WebSocket here (Node 20 has no global one): pass webSocketImpl, e.g. `import WebSocket from "ws"` and createClient({ ..., webSocketImpl: WebSocket })');
    }
    this.client = createWsClient({
      url: wsUrl,
      webSocketImpl: credentials.kind === 'cookie' ? withCookie(webSocketImpl, credentials.value, new URL(httpUrl).origin) : webSocketImpl,
      lazy: true,
      // Feeds resubscribe themselves from the last seq they passed on; graphql-ws's own retry would resend the first afterSeq.
      retryAttempts: 0,
      connectionParams: credentials.kind === 'token' ? { authorization: `Bearer ${credentials.token}` } : {},
    });
    return this.client;
  }

  /** The typed error for what ended a subscription: a GraphQL error, the server's close code, or a lost connection. */
  private failure(error: unknown, operation: string): RuntrailError {
    if (error instanceof RuntrailError) return error;
    if (isErrorList(error) && error[0]) return errorFromPayload(error[0], operation);
    const code = closeCode(error);
    if (code === UNAUTHORIZED_CLOSE_CODE) {
      const sent = this.options.credentials.kind === 'token' ? 'the token' : 'the session cookie';
      return new UnauthenticatedError('UNAUTHENTICATED', `${this.options.wsUrl} closed the WebSocket for ${operation}: ${sent} is missing, unknown, revoked or expired`, operation);
    }
    if (code === FORBIDDEN_CLOSE_CODE) {
      return errorFromPayload({ message: `${this.options.wsUrl} closed the WebSocket for ${operation}: the token was revoked, or its user lost access to a project`, extensions: { code: 'FORBIDDEN' } }, operation);
    }
    const reason = error instanceof Error ? error.message : code !== null ? `closed with code ${code}` : 'the connection failed';
    return new TransportError(`The WebSocket to ${this.options.wsUrl} ended ${operation}: ${reason}`, operation, code, { cause: error });
  }

  /** The subscription's results until it ends; a result with errors ends it with the typed error of the first. */
  async *subscribe<TResult, TVariables extends Record<string, unknown>>(document: StringDocument<TResult, TVariables>, variables: TVariables, signal?: AbortSignal): AsyncGenerator<TResult, void, undefined> {
    const { query, operationName } = documentText(document);
    const iterator = this.connection().iterate<TResult>({ query, variables, operationName });
    // Ending the subscription settles a pending next() as done, so an idle feed stops at once.
    const stop = () => void iterator.return?.();
    signal?.addEventListener('abort', stop, { once: true });
    try {
      for (;;) {
        let step: IteratorResult<{ data?: TResult | null; errors?: readonly GraphQLErrorPayload[] }>;
        try {
          step = await iterator.next();
        } catch (error) {
          throw this.failure(error, operationName);
        }
        if (step.done) return;
        const first = step.value.errors?.[0];
        if (first) throw errorFromPayload(first, operationName);
        if (step.value.data) yield step.value.data;
      }
    } finally {
      signal?.removeEventListener('abort', stop);
      await iterator.return?.();
    }
  }

  async dispose(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (client) await client.dispose();
  }
}
