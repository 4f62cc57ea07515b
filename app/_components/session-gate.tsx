'use client';

import { useRouter } from 'next/navigation';
import { useEffect, type ReactNode } from 'react';
import { loginHref } from '../_lib/return-to.ts';
import { onSessionEnded, sessionWasConfirmed } from '../_lib/session.ts';

/**
 * The one place that sends a user to /login: when the server refuses the session, which the
 * page's first query (the viewer) finds out. The login page brings the user back to where they were. A refusal before the session was ever accepted
 * means there was none, and the login page says nothing about an ended session.
 */
export function SessionGate({ children }: { children: ReactNode }) {
  const router = useRouter();
  useEffect(
    () =>
      onSessionEnded((reason) => {
        const { pathname, search, hash } = window.location;
        router.replace(loginHref(sessionWasConfirmed() ? reason : null, `${pathname}${search}${hash}`));
      }),
    [router],
  );
  return children;
}
