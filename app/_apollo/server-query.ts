import type { TypedDocumentNode } from '@apollo/client';
import { addTypenameToDocument } from '@apollo/client/utilities';
import { print } from 'graphql';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { loginHref } from '../_lib/return-to.ts';
import { cache } from 'react';
import { combineQueries, type GraphQLErrorEntry, type QueryPart } from './combined-operation.ts';
import type { ServerResult } from './server-result.ts';

/**
 * GraphQL for pages rendered on the server: the same operations the browser sends, to this
 * server's own /graphql over loopback, as the signed-in browser (its session cookie). Through
 * HTTP rather than into the schema in-process: the app imports nothing from src/ (lint:deps),
 * and the request meets every check a browser's does (session, rate, operation limits).
 *
 * The queries one page render asks together (the layout's viewer, the page's own) go as one
 * operation in one request: each loopback request costs the server about as much as the render
 * itself (HTTP, session check, limits), and the render waits for the slowest of them.
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
  errors?: GraphQLErrorEntry[];
}

function isAnswer<TData>(value: unknown): value is GraphQLAnswer<TData> {
  return typeof value === 'object' && value !== null && ('data' in value || 'errors' in value);
}

/** Where and as whom a render asks. */
interface Caller {
  url: string;
  session: string;
}

interface Pending {
  part: QueryPart;
  settle(answer: unknown): void;
}

/** The queries of one render not sent yet; one per request to Next.js (React's cache is per request). */
const renderBatch = cache((): { pending: Pending[] } => ({ pending: [] }));

/** The answer as JSON, or null when there was none (no connection, a timeout, not JSON). */
async function post(caller: Caller, query: string, variables: Record<string, unknown>): Promise<unknown> {
  const response = await fetch(caller.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `${SESSION_COOKIE}=${encodeURIComponent(caller.session)}` },
    body: JSON.stringify({ query, variables }),
    cache: 'no-store',
    signal: AbortSignal.timeout(TIMEOUT_MS),
  }).catch(() => null);
  if (!response) return null;
  return response.json().catch(() => null);
}

const askAlone = (caller: Caller, part: QueryPart) => post(caller, print(part.document), part.variables);

/**
 * Sends what the render queued: one query alone, several as one operation. An error of the
 * whole request other than a refused session (a limit the queries together exceed) sends each
 * alone, so that none fails only for being asked with the others.
 */
async function send(caller: Caller, pending: readonly Pending[]): Promise<void> {
  const combined = pending.length > 1 ? combineQueries(pending.map((each) => each.part)) : null;
  if (!combined) {
    await Promise.all(pending.map(async (each) => each.settle(await askAlone(caller, each.part))));
    return;
  }
  const answer = await post(caller, combined.query, combined.variables);
  if (!isAnswer<Record<string, unknown>>(answer)) {
    for (const each of pending) each.settle(answer);
    return;
  }
  const whole = answer.errors?.filter((error) => error.path === undefined) ?? [];
  if (whole.length > 0 && !whole.some((error) => error.extensions?.code === 'UNAUTHENTICATED')) {
    await Promise.all(pending.map(async (each) => each.settle(await askAlone(caller, each.part))));
    return;
  }
  const parts = combined.split(answer.data, answer.errors);
  pending.forEach((each, index) => {
    const part = parts[index];
    each.settle(part ? { data: part.data, ...(part.errors.length > 0 ? { errors: part.errors } : {}) } : null);
  });
}

/** Queues a query of this render; the queue is sent once the render has asked what it asks at once. */
function ask(caller: Caller, part: QueryPart): Promise<unknown> {
  const batch = renderBatch();
  return new Promise((settle) => {
    batch.pending.push({ part, settle });
    if (batch.pending.length > 1) return;
    // After the layout and the page have each reached their queries (they render side by side).
    setImmediate(() => {
      const pending = batch.pending.splice(0);
      send(caller, pending).catch(() => {
        for (const each of pending) each.settle(null);
      });
    });
  });
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
  // With __typename everywhere, as the browser's client asks, so the cache normalizes the answer.
  const answer = await ask({ url, session }, { document: addTypenameToDocument(document), variables });
  if (!isAnswer<TData>(answer)) return null;
  if (answer.errors?.some((error) => error.extensions?.code === 'UNAUTHENTICATED')) redirect(loginHref('unauthenticated', from));
  if (answer.errors?.length || !answer.data) return null;
  return { variables, data: answer.data };
}
