'use client';

import { countOf } from '../_lib/plural.ts';
import { useQuery } from '@apollo/client/react';
import Link from 'next/link';
import { useEffect, useMemo } from 'react';
import { useLiveStatusCounts } from '../_apollo/live.ts';
import { Card } from '../_components/card.tsx';
import { StatusPie } from '../_components/charts/status-pie.tsx';
import { StatusTrend } from '../_components/charts/status-trend.tsx';
import { QueryErrorNotice } from '../_components/query-error-notice.tsx';
import { RunList } from '../_components/run-list.tsx';
import { StatusCards } from '../_components/dashboard/status-cards.tsx';
import { graphql } from '../_gql/index.ts';
import type { RunFilter } from '../_gql/graphql.ts';
import { useUrlState } from '../_hooks/use-url-state.ts';
import { presetRange, RANGE_PRESETS, type RangePreset } from '../_lib/time-range.ts';
import { runsHref } from '../_lib/url-state.ts';

const DASHBOARD = graphql(`
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

const BUCKET_NAMES = { MINUTE: 'minute', HOUR: 'hour', DAY: 'day', WEEK: 'week' } as const;

export default function DashboardPage() {
  const { projectId, period, setPeriod } = useUrlState();
  // The period reaches back from when it was chosen; counts and charts agree on that instant.
  const variables = useMemo(() => {
    const { from, to } = presetRange(period, Date.now());
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
  }, [period, projectId]);

  const { counts: liveCounts, error: countsError } = useLiveStatusCounts(variables.period);
  const { data, error, refetch } = useQuery(DASHBOARD, { variables });
  // The query's counts paint at once; the pushed ones take over, and each push that is newer
  // than what the lists and trend show makes them follow, without polling.
  const counts = liveCounts ?? data?.counts ?? null;
  const shownSnapshot = data?.counts.snapshot;
  const pushedSnapshot = liveCounts?.snapshot;
  useEffect(() => {
    if (pushedSnapshot && shownSnapshot && BigInt(pushedSnapshot) > BigInt(shownSnapshot)) void refetch();
  }, [pushedSnapshot, shownSnapshot, refetch]);

  return (
    <>
      <div className="page-heading">
        <h1>Dashboard</h1>
        <div className="segmented" role="group" aria-label="Period">
          {(Object.keys(RANGE_PRESETS) as RangePreset[]).map((preset) => (
            <button key={preset} type="button" className="segmented__option" aria-pressed={preset === period} onClick={() => setPeriod(preset)}>
              {RANGE_PRESETS[preset].label}
            </button>
          ))}
        </div>
      </div>
      {countsError && <QueryErrorNotice subject="the live counts" error={countsError} onRetry={() => window.location.reload()} />}
      <StatusCards counts={counts} linkFor={(status) => runsHref({ projectId, statuses: [status], range: period })} />
      {error && <QueryErrorNotice subject="the dashboard" error={error} onRetry={() => void refetch()} />}
      <div className="dashboard-charts">
        <Card title="Status distribution" busy={!counts}>
          {counts ? <StatusPie byStatus={counts.byStatus} total={counts.total} /> : <p className="page-status">Loading…</p>}
        </Card>
        <Card title={`Runs per ${BUCKET_NAMES[variables.bucket]}`} busy={!data}>
          {data ? <StatusTrend points={data.runStatusTrend} bucket={variables.bucket} anomalies={data.anomalies} /> : <p className="page-status">Loading…</p>}
        </Card>
      </div>
      <div className="card-grid card-grid--dashboard">
        <Card title="Recent failures" aside={<Link href={runsHref({ projectId, statuses: ['FAILED'], range: period })}>All failures</Link>}>
          {data && <RunList runs={data.failures.edges.map((edge) => edge.node)} empty="No failed runs in this period." showError />}
        </Card>
        <Card title="In progress" aside={data ? <span className="badge" title={`${countOf(data.active.totalCount, 'run', 'runs')} running, waiting for an approval or queued`}>{data.active.totalCount}</span> : null}>
          {data && <RunList runs={data.active.edges.map((edge) => edge.node)} empty="Nothing is running, waiting or queued." showElapsed />}
        </Card>
      </div>
    </>
  );
}
