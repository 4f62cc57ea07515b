'use client';

import { useQuery } from '@apollo/client/react';
import dynamic from 'next/dynamic';
import Link from 'next/link';
import { useEffect, useMemo } from 'react';
import { useLiveStatusCounts } from '../_apollo/live.ts';
import { Card } from '../_components/card.tsx';
import { QueryErrorNotice } from '../_components/query-error-notice.tsx';
import { RunList } from '../_components/run-list.tsx';
import { StatusCards } from '../_components/dashboard/status-cards.tsx';
import type { DashboardQuery, DashboardQueryVariables } from '../_gql/graphql.ts';
import { useUrlState } from '../_hooks/use-url-state.ts';
import { RANGE_PRESETS, type RangePreset } from '../_lib/time-range.ts';
import { countOf } from '../_lib/plural.ts';
import { runsHref } from '../_lib/url-state.ts';
import type { ServerResult } from '../_apollo/server-result.ts';
import { useServerResult } from '../_apollo/use-server-result.ts';
import { DASHBOARD, dashboardVariables } from './dashboard-query.ts';

// The charts load after the numbers have painted, and only in the browser: the trend's times are
// in the browser's zone. Their cards hold the place meanwhile.
const chartLoading = () => <p className="page-status">Loading chart…</p>;
const StatusPie = dynamic(() => import('../_components/charts/status-pie.tsx').then((module) => module.StatusPie), { ssr: false, loading: chartLoading });
const StatusTrend = dynamic(() => import('../_components/charts/status-trend.tsx').then((module) => module.StatusTrend), { ssr: false, loading: chartLoading });

const BUCKET_NAMES = { MINUTE: 'minute', HOUR: 'hour', DAY: 'day', WEEK: 'week' } as const;

/** What the server rendered the dashboard from, for the period and project it read from the URL. */
export interface DashboardInitial {
  period: RangePreset;
  projectId: string | null;
  now: number;
  dashboard: ServerResult<DashboardQuery, DashboardQueryVariables> | null;
}

export function DashboardPage({ initial }: { initial: DashboardInitial }) {
  const { projectId, period, setPeriod } = useUrlState();
  // The period reaches back from when it was chosen: for the view the server rendered, from the
  // server's instant, so the query finds that answer cached.
  const now = useMemo(() => (initial.period === period && initial.projectId === projectId ? initial.now : Date.now()), [initial, period, projectId]);
  const variables = useMemo(() => dashboardVariables(period, projectId, now), [period, projectId, now]);
  const rendered = useServerResult(DASHBOARD, variables, initial.dashboard);

  const { counts: liveCounts, error: countsError } = useLiveStatusCounts(variables.period);
  const query = useQuery(DASHBOARD, { variables });
  const { error, refetch } = query;
  const data = query.data ?? rendered;
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
