'use client';

import { gql, type TypedDocumentNode } from '@apollo/client';
import { useQuery } from '@apollo/client/react';
import { Card } from './card.tsx';
import { QueryErrorNotice } from './query-error-notice.tsx';

// Hand-written until codegen produces it; named as codegen will name it.
interface HomeViewerQuery {
  viewer: { id: string; username: string; displayName: string; isAdmin: boolean };
}

const HOME_VIEWER: TypedDocumentNode<HomeViewerQuery, Record<string, never>> = gql`
  query HomeViewer {
    viewer {
      id
      username
      displayName
      isAdmin
    }
  }
`;

export function ViewerCard() {
  const { data, loading, error, refetch } = useQuery(HOME_VIEWER);
  const viewer = data?.viewer;

  return (
    <Card title="Signed in as" busy={loading}>
      {error ? (
        <QueryErrorNotice subject="your profile" error={error} onRetry={() => void refetch().catch(() => {})} />
      ) : viewer ? (
        <div className="viewer">
          <p className="viewer__name">{viewer.displayName}</p>
          <p className="viewer__username">@{viewer.username}</p>
          {viewer.isAdmin && <p className="badge badge--accent">Instance admin</p>}
        </div>
      ) : (
        <p className="muted">Loading your profile…</p>
      )}
    </Card>
  );
}
