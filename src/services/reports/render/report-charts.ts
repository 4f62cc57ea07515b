/**
 * The report's charts as SVG strings, from small pure functions. They draw no text (labels sit
 * in the HTML or PDF beside them), so rasterising them needs no fonts and every renderer shows
 * the same geometry: the PDF draws the pie from the same path data.
 */
import type { StatusDistribution } from '../../../domain/reports/report-content';
import type { RunStatus } from '../../../domain/status';
import { COLORS, STATUS_COLORS } from './report-look';

export interface PieSlice {
  status: RunStatus;
  color: string;
  share: number;
  /** SVG path data of the slice, filled with the even-odd rule. */
  path: string;
}

export interface PieGeometry {
  cx: number;
  cy: number;
  radius: number;
  /** The radius of the donut's hole; 0 draws a full pie. */
  innerRadius: number;
}

const round = (value: number): string => (Math.round(value * 1000) / 1000).toString();

function pointAt(cx: number, cy: number, radius: number, turn: number): [string, string] {
  // Turns start at twelve o'clock and go clockwise; SVG's y axis points down.
  const angle = turn * 2 * Math.PI;
  return [round(cx + radius * Math.sin(angle)), round(cy - radius * Math.cos(angle))];
}

/** A whole circle as one closed path of two half arcs: an arc cannot end where it starts. */
function circlePath(cx: number, cy: number, radius: number): string {
  return `M ${round(cx)} ${round(cy - radius)} A ${round(radius)} ${round(radius)} 0 1 1 ${round(cx)} ${round(cy + radius)} A ${round(radius)} ${round(radius)} 0 1 1 ${round(cx)} ${round(cy - radius)} Z`;
}

function slicePath({ cx, cy, radius, innerRadius }: PieGeometry, from: number, to: number): string {
  const large = to - from > 0.5 ? 1 : 0;
  const [x0, y0] = pointAt(cx, cy, radius, from);
  const [x1, y1] = pointAt(cx, cy, radius, to);
  const outer = `M ${x0} ${y0} A ${round(radius)} ${round(radius)} 0 ${large} 1 ${x1} ${y1}`;
  if (innerRadius === 0) return `${outer} L ${round(cx)} ${round(cy)} Z`;
  const [x2, y2] = pointAt(cx, cy, innerRadius, to);
  const [x3, y3] = pointAt(cx, cy, innerRadius, from);
  return `${outer} L ${x2} ${y2} A ${round(innerRadius)} ${round(innerRadius)} 0 ${large} 0 ${x3} ${y3} Z`;
}

/**
 * The slices of the statuses that have runs, clockwise from twelve o'clock in status order. A
 * status holding every run is one ring (or disc), not a slice from a point back to itself, so
 * it has no seam.
 */
export function pieSlices(distribution: StatusDistribution, geometry: PieGeometry): PieSlice[] {
  const present = distribution.statuses.filter((share) => share.count > 0);
  const slices: PieSlice[] = [];
  let from = 0;
  for (const { status, count } of present) {
    const share = count / distribution.total;
    const to = from + share;
    const path =
      present.length === 1
        ? `${circlePath(geometry.cx, geometry.cy, geometry.radius)}${geometry.innerRadius > 0 ? ` ${circlePath(geometry.cx, geometry.cy, geometry.innerRadius)}` : ''}`
        : slicePath(geometry, from, to);
    slices.push({ status, color: STATUS_COLORS[status], share, path });
    from = to;
  }
  return slices;
}

export const PIE_SIZE = 160;

/** The status distribution as a donut; an empty period shows an empty grey ring. */
export function pieSvg(distribution: StatusDistribution, size = PIE_SIZE): string {
  const geometry: PieGeometry = { cx: size / 2, cy: size / 2, radius: size / 2 - 1, innerRadius: size * 0.28 };
  const slices = pieSlices(distribution, geometry);
  const shapes =
    slices.length === 0
      ? `<path d="${circlePath(geometry.cx, geometry.cy, geometry.radius)} ${circlePath(geometry.cx, geometry.cy, geometry.innerRadius)}" fill="${COLORS.border}" fill-rule="evenodd"/>`
      : slices.map((slice) => `<path d="${slice.path}" fill="${slice.color}" fill-rule="evenodd"/>`).join('');
  return svg(size, size, shapes);
}

