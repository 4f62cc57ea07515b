import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import type { ResolvedOptions } from './client-options.ts';
import { errorFromPayload, TransportError, UnauthenticatedError, type GraphQLErrorPayload } from './errors.ts';

/** A document the client can send: a string, such as codegen's TypedDocumentString (`documentMode: 'string'`). */
export type StringDocument<TResult, TVariables> = DocumentTypeDecoration<TResult, TVariables> & (string | String);

/** The operation's text and name, or a clear error for a document given as a parsed AST. */
export function documentText(document: unknown): { query: string; operationName: string } {
  if (typeof document !== 'string' && !(document instanceof String)) {
    throw new TypeError('The document is not a string: generate your operations with `documentMode: "string"` (see docs/client.md), or pass the query text');
  }
  const query = document.toString();
  const operationName = /^\s*(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/m.exec(query)?.[1] ?? 'anonymous operation';
  return { query, operationName };
}

function authHeaders(options: ResolvedOptions): Record<string, string> {
  switch (options.credentials.kind) {
    case 'token':
      return { authorization: `Bearer ${options.credentials.token}` };
    case 'cookie':
      return { cookie: `runtrail_session=${options.credentials.value}` };
    case 'browser-cookie':
      return {};
  }
}

interface GraphQLResponse {
  data?: unknown;
  errors?: GraphQLErrorPayload[];
}

function isGraphQLResponse(body: unknown): body is GraphQLResponse {
  if (typeof body !== 'object' || body === null) return false;
  return 'data' in body || ('errors' in body && Array.isArray(body.errors) && body.errors.length > 0);
}

/** The server's answer when it refuses the credentials, with what the client sent. */
function unauthenticated(options: ResolvedOptions, operation: string, payload: GraphQLErrorPayload): UnauthenticatedError {
  const sent = options.credentials.kind === 'token' ? 'the token' : 'the session cookie';
  return new UnauthenticatedError(
    'UNAUTHENTICATED',
    `${options.httpUrl} refused ${sent} for ${operation}: ${payload.message}`,
    operation,
    payload.extensions ?? {},
    payload.path,
  );
}

/** POSTs one operation; answers its data, or throws the typed error of its first GraphQL error. */
export async function executeHttp<TResult>(options: ResolvedOptions, document: unknown, variables: unknown, signal?: AbortSignal): Promise<TResult> {
  const { query, operationName } = documentText(document);
  let response: Response;
  try {
    response = await options.fetch(options.httpUrl, {
      method: 'POST',
      headers: { ...options.headers, 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...authHeaders(options) },
      body: JSON.stringify({ query, variables: variables ?? {}, operationName: operationName === 'anonymous operation' ? undefined : operationName }),
      credentials: options.credentials.kind === 'browser-cookie' ? 'include' : 'omit',
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new TransportError(`Could not reach ${options.httpUrl} for ${operationName}: ${error instanceof Error ? error.message : String(error)}`, operationName, null, { cause: error });
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new TransportError(`${options.httpUrl} answered ${operationName} with HTTP ${response.status} and no GraphQL response: ${text.slice(0, 200)}`, operationName, response.status);
  }
  if (!isGraphQLResponse(body)) {
    throw new TransportError(`${options.httpUrl} answered ${operationName} with HTTP ${response.status} and JSON that is not a GraphQL response`, operationName, response.status);
  }
  const first = body.errors?.[0];
  if (first) {
    if (first.extensions?.code === 'UNAUTHENTICATED') throw unauthenticated(options, operationName, first);
    throw errorFromPayload(first, operationName, response.headers.get('retry-after'));
  }
  if (typeof body.data !== 'object' || body.data === null) {
    throw new TransportError(`${options.httpUrl} answered ${operationName} without data nor errors`, operationName, response.status);
  }
  // The server answered the document's own operation, so its data has the document's result type.
  return body.data as TResult;
}
