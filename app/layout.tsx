import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Runtrail', template: '%s · Runtrail' },
  description: 'Workflow scheduler with an exact, fast and live status history',
};

export const viewport: Viewport = {
  colorScheme: 'light dark',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <div className="site-header__inner">
            <Link href="/" className="brand">
              Runtrail
            </Link>
          </div>
        </header>
        <main id="main" className="site-main">
          {children}
        </main>
      </body>
    </html>
  );
}
