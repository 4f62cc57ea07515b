import type { WorkflowSpec } from '../workflow/workflow-spec.ts';
import type { AnomalyFinding, AnomalyKind } from './anomaly.ts';
import { DurationDetector } from './duration-detector.ts';
import { FailureBurstDetector } from './failure-burst-detector.ts';
import { FlakyDetector } from './flaky-detector.ts';
import { LevelShiftDetector } from './level-shift-detector.ts';
import { MissedScheduleDetector } from './missed-schedule-detector.ts';
import { VolumeDetector } from './volume-detector.ts';

/** A finished run as the detectors read it. */
export interface FinishedRunObservation {
  finishedAt: number;
  failed: boolean;
  succeededOnRetry: boolean;
  /** Of a succeeded run; null otherwise. */
  durationMs: number | null;
  /** The last attempt of each step that succeeded. */
  succeededSteps: { name: string; durationMs: number }[];
}

/** What the detectors start from: the recent past, read from bounded queries and the rollups. */
export interface DetectorHistory {
  /** When the workflow's history begins (its creation). */
  historyStart: number;
  /** Durations of its latest runs that succeeded without a retry, oldest first. */
  runDurationsMs: number[];
  /** Per step, durations of its latest successful attempts, oldest first. */
  stepDurationsMs: Map<string, number[]>;
  /** Its latest finished runs, oldest first. */
  outcomes: { failed: boolean; succeededOnRetry: boolean; at: number }[];
  /** Per hour (hours since the epoch, ascending): runs created, and of them finished and failed. */
  hours: { hour: number; created: number; finished: number; failed: number }[];
}

// A scheduled run created later than this after its fire counts as the fire missed.
const SCHEDULE_GRACE_MS = 10 * 60_000;

/**
 * Every detector of one workflow, fed its runs in time order. Its cost per run is a fixed number
 * of small windows, whatever the history's size: detection grows with workflows, not with runs.
 */
export class WorkflowDetectors {
  private readonly runDuration: DurationDetector;
  private readonly stepDurations = new Map<string, DurationDetector>();
  private readonly bursts: FailureBurstDetector;
  private readonly shifts: LevelShiftDetector;
  private readonly volume: VolumeDetector;
  private readonly missed: MissedScheduleDetector | null;
  private readonly flaky: FlakyDetector;
  /** A burst that opened while a level shift was open: not reported, nor is its end. */
  private burstInsideShift = false;

  constructor(
    readonly workflowId: string,
    schedule: WorkflowSpec['schedule'],
    since: number,
  ) {
    const series = { workflowId, step: null };
    this.runDuration = new DurationDetector(series);
    this.bursts = new FailureBurstDetector(series);
    this.shifts = new LevelShiftDetector(series);
    this.volume = new VolumeDetector(series);
    this.missed = schedule.length === 0 ? null : new MissedScheduleDetector(series, schedule, since, SCHEDULE_GRACE_MS);
    this.flaky = new FlakyDetector(series);
  }

  /** Starts from the recent past without judging it: findings are for what happens from now on. */
  warm(history: DetectorHistory): void {
    this.runDuration.warm(history.runDurationsMs);
    for (const [step, durations] of history.stepDurationsMs) this.stepDetector(step).warm(durations);
    this.shifts.warm(history.outcomes.map((outcome) => outcome.failed));
    this.flaky.warm(history.outcomes);
    for (const { hour, finished, failed } of history.hours) this.bursts.warm(hour, { runs: finished, failures: failed });
    this.volume.warm(new Map(history.hours.map(({ hour, created }) => [hour, created])), history.historyStart);
  }

  /** A run was created; `scheduled` when the scheduler created it. */
  created(createdAt: number, scheduled: boolean): AnomalyFinding[] {
    if (scheduled) this.missed?.observeScheduledRun(createdAt);
    return this.volume.observe(createdAt);
  }

  finished(run: FinishedRunObservation): AnomalyFinding[] {
    // The burst first: a shift opened by this very run does not hide the burst that began it.
    const burst = this.burst(run);
    const findings = [
      burst,
      this.shifts.observe(run.finishedAt, run.failed),
      this.flaky.observe({ at: run.finishedAt, failed: run.failed, succeededOnRetry: run.succeededOnRetry }),
    ];
    // A retry makes a run longer by design: the run's series holds runs that needed none (their steps are judged alike).
    if (run.durationMs !== null && !run.succeededOnRetry) findings.push(this.runDuration.observe(run.finishedAt, run.durationMs));
    for (const step of run.succeededSteps) findings.push(this.stepDetector(step.name).observe(run.finishedAt, step.durationMs));
    return findings.filter((finding) => finding !== null);
  }

  private stepDetector(step: string): DurationDetector {
    let detector = this.stepDurations.get(step);
    if (detector === undefined) {
      detector = new DurationDetector({ workflowId: this.workflowId, step });
      this.stepDurations.set(step, detector);
    }
    return detector;
  }

  /**
   * A lasting fall of the success rate fails windows of runs one after another: while a level
   * shift is open, the bursts it makes are that shift, reported once by it.
   */
  private burst(run: FinishedRunObservation): AnomalyFinding | null {
    const finding = this.bursts.observe(run.finishedAt, run.failed);
    if (finding === null) return null;
    if (finding.end === null) this.burstInsideShift = this.shifts.state === 'ANOMALOUS';
    return this.burstInsideShift ? null : finding;
  }

  /**
   * Continues an episode an earlier leader raised and stored, in the detector of its series; false
   * when no detector of this workflow has that series (a schedule since removed): nobody can end it but the caller.
   */
  adopt(finding: AnomalyFinding): boolean {
    const step = finding.series.step;
    switch (finding.kind) {
      case 'DURATION_SPIKE':
        (step === null ? this.runDuration : this.stepDetector(step)).adopt(finding);
        return true;
      case 'FAILURE_BURST':
        this.bursts.adopt(finding);
        return true;
      case 'LEVEL_SHIFT':
        this.shifts.adopt(finding);
        return true;
      case 'VOLUME_DROP':
        this.volume.adopt(finding);
        return true;
      case 'MISSED_SCHEDULE':
        this.missed?.adopt(finding);
        return this.missed !== null;
      case 'FLAKY':
        this.flaky.adopt(finding);
        return true;
    }
  }

  /**
   * A person dismissed an episode of this series as expected: the series' band widens to take in
   * its peak. A missed cron fire has no degree to widen: dismissing one says that fire was
   * expected to be missed (maintenance), not that later ones are.
   */
  widen(kind: AnomalyKind, step: string | null, peakScore: number): void {
    switch (kind) {
      case 'DURATION_SPIKE':
        (step === null ? this.runDuration : this.stepDetector(step)).widen(peakScore);
        return;
      case 'FAILURE_BURST':
        this.bursts.widen(peakScore);
        return;
      case 'LEVEL_SHIFT':
        this.shifts.widen(peakScore);
        return;
      case 'VOLUME_DROP':
        this.volume.widen(peakScore);
        return;
      case 'FLAKY':
        this.flaky.widen(peakScore);
        return;
      case 'MISSED_SCHEDULE':
        return;
    }
  }

  /** Time passed without runs: judges what is due by `now` (missed fires, days of volume). */
  tick(now: number): AnomalyFinding[] {
    return [...(this.missed?.tick(now) ?? []), ...this.volume.tick(now)];
  }
}
