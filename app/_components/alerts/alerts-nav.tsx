'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useUrlState } from '../../_hooks/use-url-state.ts';

const PARTS = [
  { path: '/alerts', label: 'Alerts' },
  { path: '/alerts/rules', label: 'Rules' },
  { path: '/alerts/silences', label: 'Silences' },
  { path: '/alerts/contact-points', label: 'Contact points' },
] as const;

/** The parts of alerting, each its own page, keeping the project scope. */
export function AlertsNav() {
  const pathname = usePathname();
  const { hrefFor } = useUrlState();
  return (
    <nav aria-label="Alerting" className="segmented alerts-nav">
      {PARTS.map((part) => (
        <Link key={part.path} href={hrefFor(part.path)} className="segmented__option" aria-current={pathname === part.path ? 'page' : undefined}>
          {part.label}
        </Link>
      ))}
    </nav>
  );
}
