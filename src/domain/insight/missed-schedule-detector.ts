import { nextFireTimes } from '../workflow/schedule.ts';
import type { WorkflowSpec } from '../workflow/workflow-spec.ts';
import type { AnomalyFinding, SeriesKey, SeriesState } from './anomaly.ts';
import { EpisodicDetector } from './episodes.ts';

// A fire's run may be created a little before the fire time is reached by the clock that records it.
const EARLY_TOLERANCE_MS = 60_000;
// Fires computed at once: croner parses its pattern on every call, the cost of a call is that parse.
const FIRES_AHEAD = 256;

/**
 * The cron fires of one workflow that produced no scheduled run: each fire due more than `graceMs`
 * ago is met by a scheduled run created within the grace after it, or is missed. Consecutive
 * misses are one episode, ended by the next fire that is met.
 */
export class MissedScheduleDetector extends EpisodicDetector {
  private readonly runTimes: number[] = [];
  private checkedUntil: number;
  /** The next fires after checkedUntil, ascending. */
  private upcoming: number[] = [];

  constructor(
    series: SeriesKey,
    private readonly schedule: WorkflowSpec['schedule'],
    since: number,
    private readonly graceMs: number,
  ) {
    super(series, 'MISSED_SCHEDULE', { enterAfter: 1, enterWithin: 1, leaveAfter: 1 });
    this.checkedUntil = since;
  }

  get state(): SeriesState {
    return this.episodes.state;
  }

  /** A run the scheduler created, at its creation time. */
  observeScheduledRun(createdAt: number): void {
    this.runTimes.push(createdAt);
  }

  /** Judges the fires due up to `now` less the grace; the findings opened or closed. */
  tick(now: number): AnomalyFinding[] {
    const findings: AnomalyFinding[] = [];
    const until = now - this.graceMs;
    while (this.checkedUntil < until) {
      if (this.upcoming.length === 0) this.upcoming = nextFireTimes(this.schedule, new Date(this.checkedUntil), FIRES_AHEAD).map((fire) => fire.getTime());
      const at = this.upcoming[0];
      if (at === undefined || at > until) {
        this.checkedUntil = until;
        break;
      }
      this.upcoming.shift();
      this.checkedUntil = at;
      const met = this.runTimes.some((time) => time >= at - EARLY_TOLERANCE_MS && time <= at + this.graceMs);
      const finding = this.episodes.judge({ abnormal: !met, settled: met, at, score: met ? 0 : 1, expected: 1, observed: met ? 1 : 0, lower: 1, upper: 1 });
      if (finding !== null) findings.push(finding);
    }
    const keepFrom = this.checkedUntil - EARLY_TOLERANCE_MS;
    while ((this.runTimes[0] ?? Number.POSITIVE_INFINITY) < keepFrom) this.runTimes.shift();
    return findings;
  }
}
