import type { AnomalyFinding, SeriesKey, SeriesState } from './anomaly.ts';
import { EpisodicDetector } from './episodes.ts';

export interface FlakySettings {
  /** The last finished runs judged. */
  window: number;
  /** Share of runs that succeeded only on a retry of a failed step. */
  retryShare: number;
  /**
   * How far the share of consecutive runs whose outcomes differ may exceed what independent
   * failures at the window's rate p give, 2p(1 - p): beyond it, failures alternate with
   * successes (fail, rerun, pass), which is flakiness, not a level of failures.
   */
  excessFlipRate: number;
}

export const DEFAULT_FLAKY_SETTINGS: FlakySettings = { window: 100, retryShare: 0.08, excessFlipRate: 0.15 };

/** One finished run as the flaky detector sees it. */
export interface FinishedRunOutcome {
  at: number;
  failed: boolean;
  /** A step failed an attempt and then succeeded on a retry. */
  succeededOnRetry: boolean;
}

/**
 * Flakiness of one workflow over its last runs: outcomes that flip back and forth, or successes
 * that needed a retry. Unlike a failure burst it is a trait, not an event: the episode lasts as
 * long as the trait does.
 */
export class FlakyDetector extends EpisodicDetector {
  private readonly outcomes: FinishedRunOutcome[] = [];

  constructor(
    series: SeriesKey,
    private readonly settings: FlakySettings = DEFAULT_FLAKY_SETTINGS,
  ) {
    super(series, 'FLAKY', { enterAfter: 1, enterWithin: 1, leaveAfter: settings.window / 2 });
  }

  get state(): SeriesState {
    return this.outcomes.length < this.settings.window ? 'LEARNING' : this.episodes.state;
  }

  /** Runs from before the detector started, oldest first, judged by nobody. */
  warm(outcomes: readonly FinishedRunOutcome[]): void {
    for (const outcome of outcomes) this.remember(outcome);
  }

  observe(outcome: FinishedRunOutcome): AnomalyFinding | null {
    this.remember(outcome);
    if (this.outcomes.length < this.settings.window) return null;
    const retried = this.outcomes.filter((run) => run.succeededOnRetry).length / this.outcomes.length;
    let flips = 0;
    for (let index = 1; index < this.outcomes.length; index += 1) if (this.outcomes[index]?.failed !== this.outcomes[index - 1]?.failed) flips += 1;
    const failureRate = this.outcomes.filter((run) => run.failed).length / this.outcomes.length;
    const excessFlips = flips / (this.outcomes.length - 1) - 2 * failureRate * (1 - failureRate);
    const score = Math.max(retried / this.settings.retryShare, excessFlips / this.settings.excessFlipRate);
    return this.episodes.judge({ abnormal: score >= 1 && score > this.tolerance, settled: score < 0.75 * Math.max(1, this.tolerance), at: outcome.at, score, expected: this.settings.retryShare, observed: retried, lower: 0, upper: this.settings.retryShare * Math.max(1, this.tolerance) });
  }

  private remember(outcome: FinishedRunOutcome): void {
    this.outcomes.push(outcome);
    if (this.outcomes.length > this.settings.window) this.outcomes.shift();
  }
}
