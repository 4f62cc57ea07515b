'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';
import { useViewer } from '../_apollo/viewer.tsx';
import { useUrlState } from '../_hooks/use-url-state.ts';
import { FiringCount } from './alerts/firing-count.tsx';
import { ConnectionStatusBadge } from './connection-status-badge.tsx';
import { OptionSelect } from './option-select.tsx';
import { SignOutButton } from './sign-out-button.tsx';

const SECTIONS = [
  { path: '/', label: 'Dashboard' },
  { path: '/runs', label: 'Runs' },
  { path: '/workflows', label: 'Workflows' },
  { path: '/alerts', label: 'Alerts' },
  { path: '/reports', label: 'Reports' },
  { path: '/insight', label: 'Insight' },
  { path: '/insight/incidents', label: 'Incidents' },
  { path: '/playground', label: 'Playground' },
] as const;

function isWithin(pathname: string, path: string): boolean {
  return path === '/' ? pathname === '/' : pathname === path || pathname.startsWith(`${path}/`);
}

/** The section the page is in: the deepest one holding it (Incidents, not Insight, on an incident's page). */
function isCurrent(pathname: string, path: string): boolean {
  const deepest = SECTIONS.filter((section) => isWithin(pathname, section.path)).sort((a, b) => b.path.length - a.path.length)[0];
  return deepest?.path === path;
}

function ProjectSwitcher() {
  const { projects } = useViewer();
  const { projectId, setProjectId } = useUrlState();
  return <OptionSelect label="Project" className="project-switcher" hideLabel value={projectId} options={projects} noneLabel="All my projects" onChange={setProjectId} />;
}

/** The header on every signed-in page: sections, the project switcher, the firing alerts, live state and the viewer. */
export function AppShell({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  const { viewer } = useViewer();
  const { hrefFor } = useUrlState();
  return (
    <>
      <header className="site-header">
        <div className="site-header__inner app-header">
          <Link href={hrefFor('/')} className="brand">
            Runtrail
          </Link>
          <nav aria-label="Sections" className="app-nav">
            {SECTIONS.map((section) => (
              <Link key={section.path} href={hrefFor(section.path)} className="app-nav__link" aria-current={isCurrent(pathname, section.path) ? 'page' : undefined}>
                {section.label}
              </Link>
            ))}
          </nav>
          <div className="app-header__tools">
            <ProjectSwitcher />
            <FiringCount />
            <ConnectionStatusBadge />
            <span className="app-header__viewer" title={`@${viewer.username}`}>
              {viewer.displayName}
            </span>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main id="main" className="site-main">
        {children}
      </main>
    </>
  );
}
