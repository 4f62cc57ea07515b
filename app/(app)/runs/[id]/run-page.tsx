'use client';

import { useApolloClient, useQuery } from '@apollo/client/react';
import Link from 'next/link';
import { useParams } from 'next/navigation';
import { useCallback, useState } from 'react';
import { useRunEvents, type LiveRunEvent } from '../../../_apollo/live.ts';
import { writeRunEvent } from '../../../_apollo/run-event-cache.ts';
import { useHasRole } from '../../../_apollo/viewer.tsx';
import { QueryErrorNotice } from '../../../_components/query-error-notice.tsx';
import { RunActions } from '../../../_components/run/run-actions.tsx';
import { RunGraph } from '../../../_components/run/run-graph.tsx';
import { RunHistory } from '../../../_components/run/run-history.tsx';
import { RunValues } from '../../../_components/run/run-values.tsx';
import { StepDetail } from '../../../_components/run/step-detail.tsx';
import { SubWorkflowRuns } from '../../../_components/run/sub-workflow-runs.tsx';
import { StepLog } from '../../../_components/run/step-log.tsx';
import { StepTimeline } from '../../../_components/run/step-timeline.tsx';
import { DateTime } from '../../../_components/date-time.tsx';
import { RunStatusBadge } from '../../../_components/status-badge.tsx';
import { graphql } from '../../../_gql/index.ts';
import { formatDateTime, formatDuration } from '../../../_lib/format.ts';
import { queuedHint } from '../../../_lib/queued-reason.ts';
import { triggerLabel } from '../../../_lib/triggers.ts';
import type { ServerResult } from '../../../_apollo/server-result.ts';
import { useServerResult } from '../../../_apollo/use-server-result.ts';
import type { RunDetailQuery, RunDetailQueryVariables } from '../../../_gql/graphql.ts';
import { RUN_DETAIL } from './run-query.ts';

const RUN_ETA = graphql(`
  query RunEta($id: ID!) {
    run(id: $id) {
      id
      eta {
        expectedAt
        p90At
        basedOn
      }
    }
  }
`);

/** The run as the server rendered it; the page's stream starts after its last event. */
export function RunDetailPage({ initial }: { initial: ServerResult<RunDetailQuery, RunDetailQueryVariables> | null }) {
  const { id } = useParams<{ id: string }>();
  const client = useApolloClient();
  const rendered = useServerResult(RUN_DETAIL, { id }, initial);
  const query = useQuery(RUN_DETAIL, { variables: { id } });
  const { error, refetch } = query;
  const data = query.data ?? rendered;
  // What the server rendered is not loading, there or in the browser's first render.
  const loading = query.loading && rendered === undefined;
  const run = data?.run ?? null;
  const lastSeq = run?.events.at(-1)?.seq ?? null;
  const [selectedStep, setSelectedStep] = useState<string | null>(null);
  const canOperate = useHasRole(run?.project.id ?? null, 'OPERATOR');

  // The event carries the run's and the step's new fields and its history line; only a step
  // row the page has not loaded needs the query again.
  const running = run?.status === 'RUNNING';
  const eta = useQuery(RUN_ETA, { variables: { id }, skip: !running });
  const refetchEta = eta.refetch;
  const onEvent = useCallback(
    (event: LiveRunEvent) => {
      if (!writeRunEvent(client.cache, event)) void refetch();
      // A step that starts or ends moves the estimate.
      if (event.step && running) void refetchEta();
    },
    [client, refetch, refetchEta, running],
  );
  const onResync = useCallback(() => void refetch(), [refetch]);
  // A run id begins with its creation time, so searching by it selects exactly this run's events.
  useRunEvents({ filter: { search: id }, afterSeq: lastSeq, onEvent, onResync, skip: !run });

  if (error) return <QueryErrorNotice subject="this run" error={error} onRetry={() => void refetch()} />;
  if (!run) {
    return loading ? (
      <p className="page-status">Loading…</p>
    ) : (
      <div className="empty-state">
        <p className="empty-state__title">Run {id} was not found.</p>
        <p>
          It does not exist, or it belongs to a project you cannot read. <Link href="/runs">Back to all runs</Link>
        </p>
      </div>
    );
  }

  const shownStep = selectedStep ?? run.steps.find((step) => step.status === 'RUNNING')?.name ?? run.steps.find((step) => step.status === 'FAILED')?.name ?? run.steps[0]?.name ?? null;
  const shown = run.steps.find((step) => step.name === shownStep);
  const hint = queuedHint(run.status, run.queuedReason);
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link href="/runs">Runs</Link> / <Link href={`/workflows/${run.workflow.id}`}>{run.workflow.name}</Link>
      </nav>
      <div className="page-heading">
        <h1 className="run-title">
          {run.workflow.name} <RunStatusBadge status={run.status} />
        </h1>
        {canOperate && (
          <RunActions
            runId={run.id}
            status={run.status}
            waitingSteps={run.steps.filter((step) => step.status === 'WAITING').map((step) => step.name)}
            hasFailedStep={run.steps.some((step) => step.status === 'FAILED')}
          />
        )}
      </div>
      <dl className="facts">
        <div>
          <dt>Run</dt>
          <dd className="mono">{run.id}</dd>
        </div>
        <div>
          <dt>Project</dt>
          <dd>{run.project.name}</dd>
        </div>
        <div>
          <dt>Trigger</dt>
          <dd>
            {triggerLabel(run.trigger)}
            {run.retryOf && (
              <>
                {' '}
                of <Link href={`/runs/${run.retryOf.id}`}>{run.retryOf.id}</Link>
              </>
            )}
          </dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>
            <DateTime iso={run.createdAt} />
          </dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{formatDuration(run.durationMs)}</dd>
        </div>
        {running && eta.data?.run?.eta && (
          <div>
            <dt>Expected to finish</dt>
            <dd title={`From the last ${eta.data.run.eta.basedOn} or more durations of each remaining step`}>
              {formatDateTime(eta.data.run.eta.expectedAt)} (9 in 10 by {formatDateTime(eta.data.run.eta.p90At)})
            </dd>
          </div>
        )}
      </dl>
      {hint && (
        <p className="notice" role="status">
          {hint}
        </p>
      )}
      {run.error && (
        <p className="notice notice--error" role="status">
          {run.error}
        </p>
      )}
      <div className="run-detail">
        <section className="card" aria-labelledby="steps-title">
          <h2 id="steps-title" className="card__title">
            Steps
          </h2>
          <RunGraph workflowSteps={run.workflowSteps} steps={run.steps} selected={shownStep} onSelect={setSelectedStep} />
          <StepTimeline steps={run.steps} selected={shownStep} onSelect={setSelectedStep} />
          {shown && <StepDetail step={shown} events={run.events} />}
          {shown && <StepLog key={`${run.id}/${shown.name}`} runId={run.id} step={shown.name} />}
        </section>
        <div className="run-detail__side">
          <SubWorkflowRuns parent={run.parentRun ?? null} parentStep={run.parentStep ?? null} children={run.childRuns} />
          <section className="card" aria-labelledby="values-title">
            <h2 id="values-title" className="card__title">
              Params and outputs
            </h2>
            <RunValues params={run.params} outputs={run.outputs} />
          </section>
          <section className="card" aria-labelledby="events-title">
            <h2 id="events-title" className="card__title">
              Status history
            </h2>
            <RunHistory events={run.events} />
          </section>
        </div>
      </div>
    </>
  );
}
