'use client';

import type { TypedDocumentNode } from '@apollo/client';
import { useApolloClient } from '@apollo/client/react';
import { useRef } from 'react';
import { sameVariables, type ServerResult } from './server-result.ts';

/**
 * The answer the server rendered the page from, when the page asks with the same variables
 * (otherwise undefined, and the page's query asks the server). The page shows its query's data,
 * or else this: on the server, which renders from it directly (a cache there would be filled to
 * be read once; that costs more than the rest of the render), and in the browser's first render,
 * which must match the server's HTML.
 *
 * In the browser the answer also goes into the cache before the page's query reads it, so the
 * query has it at once and does not ask again. Written during render (not in an effect) and
 * without notifying other queries, because the query below must find it in the same render.
 */
export function useServerResult<TData, TVariables extends Record<string, unknown>>(
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  result: ServerResult<TData, TVariables> | null,
): TData | undefined {
  const client = useApolloClient();
  const written = useRef<ServerResult<TData, TVariables> | null>(null);
  if (result === null || !sameVariables(result.variables, variables)) return undefined;
  if (typeof window !== 'undefined' && written.current !== result) {
    client.cache.writeQuery({ query: document, variables, data: result.data, broadcast: false });
    written.current = result;
  }
  return result.data;
}
