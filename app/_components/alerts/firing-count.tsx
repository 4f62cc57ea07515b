'use client';

import { useQuery } from '@apollo/client/react';
import Link from 'next/link';
import { graphql } from '../../_gql/index.ts';
import { usePageVisible } from '../../_hooks/use-page-visible.ts';
import { useUrlState } from '../../_hooks/use-url-state.ts';
import { alertsHref } from '../../_lib/url-state.ts';

// Alerts have no subscription yet: the header asks again every few seconds while the tab is shown.
export const ALERT_POLL_MS = 5_000;
const MAX_COUNTED = 500;

const FIRING_ALERTS = graphql(`
  query FiringAlertCount($filter: AlertFilter, $first: Int!) {
    alerts(filter: $filter, first: $first) {
      id
    }
  }
`);

/** How many alerts fire in the project scope, linking to them. */
export function FiringCount() {
  const { projectId } = useUrlState();
  const visible = usePageVisible();
  const { data } = useQuery(FIRING_ALERTS, {
    variables: { filter: { states: ['FIRING'], ...(projectId ? { projectIds: [projectId] } : {}) }, first: MAX_COUNTED },
    pollInterval: visible ? ALERT_POLL_MS : 0,
  });
  if (!data) return null;
  const count = data.alerts.length;
  const label = `${count >= MAX_COUNTED ? `${MAX_COUNTED}+` : count} firing`;
  return (
    <Link href={alertsHref({ states: ['FIRING'], projectId })} className={count > 0 ? 'badge badge--danger' : 'badge'} aria-label={`Alerts: ${label}`}>
      {label}
    </Link>
  );
}