export const SPARKLINE_WIDTH = 100;
export const SPARKLINE_HEIGHT = 24;

export interface SparkPoint {
  index: number;
  value: number;
}

/** The unbroken stretches of a sparkline: buckets where nothing finished break it. */
export function sparklineRuns(values: readonly (number | null)[]): SparkPoint[][] {
  const runs: SparkPoint[][] = [];
  let current: SparkPoint[] = [];
  values.forEach((value, index) => {
    if (value === null) {
      if (current.length > 0) runs.push(current);
      current = [];
    } else {
      current.push({ index, value });
    }
  });
  if (current.length > 0) runs.push(current);
  return runs;
}

/**
 * Success rates over the period's sub-buckets as a line on a 0–100% scale; buckets where nothing
 * finished break the line, and a bucket alone between gaps is a dot.
 */
export function sparklineSvg(values: readonly (number | null)[], width = SPARKLINE_WIDTH, height = SPARKLINE_HEIGHT): string {
  const pad = 2;
  const step = values.length > 1 ? (width - 2 * pad) / (values.length - 1) : 0;
  const x = (index: number): string => round(values.length > 1 ? pad + index * step : width / 2);
  const y = (value: number): string => round(height - pad - value * (height - 2 * pad));
  const marks = sparklineRuns(values).map((points) => {
    const [only] = points;
    if (points.length === 1 && only) return `<circle cx="${x(only.index)}" cy="${y(only.value)}" r="1.8" fill="${COLORS.accent}"/>`;
    return `<polyline points="${points.map((point) => `${x(point.index)},${y(point.value)}`).join(' ')}" fill="none" stroke="${COLORS.accent}" stroke-width="1.5" stroke-linejoin="round" stroke-linecap="round"/>`;
  });
  const baseline = `<line x1="${pad}" y1="${round(height - pad)}" x2="${round(width - pad)}" y2="${round(height - pad)}" stroke="${COLORS.border}" stroke-width="1"/>`;
  return svg(width, height, baseline + marks.join(''));
}

export const CHANGE_BARS_WIDTH = 120;
export const CHANGE_BARS_HEIGHT = 20;

/**
 * A status's change against the previous period (upper bar) and against the baseline (lower,
 * lighter bar) as bars from a centre line, right for more runs, left for fewer, scaled so that
 * `scale` (the largest change in the table) reaches the edge.
 */
export function changeBarsSvg(
  status: RunStatus,
  change: { vsPrevious: number; vsBaseline: number },
  scale: number,
  width = CHANGE_BARS_WIDTH,
  height = CHANGE_BARS_HEIGHT,
): string {
  const centre = width / 2;
  const half = width / 2 - 1;
  const barHeight = (height - 6) / 2;
  const bar = (delta: number, top: number, opacity: number): string => {
    const length = scale === 0 ? 0 : (Math.abs(delta) / scale) * half;
    const left = delta < 0 ? centre - length : centre;
    return `<rect x="${round(left)}" y="${round(top)}" width="${round(length)}" height="${round(barHeight)}" fill="${STATUS_COLORS[status]}" fill-opacity="${opacity}"/>`;
  };
  const axis = `<line x1="${round(centre)}" y1="0" x2="${round(centre)}" y2="${height}" stroke="${COLORS.muted}" stroke-width="1"/>`;
  return svg(width, height, bar(change.vsPrevious, 2, 1) + bar(change.vsBaseline, 4 + barHeight, 0.45) + axis);
}

function svg(width: number, height: number, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${body}</svg>`;
}
