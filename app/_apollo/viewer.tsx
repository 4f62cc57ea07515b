'use client';

import { useQuery } from '@apollo/client/react';
import { createContext, useContext, useEffect, type ReactNode } from 'react';
import type { Role, ViewerQuery, ViewerQueryVariables } from '../_gql/graphql.ts';
import { QueryErrorNotice } from '../_components/query-error-notice.tsx';
import { confirmSession } from '../_lib/session.ts';
import type { ServerResult } from './server-result.ts';
import { useServerResult } from './use-server-result.ts';
import { VIEWER } from './viewer-query.ts';


export type Viewer = ViewerQuery['viewer'];
export type ProjectSummary = ViewerQuery['projects'][number];

interface ViewerState {
  viewer: Viewer;
  /** Every project the viewer may read (all of them for an instance admin). */
  projects: ProjectSummary[];
}

const ViewerContext = createContext<ViewerState | null>(null);

/** Who is signed in and what they may read: asked once per page load (on the server), shared by every page. */
export function ViewerProvider({ children, initial }: { children: ReactNode; initial: ServerResult<ViewerQuery, ViewerQueryVariables> | null }) {
  const rendered = useServerResult(VIEWER, {}, initial);
  const query = useQuery(VIEWER);
  const { error, refetch } = query;
  const data = query.data ?? rendered;
  useEffect(() => {
    if (data) confirmSession();
  }, [data]);
  if (error) return <QueryErrorNotice subject="your account" error={error} onRetry={() => void refetch()} />;
  if (!data) return <p className="page-status">Loading…</p>;
  return <ViewerContext.Provider value={{ viewer: data.viewer, projects: data.projects }}>{children}</ViewerContext.Provider>;
}

export function useViewer(): ViewerState {
  const state = useContext(ViewerContext);
  if (!state) throw new Error('useViewer is used outside a ViewerProvider');
  return state;
}

const RANK: Record<Role, number> = { VIEWER: 1, OPERATOR: 2, ADMIN: 3 };

/** Whether the viewer has at least `role` in the project; the server checks again, this only hides buttons. */
export function hasRole(viewer: Viewer, projectId: string | null, role: Role): boolean {
  if (viewer.isAdmin) return true;
  const membership = viewer.memberships.find((each) => each.project.id === projectId);
  return membership !== undefined && RANK[membership.role] >= RANK[role];
}

export function useHasRole(projectId: string | null, role: Role): boolean {
  return hasRole(useViewer().viewer, projectId, role);
}
