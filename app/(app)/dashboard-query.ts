import { graphql } from '../_gql/index.ts';
import type { DashboardQueryVariables, RunFilter } from '../_gql/graphql.ts';
import { presetRange, RANGE_PRESETS, type RangePreset } from '../_lib/time-range.ts';

/** The dashboard's one query, asked by the server for the first paint and by the browser after. */
export const DASHBOARD = graphql(`
  query Dashboard($failed: RunFilter!, $active: RunFilter!, $period: RunFilter!, $bucket: TimeBucket!, $from: DateTime!, $to: DateTime!, $anomalies: AnomalyFilter!) {
    failures: runs(filter: $failed, first: 5) {
      edges {
        node {
          ...RunRow
          error
        }
      }
    }
    active: runs(filter: $active, first: 10) {
      totalCount
      edges {
        node {
          ...RunRow
        }
      }
    }
    counts: runStatusCounts(filter: $period) {
      total
      snapshot
      byStatus {
        status
        count
      }
    }
    runStatusTrend(filter: $period, bucket: $bucket, from: $from, to: $to) {
      start
      counts {
        status
        count
      }
    }
    anomalies(filter: $anomalies, first: 50) {
      ...AnomalyMark
    }
  }
`);

/** The period reaches back from `now`; counts and charts agree on that instant. */
export function dashboardVariables(period: RangePreset, projectId: string | null, now: number): DashboardQueryVariables {
  const { from, to } = presetRange(period, now);
  const scope: RunFilter = projectId ? { projectIds: [projectId] } : {};
  const periodFilter: RunFilter = { ...scope, createdAfter: from.toISOString() };
  return {
    period: periodFilter,
    failed: { ...periodFilter, statuses: ['FAILED' as const] },
    active: { ...scope, statuses: ['RUNNING' as const, 'WAITING' as const, 'QUEUED' as const] },
    bucket: RANGE_PRESETS[period].bucket,
    anomalies: { ...(projectId ? { projectIds: [projectId] } : {}), from: from.toISOString() },
    from: from.toISOString(),
    to: new Date(to.getTime() + 60_000).toISOString(),
  };
}
