import { binomialUpperTail } from '../alerts/binomial.ts';
import type { AnomalyFinding, SeriesKey, SeriesState } from './anomaly.ts';
import { EpisodicDetector } from './episodes.ts';
import { HOUR_MS, HourBuckets, WEEK_HOURS, type Tally } from './hour-buckets.ts';

export interface FailureBurstSettings {
  /** The hours (ending with the current one) whose failures are judged together. */
  windowHours: number;
  /** Past weeks whose same hours form the seasonal baseline. */
  seasonalWeeks: number;
  /** Runs a baseline needs; below it the seasonal baseline gives way to the recent one, and that to LEARNING. */
  minBaselineRuns: number;
  /** The tail probability under the baseline below which the window is abnormal. */
  pValue: number;
  /** Fewer failures than this are never a burst, however unlikely. */
  minFailures: number;
  /** The tail probability above which a window is clearly normal again (ends an episode). */
  settledPValue: number;
}

export const DEFAULT_FAILURE_BURST_SETTINGS: FailureBurstSettings = { windowHours: 2, seasonalWeeks: 4, minBaselineRuns: 30, pValue: 0.0001, minFailures: 3, settledPValue: 0.1 };

// The recent baseline while seasonal history is short: the last week before the window.
const RECENT_HOURS = WEEK_HOURS;

/**
 * Failures of one workflow in the last hours against the same hours of the same weekdays over the
 * last weeks (one hour either side), by the binomial upper tail: a burst is a count of failures
 * that baseline would give less than once in a thousand windows. While the seasonal baseline is
 * short it falls back to the last week; with less than that the series is LEARNING.
 */
export class FailureBurstDetector extends EpisodicDetector {
  private readonly buckets: HourBuckets;
  private learning = true;

  constructor(
    series: SeriesKey,
    private readonly settings: FailureBurstSettings = DEFAULT_FAILURE_BURST_SETTINGS,
  ) {
    super(series, 'FAILURE_BURST', { enterAfter: 1, enterWithin: 1, leaveAfter: 10 });
    this.buckets = new HourBuckets((settings.seasonalWeeks * WEEK_HOURS) + settings.windowHours + 1);
  }

  get state(): SeriesState {
    return this.learning ? 'LEARNING' : this.episodes.state;
  }

  /** An hour's finished runs and failures from before the detector started (from the rollups), oldest hour first. */
  warm(hour: number, tally: Tally): void {
    this.buckets.load(hour, tally);
  }

  /** A finished run, in time order; the finding it opened or closed. */
  observe(at: number, failed: boolean): AnomalyFinding | null {
    this.buckets.add(at, failed);
    const hour = Math.floor(at / HOUR_MS);
    const windowStart = hour - this.settings.windowHours + 1;
    const window = this.buckets.sum(windowStart, hour);
    const baseline = this.baseline(windowStart, hour);
    this.learning = baseline === null;
    if (baseline === null) return null;
    // Laplace's rule: a clean baseline still allows the odd failure.
    const rate = (baseline.failures + 1) / (baseline.runs + 2);
    const tail = binomialUpperTail(window.failures, window.runs, rate);
    const spread = Math.sqrt(window.runs * rate * (1 - rate));
    const score = -Math.log10(Math.max(tail, 1e-300));
    return this.episodes.judge({
      abnormal: tail < this.settings.pValue && window.failures >= this.settings.minFailures && score > this.tolerance,
      settled: tail > this.settings.settledPValue,
      at,
      score,
      expected: window.runs * rate,
      observed: window.failures,
      lower: 0,
      upper: window.runs * rate + 3 * spread,
    });
  }

  private baseline(windowStart: number, hour: number): Tally | null {
    const seasonal = { runs: 0, failures: 0 };
    for (let week = 1; week <= this.settings.seasonalWeeks; week += 1) {
      const past = this.buckets.sum(windowStart - week * WEEK_HOURS - 1, hour - week * WEEK_HOURS + 1);
      seasonal.runs += past.runs;
      seasonal.failures += past.failures;
    }
    if (seasonal.runs >= this.settings.minBaselineRuns) return seasonal;
    const recent = this.buckets.sum(windowStart - RECENT_HOURS, windowStart - 1);
    return recent.runs >= this.settings.minBaselineRuns ? recent : null;
  }
}
