import { median, medianAbsoluteDeviation } from './robust-statistics.ts';
import type { AnomalyFinding, SeriesKey, SeriesState } from './anomaly.ts';
import { EpisodicDetector } from './episodes.ts';

export interface DurationSettings {
  /** Successful durations the baseline keeps (the last N). */
  window: number;
  /** Fewer than this and the series is LEARNING. */
  minHistory: number;
  /** A robust z-score of log duration above this is abnormal. */
  threshold: number;
}

export const DEFAULT_DURATION_SETTINGS: DurationSettings = { window: 200, minHistory: 40, threshold: 4 };

// MAD times this estimates the standard deviation of normally distributed values.
const MAD_TO_SD = 1.4826;
// A floor on the spread, in log units (3%): a step that always takes the same time still has jitter.
const MIN_LOG_SPREAD = 0.03;
// The baseline's median and MAD are recomputed after this many new durations: a few new ones
// among 200 barely move them, and sorting 200 values twice for every run was most of the cost of detection.
const RECOMPUTE_EVERY = 10;

/**
 * Run or step durations of one series: the robust z-score of the log duration against the median
 * and MAD of its last successful durations. Log, because durations are skewed (a 3x spike is as
 * far from the median as a third of it); median and MAD, because the spikes being looked for must
 * not widen the band that finds them. Durations judged abnormal stay out of the baseline.
 */
export class DurationDetector extends EpisodicDetector {
  private readonly baseline: number[] = [];
  private stats: { center: number; spread: number } | null = null;
  private rememberedSinceStats = 0;

  constructor(
    series: SeriesKey,
    private readonly settings: DurationSettings = DEFAULT_DURATION_SETTINGS,
  ) {
    super(series, 'DURATION_SPIKE', { enterAfter: 2, enterWithin: 3, leaveAfter: 3 });
  }

  get state(): SeriesState {
    return this.baseline.length < this.settings.minHistory ? 'LEARNING' : this.episodes.state;
  }

  /** Successful durations from before the detector started, oldest first: its baseline, judged by nobody. */
  warm(durationsMs: readonly number[]): void {
    for (const durationMs of durationsMs) this.remember(Math.log(Math.max(durationMs, 1)));
  }

  /** A successful run's (or step's) duration, in time order; the finding it opened or closed. */
  observe(at: number, durationMs: number): AnomalyFinding | null {
    const logDuration = Math.log(Math.max(durationMs, 1));
    if (this.baseline.length < this.settings.minHistory) {
      this.remember(logDuration);
      return null;
    }
    const { center, spread } = this.baselineStats();
    const z = (logDuration - center) / spread;
    const threshold = Math.max(this.settings.threshold, this.tolerance);
    const abnormal = z > threshold;
    if (!abnormal) this.remember(logDuration);
    return this.episodes.judge({
      abnormal,
      // Back within half the band: a slow tail that hovers at the threshold stays one episode.
      settled: z < threshold / 2,
      at,
      score: z,
      expected: Math.exp(center),
      observed: durationMs,
      lower: Math.exp(center - threshold * spread),
      upper: Math.exp(center + threshold * spread),
    });
  }

  private baselineStats(): { center: number; spread: number } {
    if (this.stats === null || this.rememberedSinceStats >= RECOMPUTE_EVERY) {
      this.stats = { center: median(this.baseline), spread: Math.max(MAD_TO_SD * medianAbsoluteDeviation(this.baseline), MIN_LOG_SPREAD) };
      this.rememberedSinceStats = 0;
    }
    return this.stats;
  }

  private remember(logDuration: number): void {
    this.baseline.push(logDuration);
    if (this.baseline.length > this.settings.window) this.baseline.shift();
    this.rememberedSinceStats += 1;
  }
}
