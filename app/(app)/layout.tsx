import type { ReactNode } from 'react';
import { ApolloWrapper } from '../_apollo/apollo-wrapper.tsx';
import { serverQuery } from '../_apollo/server-query.ts';
import { ViewerProvider } from '../_apollo/viewer.tsx';
import { VIEWER } from '../_apollo/viewer-query.ts';
import { AppShell } from '../_components/app-shell.tsx';
import { SessionGate } from '../_components/session-gate.tsx';
import { RenderedAtProvider } from '../_hooks/use-now.ts';

/**
 * Every page behind sign-in: one session check, one Apollo client and socket, one shell. The
 * viewer is asked on the server, so a browser without a valid session goes to the login page
 * before anything renders. No Suspense boundary around the page: its HTML is sent whole, the
 * rows with the shell, instead of a "Loading…" that React reveals the rows over later.
 */
export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const viewer = await serverQuery(VIEWER, {});
  return (
    <RenderedAtProvider at={Date.now()}>
      <SessionGate>
        <ApolloWrapper>
          <ViewerProvider initial={viewer}>
            <AppShell>{children}</AppShell>
          </ViewerProvider>
        </ApolloWrapper>
      </SessionGate>
    </RenderedAtProvider>
  );
}
