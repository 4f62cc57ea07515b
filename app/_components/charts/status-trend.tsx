'use client';

import { trendMarkers, type AnomalyLike } from '../../_lib/anomaly-markers.ts';
import { statusesInTrend, trendRows, type StatusCountLike } from '../../_lib/chart-data.ts';
import { RUN_STATUSES } from '../../_lib/statuses.ts';
import type { TrendBucket } from '../../_lib/time-range.ts';
import { AnomalyDot, AnomalyLinks } from './anomaly-marks.tsx';

const DAY_MS = 24 * 60 * 60 * 1000;
// The drawing's own units; the SVG scales to its card's width.
const WIDTH = 640;
const HEIGHT = 260;
const PLOT = { left: 44, right: 8, top: 14, bottom: 24 };
const TICK_SPACING = 90;
const Y_TICKS = 4;

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

/** The y axis's ticks: at most Y_TICKS steps of 1, 2 or 5 times a power of ten, from 0 past the highest bar. */
function axisTicks(highest: number): number[] {
  const least = Math.max(1, highest / Y_TICKS);
  const power = 10 ** Math.floor(Math.log10(least));
  const step = [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= least) ?? 10 * power;
  const steps = Math.max(1, Math.ceil(highest / step));
  return Array.from({ length: steps + 1 }, (_, index) => index * step);
}

/**
 * Runs per bucket, stacked by status, in the status table's colours; anomalies marked on the
 * bucket they began in, each a link to the runs it is about. Plain SVG, no chart library.
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
  const yTicks = axisTicks(Math.max(...rows.map((row) => statuses.reduce((total, status) => total + row[status], 0))));
  const top = yTicks.at(-1) ?? 1;
  const plotWidth = WIDTH - PLOT.left - PLOT.right;
  const plotHeight = HEIGHT - PLOT.top - PLOT.bottom;
  const band = plotWidth / rows.length;
  const barWidth = Math.max(1, band * 0.8);
  const y = (value: number) => PLOT.top + plotHeight - (value / top) * plotHeight;
  const centre = (index: number) => PLOT.left + band * index + band / 2;
  const labelEvery = Math.max(1, Math.ceil(TICK_SPACING / band));
  return (
    <div className="status-trend" role="img" aria-label={`Runs per ${bucket.toLowerCase()}, stacked by status`}>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" className="status-trend__chart">
        {yTicks.map((tick) => (
          <g key={tick}>
            <line x1={PLOT.left} x2={WIDTH - PLOT.right} y1={y(tick)} y2={y(tick)} stroke="var(--color-border)" />
            <text x={PLOT.left - 6} y={y(tick) + 4} textAnchor="end" className="status-trend__tick">
              {tick.toLocaleString('en-US')}
            </text>
          </g>
        ))}
        {rows.map((row, index) => {
          let base = 0;
          return (
            <g key={row.start}>
              {statuses.map((status) => {
                const count = row[status];
                if (count === 0) return null;
                const from = base;
                base += count;
                return (
                  <rect key={status} className="status-trend__bar" data-status={status} x={centre(index) - barWidth / 2} width={barWidth} y={y(base)} height={y(from) - y(base)} fill={RUN_STATUSES[status].color}>
                    <title>{`${new Date(row.start).toLocaleString()}: ${count.toLocaleString('en-US')} ${RUN_STATUSES[status].label}`}</title>
                  </rect>
                );
              })}
              {index % labelEvery === 0 && (
                <text x={centre(index)} y={HEIGHT - 6} textAnchor="middle" className="status-trend__tick">
                  {format(row.start)}
                </text>
              )}
            </g>
          );
        })}
        {markers.map((marker) => {
          const index = rows.findIndex((row) => row.start === marker.x);
          if (index === -1) return null;
          return (
            <g key={marker.x}>
              <g className="anomaly-line">
                <line x1={centre(index)} x2={centre(index)} y1={PLOT.top} y2={PLOT.top + plotHeight} strokeDasharray="3 3" />
              </g>
              <AnomalyDot cx={centre(index)} cy={PLOT.top} href={marker.href} label={marker.label} />
            </g>
          );
        })}
      </svg>
      <ul className="status-trend__legend" aria-label="Statuses on this chart">
        {statuses.map((status) => (
          <li key={status}>
            <span className="status-badge__dot" style={{ background: RUN_STATUSES[status].color }} aria-hidden="true" />
            {RUN_STATUSES[status].label}
          </li>
        ))}
      </ul>
      <AnomalyLinks anomalies={markers.flatMap((marker) => marker.anomalies)} />
    </div>
  );
}
