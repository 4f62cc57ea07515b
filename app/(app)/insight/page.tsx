'use client';

import { countOf } from '../../_lib/plural.ts';
import { useMutation, useQuery } from '@apollo/client/react';
import Link from 'next/link';
import { useMemo, useState } from 'react';
import { hasRole, useViewer } from '../../_apollo/viewer.tsx';
import { QueryErrorNotice } from '../../_components/query-error-notice.tsx';
import { graphql } from '../../_gql/index.ts';
import type { AnomalyKind, RunStatus } from '../../_gql/graphql.ts';
import { ANOMALY_KIND_LABELS } from '../../_lib/anomaly-markers.ts';
import { formatDateTime, formatDuration } from '../../_lib/format.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const OVERVIEW_STATUSES: readonly RunStatus[] = ['SUCCEEDED', 'FAILED', 'PARTIALLY_SUCCEEDED', 'ABORTED', 'RUNNING', 'QUEUED'];

const INSIGHT_PAGE = graphql(`
  query InsightPage($weekFrom: DateTime!, $dayFrom: DateTime!, $to: DateTime!) {
    anomalies(filter: { open: true }, first: 200) {
      id
      kind
      step
      start
      raisedAt
      expected
      observed
      projectId
      workflow {
        id
        name
      }
    }
    byProject: runsAggregate(groupBy: [PROJECT, STATUS], from: $weekFrom, to: $to) {
      projectId
      status
      count
    }
    topErrors: runsAggregate(filter: { statuses: [FAILED] }, groupBy: [ERROR], from: $dayFrom, to: $to) {
      error
      count
    }
  }
`);

const DISMISS_ANOMALY = graphql(`
  mutation DismissAnomaly($id: ID!, $reason: String) {
    dismissAnomaly(id: $id, reason: $reason) {
      id
    }
  }
`);


/** What was expected against what was seen, in the unit of the anomaly's kind. */
function measure(kind: AnomalyKind, expected: number, observed: number): string {
  switch (kind) {
    case 'DURATION_SPIKE':
      return `${formatDuration(observed)}, usually ${formatDuration(expected)}`;
    case 'FAILURE_BURST':
      return `${countOf(observed, 'failure', 'failures')}, about ${expected.toFixed(1)} expected`;
    case 'LEVEL_SHIFT':
      return `${Math.round(observed * 100)}% succeed, usually ${Math.round(expected * 100)}%`;
    case 'VOLUME_DROP':
      return `${countOf(observed, 'run', 'runs')} so far today, about ${Math.round(expected)} expected`;
    case 'MISSED_SCHEDULE':
      return 'a cron fire made no run';
    case 'FLAKY':
      return `${Math.round(observed * 100)}% of runs needed a retry`;
  }
}

/** The whole hours of the last day and the whole days of the last week, ending at the next hour. */
function ranges(now: number) {
  const to = Math.ceil(now / HOUR_MS) * HOUR_MS;
  const weekFrom = Math.floor((now - 7 * DAY_MS) / DAY_MS) * DAY_MS;
  return { to: new Date(to).toISOString(), dayFrom: new Date(to - DAY_MS).toISOString(), weekFrom: new Date(weekFrom).toISOString() };
}

export default function InsightPage() {
  const { projects, viewer } = useViewer();
  const [variables] = useState(() => ranges(Date.now()));
  const { data, error, refetch } = useQuery(INSIGHT_PAGE, { variables });
  const [problem, setProblem] = useState<string | null>(null);
  const [dismiss] = useMutation(DISMISS_ANOMALY, { onError: (failure) => setProblem(failure.message), refetchQueries: ['InsightPage'] });
  const projectNames = useMemo(() => new Map(projects.map((project) => [project.id, project.name])), [projects]);
  const operated = useMemo(() => new Set(projects.filter((project) => hasRole(viewer, project.id, 'OPERATOR')).map((project) => project.id)), [projects, viewer]);
  const overview = useMemo(() => {
    const rows = new Map<string, Map<RunStatus, number>>();
    for (const group of data?.byProject ?? []) {
      if (group.projectId === null || group.projectId === undefined || !group.status) continue;
      const row = rows.get(group.projectId) ?? new Map<RunStatus, number>();
      row.set(group.status, group.count);
      rows.set(group.projectId, row);
    }
    return [...rows].sort(([a], [b]) => (projectNames.get(a) ?? a).localeCompare(projectNames.get(b) ?? b));
  }, [data, projectNames]);

  if (error) return <QueryErrorNotice subject="insight" error={error} onRetry={() => void refetch()} />;
  if (!data) return <p className="page-status">Loading insight…</p>;
  return (
    <>
      <div className="page-heading">
        <h1>Insight</h1>
        <Link href="/insight/incidents">Incidents across projects</Link>
      </div>
      {problem && (
        <p className="notice notice--error" role="alert">
          {problem}
        </p>
      )}
      <section className="card" aria-labelledby="anomalies-title">
        <h2 id="anomalies-title" className="card__title">
          Open anomalies
        </h2>
        {data.anomalies.length === 0 ? (
          <p className="empty-state">Every workflow behaves as its history says it should.</p>
        ) : (
          <div className="table-scroll">
            <table className="table">
              <caption className="visually-hidden">Open anomalies, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Workflow</th>
                  <th scope="col">What</th>
                  <th scope="col">Seen</th>
                  <th scope="col">Since</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.anomalies.map((anomaly) => (
                  <tr key={anomaly.id}>
                    <td>
                      <Link href={`/workflows/${anomaly.workflow.id}`}>{anomaly.workflow.name}</Link>
                      {anomaly.step && <span className="muted"> · step {anomaly.step}</span>}
                    </td>
                    <td>{ANOMALY_KIND_LABELS[anomaly.kind]}</td>
                    <td>{measure(anomaly.kind, anomaly.expected, anomaly.observed)}</td>
                    <td>{formatDateTime(anomaly.start)}</td>
                    <td>
                      {operated.has(anomaly.projectId) && (
                        <button
                          type="button"
                          className="button button--secondary button--small"
                          title="Dismiss as expected: this series' band widens to take in this episode, so one no more unusual is not raised again"
                          onClick={() => void dismiss({ variables: { id: anomaly.id, reason: 'expected' } })}
                        >
                          Expected
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="card" aria-labelledby="overview-title">
        <h2 id="overview-title" className="card__title">
          Runs of the last 7 days, by project
        </h2>
        <div className="table-scroll">
          <table className="table">
            <caption className="visually-hidden">Runs created in the last 7 days per project and status</caption>
            <thead>
              <tr>
                <th scope="col">Project</th>
                {OVERVIEW_STATUSES.map((status) => (
                  <th key={status} scope="col">
                    {status.toLowerCase().replace('_', ' ')}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {overview.map(([projectId, counts]) => (
                <tr key={projectId}>
                  <td>{projectNames.get(projectId) ?? projectId}</td>
                  {OVERVIEW_STATUSES.map((status) => (
                    <td key={status}>{(counts.get(status) ?? 0).toLocaleString('en-US')}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card" aria-labelledby="errors-title">
        <h2 id="errors-title" className="card__title">
          Commonest errors of the last 24 hours
        </h2>
        {data.topErrors.length === 0 ? (
          <p className="empty-state">No failed run in the last 24 hours.</p>
        ) : (
          <ol>
            {data.topErrors.slice(0, 10).map((group) => (
              <li key={group.error ?? 'none'}>
                <span className="mono">{group.error ?? 'no error recorded'}</span> · {group.count.toLocaleString('en-US')} {group.count === 1 ? 'run' : 'runs'}
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}
