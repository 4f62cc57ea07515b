'use client';

import Link from 'next/link';
import type { RunRowFragment } from '../_gql/graphql.ts';
import { useNow } from '../_hooks/use-now.ts';
import { formatAgo, formatDuration } from '../_lib/format.ts';
import { RunStatusBadge } from './status-badge.tsx';

interface RunListProps {
  runs: readonly (RunRowFragment & { error?: string | null })[];
  empty: string;
  showElapsed?: boolean;
  showError?: boolean;
}

/** A short list of runs (dashboard cards): status, workflow, and when or how long. */
export function RunList({ runs, empty, showElapsed = false, showError = false }: RunListProps) {
  const now = useNow();
  if (runs.length === 0) return <p className="empty-state">{empty}</p>;
  return (
    <ul className="run-list">
      {runs.map((run) => (
        <li key={run.id} className="run-list__item">
          <RunStatusBadge status={run.status} />
          <Link href={`/runs/${run.id}`} className="run-list__name" prefetch={false}>
            {run.workflow.name}
          </Link>
          <span className="muted run-list__meta">
            {showElapsed && run.startedAt ? `for ${formatDuration(now - Date.parse(run.startedAt))}` : showElapsed ? `queued ${formatAgo(run.createdAt, now)}` : formatAgo(run.createdAt, now)}
          </span>
          {showError && run.error && <span className="run-list__error">{run.error}</span>}
        </li>
      ))}
    </ul>
  );
}
