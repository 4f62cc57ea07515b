'use client';

import type { ReactNode } from 'react';
import { useUrlState } from '../../_hooks/use-url-state.ts';

/** Rules, silences and contact points belong to one project: the page asks for the header's choice. */
export function ProjectRequired({ what, children }: { what: string; children(projectId: string): ReactNode }) {
  const { projectId } = useUrlState();
  if (!projectId) {
    return (
      <div className="empty-state">
        <p className="empty-state__title">Choose a project to see its {what}.</p>
        <p>Use the project switcher in the header.</p>
      </div>
    );
  }
  return children(projectId);
}
