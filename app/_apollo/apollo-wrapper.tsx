'use client';

import { ApolloProvider } from '@apollo/client/react';
import { useEffect, useState, type ReactNode } from 'react';
import { sessionEnded } from '../_lib/session.ts';
import { createApolloSession, type ApolloSession } from './create-apollo-session.ts';
import { ConnectionStoreContext } from './use-connection-state.ts';

/**
 * The client boundary for GraphQL. The session (client + WebSocket) is created in an effect,
 * not during render, so it exists only in the browser and is disposed with the page;
 * Strict Mode's extra mount then opens and closes a socket instead of leaking one.
 */
export function ApolloWrapper({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<ApolloSession | null>(null);

  useEffect(() => {
    const created = createApolloSession({ onUnauthenticated: () => sessionEnded('unauthenticated') });
    setSession(created);
    return () => created.dispose();
  }, []);

  if (!session) return <p className="page-status">Loading…</p>;
  return (
    <ApolloProvider client={session.client}>
      <ConnectionStoreContext.Provider value={session.connection}>{children}</ConnectionStoreContext.Provider>
    </ApolloProvider>
  );
}
