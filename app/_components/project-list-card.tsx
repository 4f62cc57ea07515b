'use client';

import { gql, type TypedDocumentNode } from '@apollo/client';
import { useQuery } from '@apollo/client/react';
import { Card } from './card.tsx';
import { ProjectTable } from './project-table.tsx';
import { QueryErrorNotice } from './query-error-notice.tsx';

// Hand-written until codegen produces it; named as codegen will name it.
interface HomeProjectsQuery {
  projects: Array<{ id: string; slug: string; name: string }>;
}

const HOME_PROJECTS: TypedDocumentNode<HomeProjectsQuery, Record<string, never>> = gql`
  query HomeProjects {
    projects {
      id
      slug
      name
    }
  }
`;

export function ProjectListCard() {
  const { data, loading, error, refetch } = useQuery(HOME_PROJECTS);
  const projects = data?.projects;

  return (
    <Card title="Projects" busy={loading}>
      {error ? (
        <QueryErrorNotice subject="the project list" error={error} onRetry={() => void refetch().catch(() => {})} />
      ) : !projects ? (
        <p className="muted">Loading projects…</p>
      ) : projects.length === 0 ? (
        <div className="empty-state">
          <p className="empty-state__title">No projects yet</p>
          <p className="muted">Projects you are a member of appear here; an instance admin can create one or add you to one.</p>
        </div>
      ) : (
        <ProjectTable projects={projects} />
      )}
    </Card>
  );
}
