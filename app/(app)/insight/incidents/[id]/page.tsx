'use client';

import { useQuery } from '@apollo/client/react';
import Link from 'next/link';
import { useParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import { useIncidentChanges } from '../../../../_apollo/live-alerts.ts';
import { useViewer } from '../../../../_apollo/viewer.tsx';
import { QueryErrorNotice } from '../../../../_components/query-error-notice.tsx';
import { graphql } from '../../../../_gql/index.ts';
import { formatDateTime } from '../../../../_lib/format.ts';
import { ATTRIBUTE_KIND_LABELS, formatLift, formatShare, incidentSummary } from '../../../../_lib/incident-view.ts';

const INCIDENT_DETAIL = graphql(`
  query IncidentDetail($id: ID!) {
    incident(id: $id) {
      ...IncidentSummary
      members {
        runId
        projectId
        at
        error
        failedStep
        worker
        workflow {
          id
          name
        }
      }
      attributes {
        kind
        value
        members
        memberShare
        otherShare
        lift
      }
    }
  }
`);

/** One incident: its shared attributes ranked by lift, and its member runs, as far as the viewer may read them. */
export default function IncidentDetailPage() {
  const { id } = useParams<{ id: string }>();
  const { projects } = useViewer();
  const { data, error, refetch } = useQuery(INCIDENT_DETAIL, { variables: { id } });
  const refresh = useCallback(() => void refetch(), [refetch]);
  const projectIds = useMemo(() => (data ? data.incident.projectIds : null), [data]);
  useIncidentChanges(projectIds, refresh);
  const projectNames = useMemo(() => new Map(projects.map((project) => [project.id, project.name])), [projects]);

  if (error) return <QueryErrorNotice subject="incident" error={error} onRetry={refresh} />;
  if (!data) return <p className="page-status">Loading incident…</p>;
  const { incident } = data;
  return (
    <>
      <div className="page-heading">
        <h1>Incident opened {formatDateTime(incident.openedAt)}</h1>
        <Link href="/insight/incidents">All incidents</Link>
      </div>
      <p>
        {incidentSummary(incident)}, from {formatDateTime(incident.start)} to {formatDateTime(incident.lastFailureAt)}.{' '}
        {incident.closedAt === null || incident.closedAt === undefined ? 'Still open.' : `Closed ${formatDateTime(incident.closedAt)}.`}
      </p>
      <section className="card" aria-labelledby="attributes-title">
        <h2 id="attributes-title" className="card__title">
          What the failures share
        </h2>
        {incident.attributes.length === 0 ? (
          <p className="empty-state">The failures you see share no attribute.</p>
        ) : (
          <div className="table-scroll">
            <table className="table">
              <caption className="visually-hidden">Shared attributes, highest lift first</caption>
              <thead>
                <tr>
                  <th scope="col">Kind</th>
                  <th scope="col">Value</th>
                  <th scope="col">Of the failures</th>
                  <th scope="col">Of the other runs</th>
                  <th scope="col">Lift</th>
                </tr>
              </thead>
              <tbody>
                {incident.attributes.map((attribute) => (
                  <tr key={`${attribute.kind}:${attribute.value}`}>
                    <td>{ATTRIBUTE_KIND_LABELS[attribute.kind]}</td>
                    <td className="mono">{attribute.value}</td>
                    <td>
                      {formatShare(attribute.memberShare)} ({attribute.members})
                    </td>
                    <td>{formatShare(attribute.otherShare)}</td>
                    <td>{formatLift(attribute.lift)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="card" aria-labelledby="members-title">
        <h2 id="members-title" className="card__title">
          Failed runs
        </h2>
        <div className="table-scroll">
          <table className="table">
            <caption className="visually-hidden">The incident’s failed runs you may read, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Workflow</th>
                <th scope="col">Project</th>
                <th scope="col">Failed</th>
                <th scope="col">Step</th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {incident.members.map((member) => (
                <tr key={member.runId}>
                  <td>
                    <Link href={`/runs/${member.runId}`} className="mono">
                      {member.runId}
                    </Link>
                  </td>
                  <td>{member.workflow ? <Link href={`/workflows/${member.workflow.id}`}>{member.workflow.name}</Link> : 'deleted'}</td>
                  <td>{projectNames.get(member.projectId) ?? member.projectId}</td>
                  <td>{formatDateTime(member.at)}</td>
                  <td>{member.failedStep ?? '—'}</td>
                  <td className="mono">{member.error ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
