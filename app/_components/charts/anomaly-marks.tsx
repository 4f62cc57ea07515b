'use client';

import Link from 'next/link';
import { formatDateTime } from '../../_lib/format.ts';
import { ANOMALY_KIND_LABELS, anomalyRunsHref, type AnomalyLike } from '../../_lib/anomaly-markers.ts';

/** A marker's dot on a chart: a link to the runs the anomaly is about, named by its title. */
export function AnomalyDot({ cx, cy, href, label }: { cx?: number; cy?: number; href: string; label: string }) {
  if (cx === undefined || cy === undefined) return <g />;
  return (
    <a href={href} className="anomaly-mark" aria-label={label}>
      <title>{label}</title>
      <circle cx={cx} cy={cy} r={6} />
      <text x={cx} y={cy + 3.5} textAnchor="middle">
        !
      </text>
    </a>
  );
}

/** The same anomalies as links under the chart, for the keyboard and screen readers. */
export function AnomalyLinks({ anomalies }: { anomalies: readonly AnomalyLike[] }) {
  if (anomalies.length === 0) return null;
  return (
    <ul className="anomaly-links" aria-label="Anomalies on this chart">
      {anomalies.map((anomaly) => (
        <li key={anomaly.id}>
          <Link href={anomalyRunsHref(anomaly)}>
            {ANOMALY_KIND_LABELS[anomaly.kind]}
            {anomaly.step === null ? '' : ` (step ${anomaly.step})`}, {formatDateTime(anomaly.start)}
          </Link>
        </li>
      ))}
    </ul>
  );
}
