import type { TypedDocumentNode } from '@apollo/client';
import { addTypenameToDocument } from '@apollo/client/utilities';
import { print } from 'graphql';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { loginHref } from '../_lib/return-to.ts';
import type { ServerResult } from './server-result.ts';

/**
 * GraphQL for pages rendered on the server: the same operations the browser sends, to this
 * server's own /graphql over loopback, as the signed-in browser (its session cookie). Through
 * HTTP rather than into the schema in-process: the app imports nothing from src/ (lint:deps),
 * and the request meets every check a browser's does (session, rate, operation limits).
 */

/** Set by the server on every request it hands to Next.js (src/server/next-ui.ts). */
const OWN_GRAPHQL_HEADER = 'x-runtrail-own-graphql';
/** Also set by the server: the path the browser asked for, where signing in returns to. */
const REQUESTED_PATH_HEADER = 'x-runtrail-requested-path';
const SESSION_COOKIE = 'runtrail_session';
// A server answer slower than this is left to the browser, which shows its own progress.
const TIMEOUT_MS = 10_000;

interface GraphQLAnswer<TData> {
  data?: TData | null;
  errors?: { message: string; extensions?: { code?: unknown } }[];
}

function isAnswer<TData>(value: unknown): value is GraphQLAnswer<TData> {
  return typeof value === 'object' && value !== null && ('data' in value || 'errors' in value);
}

/**
 * The operation's complete answer, or null when it came with errors or not at all: the browser
 * then asks again and shows the error with its retry button, as it does on its own. A refused
 * session goes to the login page before anything renders.
 */
export async function serverQuery<TData, TVariables extends Record<string, unknown>>(
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
): Promise<ServerResult<TData, TVariables> | null> {
  const [requestHeaders, jar] = await Promise.all([headers(), cookies()]);
  const session = jar.get(SESSION_COOKIE)?.value;
  const from = requestHeaders.get(REQUESTED_PATH_HEADER) ?? '/';
  if (!session) redirect(loginHref(null, from));
  const url = requestHeaders.get(OWN_GRAPHQL_HEADER);
  if (!url) throw new Error(`The page was rendered without the ${OWN_GRAPHQL_HEADER} header: serve the UI through the Runtrail server (src/server/next-ui.ts), not with "next start"`);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `${SESSION_COOKIE}=${encodeURIComponent(session)}` },
    // With __typename everywhere, as the browser's client asks, so the cache normalizes the answer.
    body: JSON.stringify({ query: print(addTypenameToDocument(document)), variables }),
    cache: 'no-store',
    signal: AbortSignal.timeout(TIMEOUT_MS),
  }).catch(() => null);
  if (!response) return null;
  const answer: unknown = await response.json().catch(() => null);
  if (!isAnswer<TData>(answer)) return null;
  if (answer.errors?.some((error) => error.extensions?.code === 'UNAUTHENTICATED')) redirect(loginHref('unauthenticated', from));
  if (answer.errors?.length || !answer.data) return null;
  return { variables, data: answer.data };
}
