'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState, type ReactNode } from 'react';
import { hasSession, onSessionEnded } from '../_lib/session.ts';

type GateState = 'checking' | 'signed-in' | 'redirecting' | 'unreachable';

/**
 * Renders its children only for a signed-in browser. It is the one place that sends a user
 * to /login: when the server does not accept the session at first, or refuses it later.
 */
export function SessionGate({ children }: { children: ReactNode }) {
  const router = useRouter();
  const [state, setState] = useState<GateState>('checking');

  useEffect(() => {
    let current = true;
    const stop = onSessionEnded((reason) => {
      setState('redirecting');
      router.replace(`/login?reason=${reason}`);
    });
    hasSession().then(
      (signedIn) => {
        if (!current) return;
        if (signedIn) setState('signed-in');
        else {
          setState('redirecting');
          router.replace('/login');
        }
      },
      () => current && setState('unreachable'),
    );
    return () => {
      current = false;
      stop();
    };
  }, [router]);

  switch (state) {
    case 'signed-in':
      return children;
    case 'checking':
      return <p className="page-status">Loading…</p>;
    case 'redirecting':
      return <p className="page-status">Redirecting to sign in…</p>;
    case 'unreachable':
      return (
        <p className="page-status" role="alert">
          The server cannot be reached. Check that Runtrail is running, then reload this page.
        </p>
      );
  }
}
