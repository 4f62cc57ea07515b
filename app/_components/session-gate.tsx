'use client';

import { useRouter } from 'next/navigation';
import { useEffect, type ReactNode } from 'react';
import { useSessionToken } from '../_hooks/use-session-token.ts';
import { lastSessionEndReason } from '../_lib/session-token.ts';

/**
 * Renders its children only for a signed-in browser. It is the one place that sends a user
 * without a token to /login, whether the token was never stored, was rejected by the server,
 * or was cleared in another tab.
 */
export function SessionGate({ children }: { children: ReactNode }) {
  const token = useSessionToken();
  const router = useRouter();

  useEffect(() => {
    if (token !== null) return;
    const reason = lastSessionEndReason();
    router.replace(reason ? `/login?reason=${reason}` : '/login');
  }, [token, router]);

  if (token === undefined) return <p className="page-status">Loading…</p>;
  if (token === null) return <p className="page-status">Redirecting to sign in…</p>;
  return children;
}
