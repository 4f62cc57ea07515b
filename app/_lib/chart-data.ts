/** What the charts draw, prepared from GraphQL answers: pure, so it is tested without a browser. */
import { formatDuration } from './format.ts';
import type { RunStatus } from '../_gql/graphql.ts';
import { RUN_STATUS_ORDER, RUN_STATUSES } from './statuses.ts';

export interface StatusCountLike {
  status: RunStatus;
  count: number;
}

export interface PieSlice {
  status: RunStatus;
  label: string;
  count: number;
  color: string;
}

/** One slice per status with runs, in the table's order; none when there are no runs. */
export function pieSlices(byStatus: readonly StatusCountLike[]): PieSlice[] {
  const counts = new Map(byStatus.map((entry) => [entry.status, entry.count]));
  return RUN_STATUS_ORDER.flatMap((status) => {
    const count = counts.get(status) ?? 0;
    return count > 0 ? [{ status, label: RUN_STATUSES[status].label, count, color: RUN_STATUSES[status].color }] : [];
  });
}

/** Every status with its count, zeros included: the cards and the counts beside the filter. */
export function countsByStatus(byStatus: readonly StatusCountLike[]): Record<RunStatus, number> {
  const counts = Object.fromEntries(RUN_STATUS_ORDER.map((status) => [status, 0])) as Record<RunStatus, number>;
  for (const entry of byStatus) counts[entry.status] += entry.count;
  return counts;
}

export type TrendRow = { start: number } & Record<RunStatus, number>;

/** Rows for a stacked chart: one per bucket, a number for every status. */
export function trendRows(points: readonly { start: string; counts: readonly StatusCountLike[] }[]): TrendRow[] {
  return points.map((point) => ({ start: Date.parse(point.start), ...countsByStatus(point.counts) }));
}

/** The statuses that appear anywhere in the trend, so the legend lists only those. */
export function statusesInTrend(rows: readonly TrendRow[]): RunStatus[] {
  return RUN_STATUS_ORDER.filter((status) => rows.some((row) => row[status] > 0));
}

/** Share of finished runs that succeeded, or null when none finished. */
export function successRate(statuses: readonly RunStatus[]): number | null {
  const finished = statuses.filter((status) => !RUN_STATUSES[status].active);
  if (finished.length === 0) return null;
  return finished.filter((status) => status === 'SUCCEEDED').length / finished.length;
}

/** Pixels per character of the axis' 12 px labels (digits and letters of the UI font), and the room for the tick beside them. */
const AXIS_CHAR_PX = 7.5;
const AXIS_PADDING_PX = 20;

/** A duration axis tick: "7 min 30 s", and "10 min" rather than "10 min 0 s", so labels stay short. */
export function durationTick(seconds: number): string {
  return formatDuration(Math.round(seconds * 1000)).replace(/ 0 (s|min|h)$/, '');
}

/**
 * The width the duration axis needs for its longest tick label (ticks fall between 0 and a
 * little over the longest duration; "12 min 30 s" is longer than "1 h 2 min"), so no label is
 * cut at the left edge or broken over two lines.
 */
export function durationAxisWidth(longestSeconds: number): number {
  const candidates = [0.25, 0.5, 0.75, 1, 1.25].map((share) => durationTick(longestSeconds * share));
  return Math.ceil(Math.max(...candidates.map((label) => label.length)) * AXIS_CHAR_PX + AXIS_PADDING_PX);
}
