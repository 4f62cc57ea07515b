'use client';

import { useQuery } from '@apollo/client/react';
import Link from 'next/link';
import { useCallback, useMemo } from 'react';
import { useIncidentChanges } from '../../../_apollo/live-alerts.ts';
import { useViewer } from '../../../_apollo/viewer.tsx';
import { QueryErrorNotice } from '../../../_components/query-error-notice.tsx';
import { graphql } from '../../../_gql/index.ts';
import { formatDateTime } from '../../../_lib/format.ts';
import { incidentSummary, likelyCause } from '../../../_lib/incident-view.ts';

const INCIDENTS_PAGE = graphql(`
  query IncidentsPage {
    incidents(first: 100) {
      ...IncidentSummary
      attributes {
        kind
        value
        lift
      }
    }
  }
`);

/** Incidents touching the viewer's projects, newest first, kept current by incidentEvents. */
export default function IncidentsPage() {
  const { projects } = useViewer();
  const { data, error, refetch } = useQuery(INCIDENTS_PAGE);
  const refresh = useCallback(() => void refetch(), [refetch]);
  useIncidentChanges(null, refresh);
  const projectNames = useMemo(() => new Map(projects.map((project) => [project.id, project.name])), [projects]);

  if (error) return <QueryErrorNotice subject="incidents" error={error} onRetry={refresh} />;
  if (!data) return <p className="page-status">Loading incidents…</p>;
  return (
    <>
      <div className="page-heading">
        <h1>Incidents</h1>
        <Link href="/insight">Back to insight</Link>
      </div>
      <section className="card" aria-labelledby="incidents-title">
        <h2 id="incidents-title" className="card__title">
          Failures that clustered across projects
        </h2>
        {data.incidents.length === 0 ? (
          <p className="empty-state">No incident: failures have not clustered across projects.</p>
        ) : (
          <div className="table-scroll">
            <table className="table">
              <caption className="visually-hidden">Incidents, newest opened first</caption>
              <thead>
                <tr>
                  <th scope="col">Opened</th>
                  <th scope="col">State</th>
                  <th scope="col">What you see of it</th>
                  <th scope="col">Projects</th>
                  <th scope="col">Likely cause</th>
                </tr>
              </thead>
              <tbody>
                {data.incidents.map((incident) => (
                  <tr key={incident.id}>
                    <td>
                      <Link href={`/insight/incidents/${incident.id}`}>{formatDateTime(incident.openedAt)}</Link>
                    </td>
                    <td>{incident.closedAt === null || incident.closedAt === undefined ? 'Open' : `Closed ${formatDateTime(incident.closedAt)}`}</td>
                    <td>{incidentSummary(incident)}</td>
                    <td>{incident.projectIds.map((id) => projectNames.get(id) ?? id).join(', ')}</td>
                    <td className="mono">{likelyCause(incident.attributes) ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
