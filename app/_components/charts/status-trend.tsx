'use client';

import { Bar, BarChart, CartesianGrid, Legend, ReferenceDot, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { trendMarkers, type AnomalyLike } from '../../_lib/anomaly-markers.ts';
import { statusesInTrend, trendRows, type StatusCountLike } from '../../_lib/chart-data.ts';
import { RUN_STATUSES } from '../../_lib/statuses.ts';
import type { TrendBucket } from '../../_lib/time-range.ts';
import { AnomalyDot, AnomalyLinks } from './anomaly-marks.tsx';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Times of day while the chart spans one day; with the date once it spans more. */
function tickFormat(bucket: TrendBucket, spanMs: number): (start: number) => string {
  const options: Intl.DateTimeFormatOptions =
    bucket === 'DAY' || bucket === 'WEEK'
      ? { month: 'short', day: 'numeric' }
      : spanMs > DAY_MS
        ? { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }
        : { hour: '2-digit', minute: '2-digit' };
  const format = new Intl.DateTimeFormat(undefined, options);
  return (start) => format.format(start);
}

/**
 * Runs per bucket, stacked by status, in the status table's colours; anomalies marked on the
 * bucket they began in, each a link to the runs it is about.
 */
export function StatusTrend({
  points,
  bucket,
  anomalies = [],
}: {
  points: readonly { start: string; counts: readonly StatusCountLike[] }[];
  bucket: TrendBucket;
  anomalies?: readonly AnomalyLike[];
}) {
  const rows = trendRows(points);
  const statuses = statusesInTrend(rows);
  if (statuses.length === 0) return <p className="empty-state">No runs in this period.</p>;
  const format = tickFormat(bucket, (rows.at(-1)?.start ?? 0) - (rows[0]?.start ?? 0));
  const markers = trendMarkers(
    rows.map((row) => row.start),
    anomalies,
  );
  const highest = Math.max(...rows.map((row) => statuses.reduce((total, status) => total + row[status], 0)));
  return (
    <div className="status-trend" role="img" aria-label={`Runs per ${bucket.toLowerCase()}, stacked by status`}>
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid vertical={false} stroke="var(--color-border)" />
          <XAxis dataKey="start" tickFormatter={format} stroke="var(--color-text-muted)" fontSize={12} minTickGap={24} />
          <YAxis allowDecimals={false} stroke="var(--color-text-muted)" fontSize={12} />
          <Tooltip labelFormatter={(start) => new Date(Number(start)).toLocaleString()} contentStyle={{ background: 'var(--color-surface)', borderColor: 'var(--color-border)' }} />
          <Legend itemSorter={null} />
          {statuses.map((status) => (
            <Bar key={status} dataKey={status} name={RUN_STATUSES[status].label} stackId="runs" fill={RUN_STATUSES[status].color} isAnimationActive={false} />
          ))}
          {markers.map((marker) => (
            <ReferenceLine key={`line-${marker.x}`} x={marker.x} className="anomaly-line" strokeDasharray="3 3" />
          ))}
          {markers.map((marker) => (
            <ReferenceDot key={`dot-${marker.x}`} x={marker.x} y={highest} ifOverflow="extendDomain" shape={(props: { cx?: number; cy?: number }) => <AnomalyDot cx={props.cx} cy={props.cy} href={marker.href} label={marker.label} />} />
          ))}
        </BarChart>
      </ResponsiveContainer>
      <AnomalyLinks anomalies={markers.flatMap((marker) => marker.anomalies)} />
    </div>
  );
}
