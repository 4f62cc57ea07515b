/**
 * Where anomalies go on the charts, and where clicking one leads: the runs of its workflow while
 * it lasted. Pure, so it is tested without a browser.
 */
import type { AnomalyKind } from '../_gql/graphql.ts';
import { runsHref } from './url-state.ts';

export const ANOMALY_KIND_LABELS: Record<AnomalyKind, string> = {
  DURATION_SPIKE: 'Slower than usual',
  FAILURE_BURST: 'Burst of failures',
  LEVEL_SHIFT: 'Success rate fell',
  VOLUME_DROP: 'Fewer runs than usual',
  MISSED_SCHEDULE: 'Missed its schedule',
  FLAKY: 'Flaky',
};

export interface AnomalyLike {
  id: string;
  kind: AnomalyKind;
  projectId: string;
  workflowId: string;
  step: string | null;
  start: string;
  end: string | null;
}

// The runs page filters by creation, while an anomaly's evidence starts when a run finished: the
// link reaches back this far to take in the runs that were already going.
const LEAD_MS = 60 * 60 * 1000;

/** The runs of the anomaly's workflow created while it lasted (from its start on, while it is open). */
export function anomalyRunsHref(anomaly: AnomalyLike): string {
  const from = new Date(Date.parse(anomaly.start) - LEAD_MS).toISOString();
  return runsHref({ projectId: anomaly.projectId, workflowId: anomaly.workflowId, range: 'custom', from, to: anomaly.end });
}

/** A mark on the trend: the bucket an anomaly began in, with what began there. */
export interface TrendMarker {
  /** The bucket's start, as the chart's rows key it (unix ms). */
  x: number;
  anomalies: AnomalyLike[];
  label: string;
  href: string;
}

/**
 * One marker per bucket that anomalies began in; one that began before the first bucket is
 * marked on it. Clicking leads to the first one's runs.
 */
export function trendMarkers(bucketStarts: readonly number[], anomalies: readonly AnomalyLike[]): TrendMarker[] {
  const first = bucketStarts[0];
  if (first === undefined) return [];
  const byBucket = new Map<number, AnomalyLike[]>();
  for (const anomaly of anomalies) {
    const start = Date.parse(anomaly.start);
    const bucket = bucketStarts.findLast((bucketStart) => bucketStart <= start) ?? first;
    byBucket.set(bucket, [...(byBucket.get(bucket) ?? []), anomaly]);
  }
  return [...byBucket].flatMap(([x, began]) => {
    const [head] = began;
    if (head === undefined) return [];
    const label = began.length === 1 ? ANOMALY_KIND_LABELS[head.kind] : `${began.length} anomalies: ${[...new Set(began.map((anomaly) => ANOMALY_KIND_LABELS[anomaly.kind]))].join(', ')}`;
    return [{ x, anomalies: began, label, href: anomalyRunsHref(head) }];
  });
}

export interface TimedRun {
  id: string;
  createdAt: string;
  durationMs: number | null;
}

/** A span of the duration chart: the first and last run an episode of slowness covers. */
export interface DurationEpisode {
  anomaly: AnomalyLike;
  firstRunId: string;
  lastRunId: string;
  href: string;
}

/**
 * The workflow's own slowness episodes (not a step's: a slow step shows in its run's bar only when
 * the run is slow too) over the runs that finished while each lasted; the runs in time order.
 */
export function durationEpisodes(runs: readonly TimedRun[], anomalies: readonly AnomalyLike[]): DurationEpisode[] {
  return anomalies.flatMap((anomaly) => {
    if (anomaly.kind !== 'DURATION_SPIKE' || anomaly.step !== null) return [];
    const start = Date.parse(anomaly.start);
    const end = anomaly.end === null ? Number.POSITIVE_INFINITY : Date.parse(anomaly.end);
    const covered = runs.filter((run) => {
      if (run.durationMs === null) return false;
      const finishedAt = Date.parse(run.createdAt) + run.durationMs;
      return finishedAt >= start && finishedAt <= end;
    });
    const [firstRun, lastRun] = [covered[0], covered.at(-1)];
    return firstRun && lastRun ? [{ anomaly, firstRunId: firstRun.id, lastRunId: lastRun.id, href: anomalyRunsHref(anomaly) }] : [];
  });
}
