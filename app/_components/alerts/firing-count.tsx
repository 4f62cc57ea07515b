'use client';

import { useQuery } from '@apollo/client/react';
import Link from 'next/link';
import { useAlertChanges } from '../../_apollo/live-alerts.ts';
import { graphql } from '../../_gql/index.ts';
import { useUrlState } from '../../_hooks/use-url-state.ts';
import { alertsHref } from '../../_lib/url-state.ts';

const MAX_COUNTED = 500;

const FIRING_ALERTS = graphql(`
  query FiringAlertCount($filter: AlertFilter, $first: Int!) {
    alerts(filter: $filter, first: $first) {
      id
    }
  }
`);

/** How many alerts fire in the project scope, linking to them; counted again as the alertEvents stream tells of a change. */
export function FiringCount() {
  const { projectId } = useUrlState();
  const { data, refetch } = useQuery(FIRING_ALERTS, {
    variables: { filter: { states: ['FIRING'], ...(projectId ? { projectIds: [projectId] } : {}) }, first: MAX_COUNTED },
  });
  useAlertChanges(projectId ? [projectId] : null, () => void refetch());
  if (!data) return null;
  const count = data.alerts.length;
  const label = `${count >= MAX_COUNTED ? `${MAX_COUNTED}+` : count} firing`;
  return (
    <Link href={alertsHref({ states: ['FIRING'], projectId })} className={count > 0 ? 'badge badge--danger' : 'badge'} aria-label={`Alerts: ${label}`}>
      {label}
    </Link>
  );
}
