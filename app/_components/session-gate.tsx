'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { hasSession, onSessionEnded } from '../_lib/session.ts';

/**
 * The one place that sends a user to /login: when the server does not accept the session at
 * first, or refuses it later. The page renders meanwhile, so its queries do not wait for the
 * check; a refusal before the check has answered means there never was a session.
 */
export function SessionGate({ children }: { children: ReactNode }) {
  const router = useRouter();
  const [unreachable, setUnreachable] = useState(false);
  const confirmed = useRef(false);

  useEffect(() => {
    let current = true;
    const stop = onSessionEnded((reason) => {
      router.replace(confirmed.current ? `/login?reason=${reason}` : '/login');
    });
    hasSession().then(
      (signedIn) => {
        if (!current) return;
        confirmed.current = signedIn;
        if (!signedIn) router.replace('/login');
      },
      () => current && setUnreachable(true),
    );
    return () => {
      current = false;
      stop();
    };
  }, [router]);

  if (unreachable) {
    return (
      <p className="page-status" role="alert">
        The server cannot be reached. Check that Runtrail is running, then reload this page.
      </p>
    );
  }
  return children;
}
