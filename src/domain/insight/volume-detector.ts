import { median, medianAbsoluteDeviation } from './robust-statistics.ts';
import type { AnomalyFinding, SeriesKey, SeriesState } from './anomaly.ts';
import { EpisodicDetector } from './episodes.ts';
import { HOUR_MS, WEEK_HOURS } from './hour-buckets.ts';

export const DAY_MS = 24 * HOUR_MS;

/** How a period's runs are forecast: the same hours of the same weekday last week, or their mean over the last four weeks. */
export type VolumeForecaster = 'SEASONAL_NAIVE' | 'SEASONAL_MEAN_4';

export interface VolumeSettings {
  forecaster: VolumeForecaster;
  /** Standard deviations below the forecast that make the day so far abnormal. */
  sigmas: number;
  /** A day so far whose forecast is below this many runs is not judged: too few to tell a drop from chance. */
  minExpected: number;
}

export const DEFAULT_VOLUME_SETTINGS: VolumeSettings = { forecaster: 'SEASONAL_MEAN_4', sigmas: 4, minExpected: 10 };

// Five weeks of hours: four of seasonal history and the week being judged.
const KEEP_HOURS = 5 * WEEK_HOURS;
// The scaled errors that size the band: about four weeks of hourly judgements.
const ERROR_WINDOW = 4 * WEEK_HOURS;
const MAD_TO_SD = 1.4826;

/** The forecast of hours `from` to `to` (hour numbers, inclusive) from the same hours of past weeks; null without the weeks it needs. */
export function forecastHours(counts: ReadonlyMap<number, number>, from: number, to: number, forecaster: VolumeForecaster, firstHour: number): number | null {
  const weeks = forecaster === 'SEASONAL_NAIVE' ? 1 : 4;
  if (from - weeks * WEEK_HOURS < firstHour) return null;
  let total = 0;
  for (let week = 1; week <= weeks; week += 1) {
    for (let hour = from; hour <= to; hour += 1) total += counts.get(hour - week * WEEK_HOURS) ?? 0;
  }
  return total / weeks;
}

/**
 * Runs created by one workflow so far today against a seasonal forecast of the same hours,
 * judged at every hour's end, so a drop is found within hours, not at midnight: the day so far is
 * below the forecast by more than `sigmas` of Poisson noise, widened by how far past forecasts
 * missed (the median absolute scaled error). LEARNING until the forecaster has its weeks.
 */
export class VolumeDetector extends EpisodicDetector {
  private readonly counts = new Map<number, number>();
  private readonly scaledErrors: number[] = [];
  private firstHour: number | null = null;
  private judgedHour: number | null = null;
  private learning = true;

  constructor(
    series: SeriesKey,
    private readonly settings: VolumeSettings = DEFAULT_VOLUME_SETTINGS,
  ) {
    super(series, 'VOLUME_DROP', { enterAfter: 1, enterWithin: 1, leaveAfter: 1 });
  }

  get state(): SeriesState {
    return this.learning ? 'LEARNING' : this.episodes.state;
  }

  /**
   * Runs created per hour before the detector started (from the rollups), oldest hour first, and
   * when the workflow's history begins: hours before it are not missing runs, they did not exist.
   */
  warm(hourly: ReadonlyMap<number, number>, historyStart: number): void {
    for (const [hour, count] of hourly) this.counts.set(hour, count);
    this.firstHour = Math.floor(historyStart / HOUR_MS);
  }

  /** A run created at `createdAt`, in time order. */
  observe(createdAt: number): AnomalyFinding[] {
    const findings = this.tick(createdAt);
    const hour = Math.floor(createdAt / HOUR_MS);
    this.counts.set(hour, (this.counts.get(hour) ?? 0) + 1);
    return findings;
  }

  /** Judges every hour that ended by `now`; the findings opened or closed. */
  tick(now: number): AnomalyFinding[] {
    const current = Math.floor(now / HOUR_MS);
    this.firstHour ??= current;
    this.judgedHour ??= current - 1;
    const findings: AnomalyFinding[] = [];
    for (let hour = this.judgedHour + 1; hour < current; hour += 1) {
      const finding = this.judgeUpTo(hour);
      if (finding !== null) findings.push(finding);
    }
    this.judgedHour = Math.max(this.judgedHour, current - 1);
    for (const hour of this.counts.keys()) {
      if (hour >= current - KEEP_HOURS) break;
      this.counts.delete(hour);
    }
    return findings;
  }

  /** The day so far, from its midnight to the end of `hour`. */
  private judgeUpTo(hour: number): AnomalyFinding | null {
    const dayStart = hour - (hour % 24);
    const expected = forecastHours(this.counts, dayStart, hour, this.settings.forecaster, this.firstHour ?? hour);
    this.learning = expected === null;
    if (expected === null || expected < this.settings.minExpected) return null;
    let observed = 0;
    for (let past = dayStart; past <= hour; past += 1) observed += this.counts.get(past) ?? 0;
    const poisson = Math.sqrt(expected);
    const widening = this.scaledErrors.length >= 24 ? Math.max(1, MAD_TO_SD * medianAbsoluteDeviation(this.scaledErrors) + Math.abs(median(this.scaledErrors))) : 1;
    const noise = poisson * widening;
    const sigmas = Math.max(this.settings.sigmas, this.tolerance);
    const lower = expected - sigmas * noise;
    const abnormal = observed < lower;
    // Abnormal hours stay out of the errors, as they would widen the band that finds them.
    if (!abnormal) {
      this.scaledErrors.push((observed - expected) / poisson);
      if (this.scaledErrors.length > ERROR_WINDOW) this.scaledErrors.shift();
    }
    return this.episodes.judge({
      abnormal,
      settled: observed >= expected - (sigmas / 2) * noise,
      at: (hour + 1) * HOUR_MS,
      score: (expected - observed) / noise,
      expected,
      observed,
      lower,
      upper: expected + sigmas * noise,
    });
  }
}
