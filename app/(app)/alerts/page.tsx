'use client';

import { useQuery } from '@apollo/client/react';
import { useMemo } from 'react';
import { useAlertChanges } from '../../_apollo/live-alerts.ts';
import { useViewer } from '../../_apollo/viewer.tsx';
import { AlertFilters } from '../../_components/alerts/alert-filters.tsx';
import { AlertsNav } from '../../_components/alerts/alerts-nav.tsx';
import { AlertsTable } from '../../_components/alerts/alerts-table.tsx';
import { useWorkflowNames } from '../../_components/alerts/use-workflow-names.ts';
import { QueryErrorNotice } from '../../_components/query-error-notice.tsx';
import { graphql } from '../../_gql/index.ts';
import { useUrlState } from '../../_hooks/use-url-state.ts';
import { alertFilterOf, parseAlertsView } from '../../_lib/alert-filters.ts';

const PAGE_SIZE = 100;

const ALERTS_PAGE = graphql(`
  query AlertsPage($filter: AlertFilter, $first: Int!) {
    alerts(filter: $filter, first: $first) {
      ...AlertRow
    }
  }
`);

const RULE_OPTIONS = graphql(`
  query AlertRuleOptions($projectId: ID!) {
    alertRules(projectId: $projectId) {
      id
      name
    }
  }
`);

export default function AlertsPage() {
  const { params, showAlerts } = useUrlState();
  const { projects } = useViewer();
  const view = useMemo(() => parseAlertsView(params), [params]);
  const alerts = useQuery(ALERTS_PAGE, { variables: { filter: alertFilterOf(view), first: PAGE_SIZE } });
  // Pushed: each transition of the alerts in scope refetches the page.
  useAlertChanges(view.projectId ? [view.projectId] : null, () => void alerts.refetch());
  const rules = useQuery(RULE_OPTIONS, { variables: { projectId: view.projectId ?? '' }, skip: !view.projectId });
  const workflows = useWorkflowNames(view.projectId);

  return (
    <>
      <div className="page-heading">
        <h1>Alerts</h1>
        <AlertsNav />
      </div>
      <AlertFilters view={view} projects={projects} rules={rules.data?.alertRules ?? []} onChange={showAlerts} />
      {alerts.error && <QueryErrorNotice subject="the alerts" error={alerts.error} onRetry={() => void alerts.refetch()} />}
      {!alerts.data && !alerts.error && <p className="page-status">Loading alerts…</p>}
      {alerts.data && alerts.data.alerts.length === 0 && (
        <div className="empty-state">
          <p className="empty-state__title">No alerts match these filters.</p>
          <p>Alerts appear when a rule’s condition holds for a workflow; see Rules.</p>
        </div>
      )}
      {alerts.data && alerts.data.alerts.length > 0 && <AlertsTable alerts={alerts.data.alerts} workflowNames={workflows.byId} />}
    </>
  );
}
