'use client';

import { connectionStateLabel } from '../_apollo/connection-store.ts';
import { useConnectionState } from '../_apollo/use-connection-state.ts';

export function ConnectionStatusBadge() {
  const state = useConnectionState();
  return (
    <p className="connection-badge" data-state={state} role="status" aria-live="polite" aria-atomic="true">
      <span className="connection-badge__dot" aria-hidden="true" />
      <span className="visually-hidden">Live updates: </span>
      {connectionStateLabel(state)}
    </p>
  );
}
