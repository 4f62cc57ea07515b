import { Suspense, type ReactNode } from 'react';
import { ApolloWrapper } from '../_apollo/apollo-wrapper.tsx';
import { ViewerProvider } from '../_apollo/viewer.tsx';
import { AppShell } from '../_components/app-shell.tsx';
import { SessionGate } from '../_components/session-gate.tsx';

/** Every page behind sign-in: one session check, one Apollo client and socket, one shell. */
export default function SignedInLayout({ children }: { children: ReactNode }) {
  return (
    <SessionGate>
      <ApolloWrapper>
        <ViewerProvider>
          <Suspense fallback={<p className="page-status">Loading…</p>}>
            <AppShell>{children}</AppShell>
          </Suspense>
        </ViewerProvider>
      </ApolloWrapper>
    </SessionGate>
  );
}
