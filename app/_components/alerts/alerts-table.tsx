'use client';

import Link from 'next/link';
import { Fragment, useState } from 'react';
import { hasRole, useViewer } from '../../_apollo/viewer.tsx';
import { graphql } from '../../_gql/index.ts';
import type { AlertRowFragment } from '../../_gql/graphql.ts';
import { formatDateTime } from '../../_lib/format.ts';
import { AcknowledgeButton } from './acknowledge-button.tsx';
import { AlertEvents } from './alert-events.tsx';
import { AlertStateBadge } from './alert-state-badge.tsx';

export const ALERT_ROW = graphql(`
  fragment AlertRow on Alert {
    id
    projectId
    workflowId
    state
    summary
    firedAt
    resolvedAt
    acknowledgedBy
    acknowledgedAt
    rule {
      id
      name
    }
    events {
      seq
      at
      from
      to
      actor
      message
    }
  }
`);

interface AlertsTableProps {
  alerts: readonly AlertRowFragment[];
  workflowNames: ReadonlyMap<string, string>;
}

/** Alerts in the server's order, each expandable to its transitions. */
export function AlertsTable({ alerts, workflowNames }: AlertsTableProps) {
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const { viewer } = useViewer();
  const toggle = (id: string) =>
    setExpanded((previous) => {
      const next = new Set(previous);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  return (
    <div className="table-scroll">
      <table className="table alerts-table">
        <caption className="visually-hidden">Alerts, firing first</caption>
        <thead>
          <tr>
            <th scope="col">State</th>
            <th scope="col">Workflow</th>
            <th scope="col">Rule</th>
            <th scope="col">Summary</th>
            <th scope="col">Fired</th>
            <th scope="col">Resolved</th>
            <th scope="col">Acknowledged</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {alerts.map((alert) => (
            <Fragment key={alert.id}>
              <tr data-alert-id={alert.id}>
                <td>
                  <AlertStateBadge state={alert.state} />
                </td>
                <th scope="row">
                  <Link href={`/workflows/${alert.workflowId}`} prefetch={false}>
                    {workflowNames.get(alert.workflowId) ?? alert.workflowId}
                  </Link>
                </th>
                <td>{alert.rule.name}</td>
                <td>{alert.summary}</td>
                <td>{formatDateTime(alert.firedAt)}</td>
                <td>{formatDateTime(alert.resolvedAt)}</td>
                <td>{alert.acknowledgedBy ? `${alert.acknowledgedBy}, ${formatDateTime(alert.acknowledgedAt)}` : '—'}</td>
                <td>
                  <div className="alerts-table__actions">
                    <button type="button" className="button button--secondary button--small" aria-expanded={expanded.has(alert.id)} onClick={() => toggle(alert.id)}>
                      History
                    </button>
                    {alert.state === 'FIRING' && !alert.acknowledgedBy && hasRole(viewer, alert.projectId, 'OPERATOR') && <AcknowledgeButton alertId={alert.id} />}
                  </div>
                </td>
              </tr>
              {expanded.has(alert.id) && (
                <tr>
                  <td colSpan={8}>
                    <AlertEvents events={alert.events} />
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}
