import { assertNever } from '../_lib/assert-never.ts';

export type ConnectionState = 'connecting' | 'live' | 'offline';

/** The WebSocket's state as a tiny external store, read with useSyncExternalStore. */
export interface ConnectionStore {
  getSnapshot(): ConnectionState;
  subscribe(listener: () => void): () => void;
  set(state: ConnectionState): void;
}

export function createConnectionStore(initial: ConnectionState = 'connecting'): ConnectionStore {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getSnapshot: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(next) {
      if (next === state) return;
      state = next;
      for (const listener of listeners) listener();
    },
  };
}

export function connectionStateLabel(state: ConnectionState): string {
  switch (state) {
    case 'connecting':
      return 'Connecting';
    case 'live':
      return 'Live';
    case 'offline':
      return 'Offline';
    default:
      return assertNever(state);
  }
}
