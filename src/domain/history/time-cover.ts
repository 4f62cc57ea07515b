import { bucketCeil, bucketStart } from '../time-buckets.ts';

/** A createdAt range [from, to) in unix ms; null is unbounded on that side. */
export interface TimeRange {
  from: number | null;
  to: number | null;
}

/** Which source counts which part of a range: runs themselves, hourly or daily rollups. */
export interface TimeCover {
  runs: TimeRange[];
  hours: TimeRange[];
  days: TimeRange[];
}

/** The coarsest rollup a cover may use: days for counts, hours for an hourly trend, none for minutes. */
export type CoverGrain = 'DAY' | 'HOUR' | 'RUN';

/**
 * Splits a range so that whole days come from the daily rollup, whole hours from the hourly
 * one, and at most two partial edge hours from the runs. The cost of a count then grows with
 * the days in the range, not with its runs.
 */
export function coverRange(range: TimeRange, coarsest: CoverGrain): TimeCover {
  const cover: TimeCover = { runs: [], hours: [], days: [] };
  const { from, to } = range;
  if (from !== null && to !== null && from >= to) return cover;
  if (coarsest === 'RUN') {
    cover.runs.push(range);
    return cover;
  }
  const hourFrom = from === null ? null : bucketCeil(from, 'HOUR');
  const hourTo = to === null ? null : bucketStart(to, 'HOUR');
  if (hourFrom !== null && hourTo !== null && hourFrom >= hourTo) {
    cover.runs.push(range);
    return cover;
  }
  if (from !== null && hourFrom !== null && from < hourFrom) cover.runs.push({ from, to: hourFrom });
  if (to !== null && hourTo !== null && hourTo < to) cover.runs.push({ from: hourTo, to });
  if (coarsest === 'HOUR') {
    cover.hours.push({ from: hourFrom, to: hourTo });
    return cover;
  }
  const dayFrom = hourFrom === null ? null : bucketCeil(hourFrom, 'DAY');
  const dayTo = hourTo === null ? null : bucketStart(hourTo, 'DAY');
  if (dayFrom !== null && dayTo !== null && dayFrom >= dayTo) {
    cover.hours.push({ from: hourFrom, to: hourTo });
    return cover;
  }
  if (hourFrom !== null && dayFrom !== null && hourFrom < dayFrom) cover.hours.push({ from: hourFrom, to: dayFrom });
  if (hourTo !== null && dayTo !== null && dayTo < hourTo) cover.hours.push({ from: dayTo, to: hourTo });
  cover.days.push({ from: dayFrom, to: dayTo });
  return cover;
}
