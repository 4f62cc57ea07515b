import { useSyncExternalStore } from 'react';
import { readToken, subscribeToToken } from '../_lib/session-token.ts';

const unknownOnServer = () => undefined;

/** The stored API token; `undefined` while it cannot be known yet (server render, hydration). */
export function useSessionToken(): string | null | undefined {
  return useSyncExternalStore(subscribeToToken, readToken, unknownOnServer);
}
