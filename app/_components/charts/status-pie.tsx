'use client';

import { Cell, Pie, PieChart, ResponsiveContainer, Tooltip } from 'recharts';
import { pieSlices, sliceSeparator, type StatusCountLike } from '../../_lib/chart-data.ts';

/** The status distribution as a donut, with the same numbers in a list beside it (for everyone, and for screen readers). */
export function StatusPie({ byStatus, total }: { byStatus: readonly StatusCountLike[]; total: number }) {
  const slices = pieSlices(byStatus);
  if (slices.length === 0) return <p className="empty-state">No runs in this period.</p>;
  return (
    <div className="status-pie">
      <div className="status-pie__chart" aria-hidden="true">
        <ResponsiveContainer width="100%" height={220}>
          <PieChart>
            <Pie data={slices} dataKey="count" nameKey="label" innerRadius="55%" outerRadius="90%" isAnimationActive={false} paddingAngle={0} {...sliceSeparator(slices.length)}>
              {slices.map((slice) => (
                <Cell key={slice.status} fill={slice.color} />
              ))}
            </Pie>
            <Tooltip formatter={(value) => [String(value), 'runs']} />
          </PieChart>
        </ResponsiveContainer>
      </div>
      <ul className="status-pie__legend" aria-label="Runs by status">
        {slices.map((slice) => (
          <li key={slice.status} className="status-pie__item" data-status={slice.status}>
            <span className="status-badge__dot" style={{ background: slice.color }} aria-hidden="true" />
            <span className="status-pie__label">{slice.label}</span>
            <span className="status-pie__count">{slice.count.toLocaleString('en-US')}</span>
            <span className="status-pie__share muted">{Math.round((slice.count / total) * 100)}%</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
