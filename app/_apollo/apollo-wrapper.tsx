'use client';

import { ApolloProvider } from '@apollo/client/react';
import { useEffect, useState, type ReactNode } from 'react';
import { sessionEnded } from '../_lib/session.ts';
import { createConnectionStore } from './connection-store.ts';
import { createApolloSession, type ApolloSession } from './create-apollo-session.ts';
import { createCache, createRenderClient } from './create-render-client.ts';
import { ConnectionStoreContext } from './use-connection-state.ts';

/**
 * The client boundary for GraphQL. The page renders at once (on the server too) from the cache
 * that server-rendered answers are written into; the session (client + WebSocket) is created in
 * an effect, not during render, so it exists only in the browser and is disposed with the page,
 * and Strict Mode's extra mount then opens and closes a socket instead of leaking one.
 */
export function ApolloWrapper({ children }: { children: ReactNode }) {
  const [cache] = useState(createCache);
  const [renderClient] = useState(() => createRenderClient(cache));
  const [connecting] = useState(() => createConnectionStore('connecting'));
  const [session, setSession] = useState<ApolloSession | null>(null);

  useEffect(() => {
    const created = createApolloSession({ cache, onUnauthenticated: () => sessionEnded('unauthenticated') });
    setSession(created);
    return () => created.dispose();
  }, [cache]);

  return (
    <ApolloProvider client={session?.client ?? renderClient}>
      <ConnectionStoreContext.Provider value={session?.connection ?? connecting}>{children}</ConnectionStoreContext.Provider>
    </ApolloProvider>
  );
}
