import type { AnomalyFinding, AnomalyKind, SeriesKey, SeriesState } from './anomaly.ts';

export interface Judgement {
  abnormal: boolean;
  /**
   * Clearly normal: what ends an episode. Stricter than "not abnormal" where a detector has a
   * grey zone, so a lasting condition that hovers at the threshold stays one episode.
   */
  settled: boolean;
  /** The observation's time (unix ms). */
  at: number;
  score: number;
  expected: number;
  observed: number;
  lower: number;
  upper: number;
}

/**
 * Turns a series' judgements into episodes with hysteresis: an episode opens after `enterAfter`
 * abnormal judgements among the last `enterWithin`, and closes after `leaveAfter` normal ones
 * in a row, so one odd observation neither raises a finding nor ends one.
 */
export class EpisodeTracker {
  private recent: boolean[] = [];
  private firstAbnormalAt: number | null = null;
  private normalStreak = 0;
  private open: AnomalyFinding | null = null;

  constructor(
    private readonly kind: AnomalyKind,
    private readonly series: SeriesKey,
    private readonly rule: { enterAfter: number; enterWithin: number; leaveAfter: number },
  ) {}

  get state(): Exclude<SeriesState, 'LEARNING'> {
    return this.open === null ? 'NORMAL' : 'ANOMALOUS';
  }

  /** Continues an episode raised before (by an earlier leader): it ends when this tracker's rule says so. */
  adopt(finding: AnomalyFinding): void {
    this.open = { ...finding, end: null };
    this.normalStreak = 0;
    this.recent = [];
  }

  /** Feeds one judgement; returns the finding it opened or closed, if any. */
  judge(judgement: Judgement): AnomalyFinding | null {
    this.recent.push(judgement.abnormal);
    if (this.recent.length > this.rule.enterWithin) this.recent.shift();
    if (this.open !== null) {
      this.normalStreak = judgement.settled ? this.normalStreak + 1 : 0;
      if (judgement.abnormal) this.open.score = Math.max(this.open.score, judgement.score);
      if (this.normalStreak < this.rule.leaveAfter) return null;
      const closed = { ...this.open, end: judgement.at };
      this.open = null;
      this.recent = [];
      this.firstAbnormalAt = null;
      return closed;
    }
    if (!judgement.abnormal) {
      if (!this.recent.includes(true)) this.firstAbnormalAt = null;
      return null;
    }
    this.firstAbnormalAt ??= judgement.at;
    if (this.recent.filter(Boolean).length < this.rule.enterAfter) return null;
    this.normalStreak = 0;
    const { score, expected, observed, lower, upper } = judgement;
    this.open = { kind: this.kind, series: this.series, start: this.firstAbnormalAt, raisedAt: judgement.at, end: null, score, expected, observed, lower, upper };
    return this.open;
  }
}

/** A detector whose findings are episodes of one series: what every such detector shares, its tracker and its takeover. */
export abstract class EpisodicDetector {
  protected readonly episodes: EpisodeTracker;
  /**
   * The peak score of episodes a person dismissed as expected: from then on only an observation
   * more unusual than that is abnormal, so the series' band is widened to take it in.
   */
  protected tolerance = 0;

  constructor(
    readonly series: SeriesKey,
    kind: AnomalyKind,
    rule: { enterAfter: number; enterWithin: number; leaveAfter: number },
  ) {
    this.episodes = new EpisodeTracker(kind, series, rule);
  }

  /** Continues an episode an earlier leader raised. */
  adopt(finding: AnomalyFinding): void {
    this.episodes.adopt(finding);
  }

  /** A dismissed episode of this series peaked at `score`: it and anything less unusual is expected now. */
  widen(score: number): void {
    this.tolerance = Math.max(this.tolerance, score);
  }
}
