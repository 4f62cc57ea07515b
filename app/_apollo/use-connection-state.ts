import { createContext, useContext, useSyncExternalStore } from 'react';
import { createConnectionStore, type ConnectionState, type ConnectionStore } from './connection-store.ts';

// Outside an ApolloWrapper nothing ever connects, so the fallback stays 'connecting'.
export const ConnectionStoreContext = createContext<ConnectionStore>(createConnectionStore());

export function useConnectionState(): ConnectionState {
  const store = useContext(ConnectionStoreContext);
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}
