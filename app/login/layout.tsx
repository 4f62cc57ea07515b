import type { Metadata } from 'next';
import type { ReactNode } from 'react';

// The login page is a client component, which cannot export metadata itself.
export const metadata: Metadata = { title: 'Sign in' };

export default function LoginLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <header className="site-header">
        <div className="site-header__inner">
          <span className="brand">Runtrail</span>
        </div>
      </header>
      <main id="main" className="site-main">
        {children}
      </main>
    </>
  );
}
