import { pieSlices, type PieSlice, type StatusCountLike } from '../../_lib/chart-data.ts';
import { countOf } from '../../_lib/plural.ts';

// The donut in a 200×200 box: a ring of stroked circles, one per slice, each as long as its share.
const CENTRE = 100;
const RING_RADIUS = 72;
const RING_WIDTH = 36;
const CIRCUMFERENCE = 2 * Math.PI * RING_RADIUS;

/** Each slice's length along the ring and where it starts, clockwise from the top. */
function arcs(slices: readonly PieSlice[], total: number): { slice: PieSlice; length: number; offset: number }[] {
  let before = 0;
  return slices.map((slice) => {
    const length = (slice.count / total) * CIRCUMFERENCE;
    const arc = { slice, length, offset: before };
    before += length;
    return arc;
  });
}

/**
 * The status distribution as a donut, with the same numbers in a list beside it (for everyone,
 * and for screen readers). Plain SVG, no chart library: it paints with the dashboard's numbers.
 */
export function StatusPie({ byStatus, total }: { byStatus: readonly StatusCountLike[]; total: number }) {
  const slices = pieSlices(byStatus);
  if (slices.length === 0) return <p className="empty-state">No runs in this period.</p>;
  const sum = slices.reduce((all, slice) => all + slice.count, 0);
  return (
    <div className="status-pie">
      <div className="status-pie__chart" aria-hidden="true">
        <svg viewBox="0 0 200 200" width="100%" height={220}>
          <g transform={`rotate(-90 ${CENTRE} ${CENTRE})`}>
            {arcs(slices, sum).map(({ slice, length, offset }) => (
              <circle
                key={slice.status}
                className="status-pie__slice"
                data-status={slice.status}
                cx={CENTRE}
                cy={CENTRE}
                r={RING_RADIUS}
                fill="none"
                stroke={slice.color}
                strokeWidth={RING_WIDTH}
                strokeDasharray={`${length} ${CIRCUMFERENCE - length}`}
                strokeDashoffset={-offset}
              >
                <title>{`${slice.label}: ${countOf(slice.count, 'run', 'runs')}`}</title>
              </circle>
            ))}
          </g>
        </svg>
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
