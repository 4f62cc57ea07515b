'use client';

import type { TypedDocumentNode } from '@apollo/client';
import { useApolloClient } from '@apollo/client/react';
import { useRef } from 'react';
import { sameVariables, type ServerResult } from './server-result.ts';

/**
 * Puts the answer the server rendered the page from into the cache, before the page's own query
 * reads it: the query then paints at once, on the server and in the browser, without asking
 * again. Only when the page asks with the same variables; otherwise its query asks the server.
 * Written during render (not in an effect) and without notifying other queries, because the
 * query below must find it in the same render.
 */
export function useServerResult<TData, TVariables extends Record<string, unknown>>(
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  result: ServerResult<TData, TVariables> | null,
): void {
  const client = useApolloClient();
  const written = useRef<ServerResult<TData, TVariables> | null>(null);
  if (result && written.current !== result && sameVariables(result.variables, variables)) {
    client.cache.writeQuery({ query: document, variables, data: result.data, broadcast: false });
    written.current = result;
  }
}
