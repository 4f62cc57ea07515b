import type { AnomalyFinding, SeriesKey, SeriesState } from './anomaly.ts';

export interface LevelShiftSettings {
  /** Finished runs the reference failure rate is taken over. */
  referenceRuns: number;
  /** The smallest rise of the failure rate worth finding (absolute, 0.1 = ten points of success rate). */
  shift: number;
  /** The CUSUM level that raises a finding. */
  threshold: number;
  /**
   * The persistence check: a shift is raised only while each of the last `blocks` blocks of
   * `blockRuns` runs fails more often than the reference rate plus the whole shift. A burst or
   * an outage of an hour or two lifts the sum past the threshold too, but its failures fill at
   * most two blocks: it is left to the burst detector.
   */
  persistence: { blocks: number; blockRuns: number };
}

export const DEFAULT_LEVEL_SHIFT_SETTINGS: LevelShiftSettings = { referenceRuns: 300, shift: 0.1, threshold: 10, persistence: { blocks: 3, blockRuns: 30 } };

/**
 * A lasting fall of one workflow's success rate, by a one-sided Bernoulli CUSUM: each finished run
 * adds (failed ? 1 : 0) minus (reference rate + shift / 2), floored at zero, so failures at the
 * old rate drain away and a rate higher by `shift` climbs about shift / 2 per run to the
 * threshold. A burst climbs there too, so a shift is raised only once the rise has lasted
 * (the persistence check). The reference is the rate over earlier runs: runs join it only once
 * the sum is back at zero (while it is above, they may be the new level), and it is frozen while
 * a shift is open so the new level does not become normal. The episode ends when the sum has
 * drained back to zero, or sooner once recent blocks of runs fail at the old rate again.
 */
export class LevelShiftDetector {
  private readonly outcomes: boolean[] = [];
  /** The latest outcomes, whether or not a shift is open: the persistence check's blocks. */
  private readonly latest: boolean[] = [];
  /** Outcomes since the sum left zero: they join the reference only if it drains back (chance, not a shift). */
  private pending: boolean[] = [];
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
    this.latest.push(failed);
    const { blockRuns } = this.settings.persistence;
    if (this.latest.length > this.settings.persistence.blocks * blockRuns) this.latest.shift();
    const reference = this.open === null ? this.referenceRate() : this.reference;
    this.reference = reference;
    if (reference === null) {
      this.remember(failed);
      return null;
    }
    const allowance = reference + this.settings.shift / 2;
    const before = this.sum;
    this.sum = Math.max(0, this.sum + (failed ? 1 : 0) - allowance);
    if (before === 0 && this.sum > 0) this.evidenceStart = at;
    if (this.sum === 0) this.evidenceStart = null;
    if (this.open !== null) {
      this.open.score = Math.max(this.open.score, this.sum);
      // A shift of days lifts the sum so high that draining it would take longer than the shift
      // lasted: the episode also ends once every recent block fails no more than the allowance.
      const blocks = this.blockFailures();
      const settled = blocks !== null && blocks.every((failures) => failures <= allowance * blockRuns);
      if (this.sum > 0 && !settled) return null;
      this.sum = 0;
      this.evidenceStart = null;
      const closed = { ...this.open, end: at };
      this.open = null;
      return closed;
    }
    this.hold(failed);
    const blocks = this.blockFailures();
    const lasts = blocks !== null && blocks.every((failures) => failures > (reference + this.settings.shift) * blockRuns);
    if (this.sum < this.threshold || !lasts) return null;
    // The runs of the evidence are the new level, not the reference.
    this.pending = [];
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

  /**
   * Holds an outcome back from the reference while evidence of a shift is pending, so the new
   * level does not leak into the reference it is judged against while persistence is awaited.
   */
  private hold(failed: boolean): void {
    this.pending.push(failed);
    if (this.sum === 0) {
      for (const outcome of this.pending) this.remember(outcome);
      this.pending = [];
      return;
    }
    if (this.pending.length > this.settings.referenceRuns) {
      const oldest = this.pending.shift();
      if (oldest !== undefined) this.remember(oldest);
    }
  }

  /** Failures in each of the last blocks of runs, oldest first; null until there are enough runs. */
  private blockFailures(): number[] | null {
    const { blocks, blockRuns } = this.settings.persistence;
    if (this.latest.length < blocks * blockRuns) return null;
    return Array.from({ length: blocks }, (_, block) => this.latest.slice(block * blockRuns, (block + 1) * blockRuns).filter(Boolean).length);
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

  /** The failure rate over the latest runs (for the finding's observed value). */
  private recentRate(): number {
    return this.latest.filter(Boolean).length / Math.max(this.latest.length, 1);
  }
}
