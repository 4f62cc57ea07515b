import { createContext, useContext, useEffect, useRef, useSyncExternalStore } from 'react';
import { createConnectionStore, type ConnectionState, type ConnectionStore } from './connection-store.ts';

// Outside an ApolloWrapper nothing ever connects, so the fallback stays 'connecting'.
export const ConnectionStoreContext = createContext<ConnectionStore>(createConnectionStore());

export function useConnectionState(): ConnectionState {
  const store = useContext(ConnectionStoreContext);
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}

/** Calls back each time the WebSocket is live again after being offline: where a stream resumes. */
export function useOnReconnect(onReconnect: () => void): void {
  const connection = useConnectionState();
  const wasOffline = useRef(false);
  const callback = useRef(onReconnect);
  callback.current = onReconnect;
  useEffect(() => {
    if (connection === 'offline') wasOffline.current = true;
    if (connection === 'live' && wasOffline.current) {
      wasOffline.current = false;
      callback.current();
    }
  }, [connection]);
}
