import type { AnomalyFinding, SeriesKey, SeriesState } from './anomaly.ts';

export interface LevelShiftSettings {
  /** Finished runs the reference failure rate is taken over. */
  referenceRuns: number;
  /** The smallest rise of the failure rate worth finding (absolute, 0.1 = ten points of success rate). */
  shift: number;
  /** The CUSUM level that raises a finding. */
  threshold: number;
}

export const DEFAULT_LEVEL_SHIFT_SETTINGS: LevelShiftSettings = { referenceRuns: 300, shift: 0.1, threshold: 10 };

/**
 * A lasting fall of one workflow's success rate, by a one-sided Bernoulli CUSUM: each finished run
 * adds (failed ? 1 : 0) minus (reference rate + shift / 2), floored at zero, so failures at the
 * old rate drain away and a rate higher by `shift` climbs about shift / 2 per run to the
 * threshold. The reference is the rate over earlier runs, frozen while a shift is open so the new
 * level does not become normal. The episode ends when the sum has drained back to zero.
 */
export class LevelShiftDetector {
  private readonly outcomes: boolean[] = [];
  private sum = 0;
  private evidenceStart: number | null = null;
  private open: AnomalyFinding | null = null;
  private reference: number | null = null;
  /** The CUSUM level to reach: raised to the peak of a shift a person dismissed as expected. */
  private threshold: number;

  constructor(
    readonly series: SeriesKey,
    private readonly settings: LevelShiftSettings = DEFAULT_LEVEL_SHIFT_SETTINGS,
  ) {
    this.threshold = settings.threshold;
  }

  /** Continues a shift an earlier leader raised: at the threshold, with the reference it was raised against. */
  adopt(finding: AnomalyFinding): void {
    this.open = { ...finding, end: null };
    this.sum = this.threshold;
    this.reference = 1 - finding.expected;
  }

  /** A dismissed shift of this series peaked at `score`: a fall as deep as that is expected now. */
  widen(score: number): void {
    this.threshold = Math.max(this.threshold, score);
  }

  get state(): SeriesState {
    if (this.open !== null) return 'ANOMALOUS';
    return this.reference === null ? 'LEARNING' : 'NORMAL';
  }

  /** Outcomes of runs from before the detector started, oldest first: the reference rate, judged by nobody. */
  warm(failures: readonly boolean[]): void {
    for (const failed of failures) this.remember(failed);
  }

  /** A finished run, in time order; the finding it opened or closed. */
  observe(at: number, failed: boolean): AnomalyFinding | null {
    const reference = this.open === null ? this.referenceRate() : this.reference;
    if (this.open === null) this.remember(failed);
    this.reference = reference;
    if (reference === null) return null;
    const allowance = reference + this.settings.shift / 2;
    const before = this.sum;
    this.sum = Math.max(0, this.sum + (failed ? 1 : 0) - allowance);
    if (before === 0 && this.sum > 0) this.evidenceStart = at;
    if (this.sum === 0) this.evidenceStart = null;
    if (this.open !== null) {
      this.open.score = Math.max(this.open.score, this.sum);
      if (this.sum > 0) return null;
      const closed = { ...this.open, end: at };
      this.open = null;
      return closed;
    }
    if (this.sum < this.threshold) return null;
    this.open = {
      kind: 'LEVEL_SHIFT',
      series: this.series,
      start: this.evidenceStart ?? at,
      raisedAt: at,
      end: null,
      score: this.sum,
      expected: 1 - reference,
      observed: 1 - this.recentRate(),
      lower: 1 - allowance,
      upper: 1,
    };
    return this.open;
  }

  private remember(failed: boolean): void {
    this.outcomes.push(failed);
    if (this.outcomes.length > this.settings.referenceRuns) this.outcomes.shift();
  }

  /** The failure rate of the reference runs; null while there are too few. */
  private referenceRate(): number | null {
    if (this.outcomes.length < this.settings.referenceRuns / 2) return null;
    return (this.outcomes.filter(Boolean).length + 1) / (this.outcomes.length + 2);
  }

  /** The failure rate over the last runs the sum climbed on (for the finding's observed value). */
  private recentRate(): number {
    const recent = this.outcomes.slice(-Math.max(10, Math.round(this.settings.threshold / this.settings.shift)));
    return recent.filter(Boolean).length / Math.max(recent.length, 1);
  }
}
