'use client';

import { NetworkStatus } from '@apollo/client';
import { useQuery } from '@apollo/client/react';
import { useCallback, useMemo, useState } from 'react';
import { useRunEvents, type LiveRunEvent } from '../../_apollo/live.ts';
import { useViewer } from '../../_apollo/viewer.tsx';
import { QueryErrorNotice } from '../../_components/query-error-notice.tsx';
import { SnapshotTime } from '../../_components/runs/snapshot-time.tsx';
import { RunFilters } from '../../_components/runs/run-filters.tsx';
import { RunsTable } from '../../_components/runs/runs-table.tsx';
import type { RunFilter, RunsPageQuery, RunsPageQueryVariables, WorkflowOptionsQuery, WorkflowOptionsQueryVariables } from '../../_gql/graphql.ts';
import { countsByStatus } from '../../_lib/chart-data.ts';
import { countOf } from '../../_lib/plural.ts';
import { useUrlState } from '../../_hooks/use-url-state.ts';
import { parseRunsView } from '../../_lib/run-filters.ts';
import type { ServerResult } from '../../_apollo/server-result.ts';
import { useServerResult } from '../../_apollo/use-server-result.ts';
import { RUNS_PAGE, runsPageVariables, STATUS_COUNTS_AT } from './runs-queries.ts';
import { WORKFLOW_OPTIONS } from '../../_components/workflow/workflow-options-query.ts';

function withoutStatuses(filter: RunFilter): RunFilter {
  const { statuses: _ignored, ...rest } = filter;
  return rest;
}

/** What the server rendered the page from: its first page of runs, at the moment it opened the view. */
export interface RunsPageInitial {
  openedAt: number;
  runs: ServerResult<RunsPageQuery, RunsPageQueryVariables> | null;
  workflows: ServerResult<WorkflowOptionsQuery, WorkflowOptionsQueryVariables> | null;
}

export function RunsPage({ initial }: { initial: RunsPageInitial }) {
  const { params, showRuns: show } = useUrlState();
  const { projects } = useViewer();
  const view = useMemo(() => parseRunsView(params), [params]);
  // A preset reaches back from the moment the view was opened (on the server, for the first
  // view), so paging stays on one range.
  const [openedAt, setOpenedAt] = useState(initial.openedAt);
  const variables = useMemo(() => runsPageVariables(view, openedAt), [view, openedAt]);
  const { filter } = variables;
  const workflowVariables = { projectId: view.projectId };

  const renderedRuns = useServerResult(RUNS_PAGE, variables, initial.runs);
  const renderedWorkflows = useServerResult(WORKFLOW_OPTIONS, workflowVariables, initial.workflows);
  const runs = useQuery(RUNS_PAGE, { variables, notifyOnNetworkStatusChange: true });
  const runsData = runs.data ?? renderedRuns;
  const snapshot = runsData?.runs.snapshot ?? null;
  const counts = useQuery(STATUS_COUNTS_AT, { variables: { filter: withoutStatuses(filter), snapshot }, skip: snapshot === null });
  const workflows = useQuery(WORKFLOW_OPTIONS, { variables: workflowVariables });
  const workflowOptions = (workflows.data ?? renderedWorkflows)?.workflows.edges.map((edge) => edge.node) ?? [];

  // Runs that entered the filter after the snapshot and are not on screen: offered, not inserted.
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const onScreen = useMemo(() => new Set(runsData?.runs.edges.map((edge) => edge.node.id)), [runsData]);
  const onEvent = useCallback(
    (event: LiveRunEvent) => {
      if (event.kind !== 'RUN' || onScreen.has(event.run.id)) return;
      if (view.statuses.length > 0 && !view.statuses.some((status) => status === event.to)) return;
      setFresh((previous) => (previous.has(event.run.id) ? previous : new Set(previous).add(event.run.id)));
    },
    [onScreen, view.statuses],
  );
  const refresh = useCallback(() => {
    setFresh(new Set());
    setOpenedAt(Date.now());
    if (view.after || view.before) show({ ...view, after: null, before: null });
    else void runs.refetch();
  }, [view, show, runs]);
  // Rows on screen must follow every change of their status, so the stream does not filter by status.
  useRunEvents({ filter: withoutStatuses(filter), afterSeq: snapshot, onEvent, onResync: refresh, skip: snapshot === null });

  const page = runsData?.runs;
  // What the server rendered is not loading, there or in the browser's first render.
  const loading = renderedRuns === undefined && (runs.networkStatus === NetworkStatus.loading || runs.networkStatus === NetworkStatus.setVariables);
  return (
    <>
      <div className="page-heading">
        <h1>Runs</h1>
        {page && (
          <p className="snapshot-line muted" role="status">
            {countOf(page.totalCount, 'run', 'runs')} <SnapshotTime snapshot={page.snapshot} />{' '}
            <button type="button" className="button button--secondary button--small" onClick={refresh}>
              Refresh
            </button>
          </p>
        )}
      </div>
      <RunFilters
        view={view}
        counts={counts.data ? countsByStatus(counts.data.runStatusCounts.byStatus) : null}
        projects={projects}
        workflows={workflowOptions}
        onChange={show}
      />
      {fresh.size > 0 && (
        <button type="button" className="new-runs-bar" onClick={refresh}>
          {fresh.size === 1 ? '1 new run' : `${fresh.size} new runs`} — show
        </button>
      )}
      {runs.error && <QueryErrorNotice subject="the runs" error={runs.error} onRetry={() => void runs.refetch()} />}
      {!page && loading && <p className="page-status">Loading runs…</p>}
      {page && page.edges.length === 0 && (
        <div className="empty-state">
          <p className="empty-state__title">No runs match these filters.</p>
          <p>Widen the time range, pick more statuses, or clear the search.</p>
        </div>
      )}
      {page && page.edges.length > 0 && (
        <div aria-busy={loading}>
          <RunsTable runs={page.edges.map((edge) => edge.node)} caption="Runs, newest first" />
          <nav className="pager" aria-label="Pages of runs">
            <button
              type="button"
              className="button button--secondary"
              disabled={!page.pageInfo.hasPreviousPage || !page.pageInfo.startCursor}
              onClick={() => show({ ...view, after: null, before: page.pageInfo.startCursor })}
            >
              ← Newer
            </button>
            <button
              type="button"
              className="button button--secondary"
              disabled={!page.pageInfo.hasNextPage || !page.pageInfo.endCursor}
              onClick={() => show({ ...view, before: null, after: page.pageInfo.endCursor })}
            >
              Older →
            </button>
          </nav>
        </div>
      )}
    </>
  );
}
