'use client';

import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import Link from 'next/link';
import { useParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import { useRunEvents, type LiveRunEvent } from '../../../_apollo/live.ts';
import { writeRunEvent } from '../../../_apollo/run-event-cache.ts';
import { useHasRole } from '../../../_apollo/viewer.tsx';
import { Card } from '../../../_components/card.tsx';
import { DurationChart } from '../../../_components/charts/duration-chart.tsx';
import { QueryErrorNotice } from '../../../_components/query-error-notice.tsx';
import { RunsTable } from '../../../_components/runs/runs-table.tsx';
import { TriggerForm } from '../../../_components/workflow/trigger-form.tsx';
import { WorkflowGraph } from '../../../_components/workflow/workflow-graph.tsx';
import { WorkflowEditor } from '../../../_components/workflow/workflow-editor.tsx';
import { graphql } from '../../../_gql/index.ts';
import { formatDateTime, formatDuration } from '../../../_lib/format.ts';
import { isActiveRunStatus } from '../../../_lib/statuses.ts';
import { runsHref } from '../../../_lib/url-state.ts';

const WORKFLOW_DETAIL = graphql(`
  query WorkflowDetail($id: ID!) {
    workflow(id: $id) {
      id
      name
      description
      definition
      schedule
      nextFireAt
      enabled
      loadError
      source
      tags
      project {
        id
        name
      }
      recentRuns {
        ...RunRow
      }
      steps {
        ...WorkflowGraphStep
        description
        call
      }
      params {
        name
        default
      }
      failureProbability {
        probability
        baseRate
        skill
      }
      forecast {
        day
        total {
          expected
          lower
          upper
        }
      }
    }
    anomalies(filter: { workflowIds: [$id], kinds: [DURATION_SPIKE], includeDismissed: true }, first: 20) {
      ...AnomalyMark
    }
    workflowStats(workflowId: $id) {
      total
      successRate
      p50DurationMs
      p95DurationMs
      snapshot
    }
  }
`);

const SET_ENABLED = graphql(`
  mutation SetWorkflowEnabled($id: ID!, $enabled: Boolean!) {
    setWorkflowEnabled(id: $id, enabled: $enabled) {
      id
      enabled
      nextFireAt
    }
  }
`);

export default function WorkflowDetailPage() {
  const { id } = useParams<{ id: string }>();
  const client = useApolloClient();
  const { data, error, loading, refetch } = useQuery(WORKFLOW_DETAIL, { variables: { id } });
  const workflow = data?.workflow ?? null;
  const canAdminister = useHasRole(workflow?.project.id ?? null, 'ADMIN');
  const canOperate = useHasRole(workflow?.project.id ?? null, 'OPERATOR');
  const [setEnabled, toggling] = useMutation(SET_ENABLED);
  const shownRuns = useMemo(() => new Set(workflow?.recentRuns.map((run) => run.id)), [workflow]);
  // Rows on screen take the event's fields from the cache; a new run changes the list, and a
  // run that ends changes the stats, which no event carries: those ask the query again.
  const onEvent = useCallback(
    (event: LiveRunEvent) => {
      const written = writeRunEvent(client.cache, event);
      const ended = event.kind === 'RUN' && !isActiveRunStatus(event.run.status);
      if (!written || ended || !shownRuns.has(event.run.id)) void refetch();
    },
    [client, refetch, shownRuns],
  );
  const onResync = useCallback(() => void refetch(), [refetch]);
  useRunEvents({ filter: { workflowIds: [id] }, afterSeq: data?.workflowStats.snapshot ?? null, onEvent, onResync, skip: !workflow });

  if (error) return <QueryErrorNotice subject="this workflow" error={error} onRetry={() => void refetch()} />;
  if (!workflow || !data) {
    return loading ? (
      <p className="page-status">Loading…</p>
    ) : (
      <div className="empty-state">
        <p className="empty-state__title">Workflow {id} was not found.</p>
        <p>
          It does not exist, was deleted, or belongs to a project you cannot read. <Link href="/workflows">Back to workflows</Link>
        </p>
      </div>
    );
  }
  const stats = data.workflowStats;
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link href="/workflows">Workflows</Link> / {workflow.project.name}
      </nav>
      <div className="page-heading">
        <h1>
          {workflow.name} {!workflow.enabled && <span className="badge">disabled</span>}
        </h1>
        {canAdminister && (
          <button
            type="button"
            className="button button--secondary"
            disabled={toggling.loading}
            onClick={() => void setEnabled({ variables: { id: workflow.id, enabled: !workflow.enabled } })}
          >
            {workflow.enabled ? 'Disable' : 'Enable'}
          </button>
        )}
      </div>
      {workflow.description && <p>{workflow.description}</p>}
      {workflow.loadError && (
        <p className="notice notice--error" role="status">
          The latest edit of its file was refused; the previous version stays in force. {workflow.loadError}
        </p>
      )}
      <dl className="facts">
        <div>
          <dt>Schedule</dt>
          <dd className="mono cron">{workflow.schedule ?? 'none'}</dd>
        </div>
        <div>
          <dt>Next run</dt>
          <dd>{workflow.nextFireAt ? formatDateTime(workflow.nextFireAt) : '—'}</dd>
        </div>
        <div>
          <dt>Runs</dt>
          <dd>{stats.total.toLocaleString('en-US')}</dd>
        </div>
        <div>
          <dt>Succeeded</dt>
          <dd>{stats.successRate === null ? '—' : `${Math.round(stats.successRate * 100)}%`}</dd>
        </div>
        <div>
          <dt>Duration p50 / p95</dt>
          <dd>
            {formatDuration(stats.p50DurationMs)} / {formatDuration(stats.p95DurationMs)}
          </dd>
        </div>
        {workflow.failureProbability && (
          <div>
            <dt>Next run fails</dt>
            <dd title={`Failure rate ${percent(workflow.failureProbability.baseRate)}; predicts ${percent(workflow.failureProbability.skill)} better than it (Brier skill)`}>
              {percent(workflow.failureProbability.probability)} likely
            </dd>
          </div>
        )}
        {workflow.forecast && (
          <div>
            <dt>Runs {formatDay(workflow.forecast.day)}</dt>
            <dd>
              about {Math.round(workflow.forecast.total.expected)} ({Math.round(workflow.forecast.total.lower)}–{Math.round(workflow.forecast.total.upper)})
            </dd>
          </div>
        )}
      </dl>
      <div className="card-grid card-grid--dashboard">
        {canOperate && (
          <Card title="Trigger">
            <TriggerForm workflowId={workflow.id} params={workflow.params} />
          </Card>
        )}
        <Card title="Graph" wide>
          <WorkflowGraph steps={workflow.steps} />
        </Card>
        <Card title="Duration of recent runs">
          <DurationChart runs={workflow.recentRuns} anomalies={data?.anomalies ?? []} />
        </Card>
        <Card title="Recent runs" wide aside={<Link href={runsHref({ workflowId: workflow.id })}>All runs of {workflow.name}</Link>}>
          {workflow.recentRuns.length === 0 ? <p className="empty-state">No runs yet.</p> : <RunsTable runs={workflow.recentRuns} caption={`Latest runs of ${workflow.name}`} />}
        </Card>
        <Card title="Definition" wide>
          <WorkflowEditor projectId={workflow.project.id} definition={workflow.definition} canEdit={canAdminister} />
        </Card>
      </div>
    </>
  );
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

const dayFormat = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });

function formatDay(iso: string): string {
  return dayFormat.format(new Date(iso));
}
