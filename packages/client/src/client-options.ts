/** What `fetch` the client needs: the global one of Node 20+ and browsers fits. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/**
 * A WebSocket class: the global one of browsers and Node 22+, or `ws`'s on Node 20. The third
 * argument is only used to send a session cookie from Node, which `ws` accepts.
 */
export type WebSocketLike = new (url: string, protocols?: string | string[], options?: { headers: Record<string, string> }) => object;

interface CommonOptions {
  /** The server's address, e.g. `https://runtrail.example.com` (its `/graphql` may be included). */
  url: string;
  /** Default: the global fetch. */
  fetch?: FetchLike;
  /** Default: the global WebSocket (browsers, Node 22+); on Node 20 pass `WebSocket` from `ws`. */
  webSocketImpl?: WebSocketLike;
  /** Headers added to every HTTP request (a proxy's, a request id). */
  headers?: Record<string, string>;
}

export interface TokenOptions extends CommonOptions {
  /** An API token (`rt_…`), sent as `Authorization: Bearer <token>`. */
  token: string;
  cookie?: never;
}

export interface CookieOptions extends CommonOptions {
  token?: never;
  /**
   * The `runtrail_session` cookie's value (a script that signed in), or `true` in a browser page
   * of the Runtrail origin, where the browser sends its own session cookie.
   */
  cookie: string | true;
}

export type ClientOptions = TokenOptions | CookieOptions;

/** How requests authenticate, checked once at creation. */
export type Credentials = { kind: 'token'; token: string } | { kind: 'cookie'; value: string } | { kind: 'browser-cookie' };

export interface ResolvedOptions {
  httpUrl: string;
  wsUrl: string;
  credentials: Credentials;
  fetch: FetchLike;
  webSocketImpl: WebSocketLike | null;
  headers: Record<string, string>;
}

/** Thrown by createClient for options that cannot work; the message says what to pass instead. */
export class ClientOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClientOptionsError';
  }
}

const TOKEN_HELP = 'create one with the createToken mutation, or use the first admin token in DATA_DIR/admin-token';

function credentialsFrom(options: ClientOptions): Credentials {
  if (options.token !== undefined && options.cookie !== undefined) throw new ClientOptionsError('createClient: pass either token or cookie, not both');
  if (options.cookie === true) return { kind: 'browser-cookie' };
  if (typeof options.cookie === 'string') {
    if (options.cookie.trim() === '') throw new ClientOptionsError('createClient: cookie is empty; pass the runtrail_session cookie value, or true in a browser');
    return { kind: 'cookie', value: options.cookie };
  }
  const token: unknown = options.token;
  if (typeof token !== 'string' || token.trim() === '') {
    throw new ClientOptionsError(`createClient: no token. Pass { token } with an API token (${TOKEN_HELP}), or { cookie } with a session`);
  }
  if (/^bearer\s/i.test(token)) throw new ClientOptionsError('createClient: pass the token without the "Bearer " prefix; the client adds it');
  if (/\s/.test(token)) throw new ClientOptionsError('createClient: the token contains whitespace; copy it again without spaces or line breaks');
  return { kind: 'token', token };
}

function endpointsFrom(url: string): { httpUrl: string; wsUrl: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ClientOptionsError(`createClient: url "${url}" is not an absolute URL; pass e.g. "http://localhost:4000"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ClientOptionsError(`createClient: url "${url}" must start with http:// or https:// (the WebSocket address is derived from it)`);
  }
  const base = parsed.pathname.replace(/\/+$/, '');
  parsed.pathname = base.endsWith('/graphql') ? base : `${base}/graphql`;
  const httpUrl = parsed.toString();
  return { httpUrl, wsUrl: httpUrl.replace(/^http/, 'ws') };
}

export function resolveOptions(options: ClientOptions): ResolvedOptions {
  const fetchImpl = options.fetch ?? (typeof fetch === 'function' ? fetch : null);
  if (!fetchImpl) throw new ClientOptionsError('createClient: no global fetch here (Node 18+ and browsers have one); pass { fetch }');
  return {
    ...endpointsFrom(options.url),
    credentials: credentialsFrom(options),
    // Called as a plain function: a browser's fetch called as a method of these options (this = the options) throws "Illegal invocation".
    fetch: (input, init) => fetchImpl(input, init),
    webSocketImpl: options.webSocketImpl ?? (typeof WebSocket === 'function' ? WebSocket : null),
    headers: options.headers ?? {},
  };
}
