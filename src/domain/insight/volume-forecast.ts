import { RUN_STATUSES, type RunStatus } from '../status.ts';

export interface VolumeBand {
  expected: number;
  lower: number;
  upper: number;
}

export interface DayForecast {
  /** The day forecast: its first instant (UTC midnight, unix ms). */
  day: number;
  total: VolumeBand;
  byStatus: (VolumeBand & { status: RunStatus })[];
}

const DAY_MS = 86_400_000;
// Weeks of the same weekday the forecast averages (it backtests better than last week alone: bench:insight).
const WEEKS = 4;
// The band: about 95% of days under Poisson noise.
const Z = 2;

/**
 * Runs a workflow will create on `day`, per status they end in: the mean of the same weekday over
 * the last four weeks, with a band of two standard deviations of Poisson noise, widened by the
 * spread of the four weeks themselves when they disagree more than that. Null when the workflow has
 * less than four weeks of days.
 */
export function forecastDay(counts: ReadonlyMap<number, ReadonlyMap<RunStatus, number>>, day: number, historyStart: number): DayForecast | null {
  if (day - WEEKS * 7 * DAY_MS < historyStart) return null;
  const weeks = Array.from({ length: WEEKS }, (_, week) => counts.get(day - (week + 1) * 7 * DAY_MS));
  const bandOf = (values: readonly number[]): VolumeBand => {
    const expected = values.reduce((sum, value) => sum + value, 0) / values.length;
    const spread = Math.sqrt(values.reduce((sum, value) => sum + (value - expected) ** 2, 0) / Math.max(values.length - 1, 1));
    const noise = Math.max(Math.sqrt(expected), spread);
    return { expected, lower: Math.max(0, expected - Z * noise), upper: expected + Z * noise };
  };
  const byStatus = RUN_STATUSES.map((status) => ({ status, ...bandOf(weeks.map((week) => week?.get(status) ?? 0)) })).filter((band) => band.upper > 0);
  const totals = weeks.map((week) => [...(week?.values() ?? [])].reduce((sum, count) => sum + count, 0));
  return { day, total: bandOf(totals), byStatus };
}
