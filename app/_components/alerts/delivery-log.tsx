'use client';

import { useQuery } from '@apollo/client/react';
import { graphql } from '../../_gql/index.ts';
import { formatDateTime } from '../../_lib/format.ts';
import { QueryErrorNotice } from '../query-error-notice.tsx';

const DELIVERIES = graphql(`
  query ContactPointDeliveries($projectId: ID!) {
    contactPoints(projectId: $projectId) {
      id
      deliveries(first: 20) {
        notificationId
        type
        attempt
        at
        statusCode
        error
        durationMs
        state
      }
    }
  }
`);

/** The latest attempts to deliver to a contact point (its project's ADMINs only). */
export function DeliveryLog({ projectId, contactPointId }: { projectId: string; contactPointId: string }) {
  const { data, error, refetch } = useQuery(DELIVERIES, { variables: { projectId } });
  if (error) return <QueryErrorNotice subject="the delivery log" error={error} onRetry={() => void refetch()} />;
  if (!data) return <p className="page-status">Loading deliveries…</p>;
  const deliveries = data.contactPoints.find((point) => point.id === contactPointId)?.deliveries ?? [];
  if (deliveries.length === 0) return <p className="muted">Nothing was sent here yet.</p>;
  return (
    <table className="table">
      <caption>Delivery log, newest notification first</caption>
      <thead>
        <tr>
          <th scope="col">At</th>
          <th scope="col">Type</th>
          <th scope="col">Attempt</th>
          <th scope="col">Answer</th>
          <th scope="col">Now</th>
        </tr>
      </thead>
      <tbody>
        {deliveries.map((delivery) => (
          <tr key={`${delivery.notificationId}-${delivery.attempt}`}>
            <td>{formatDateTime(delivery.at)}</td>
            <td>{delivery.type}</td>
            <td>{delivery.attempt}</td>
            <td>
              {delivery.statusCode ?? '—'} {delivery.error && <span className="muted">{delivery.error}</span>} ({delivery.durationMs} ms)
            </td>
            <td>{delivery.state}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
