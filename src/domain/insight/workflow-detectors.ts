import type { WorkflowSpec } from '../workflow/workflow-spec.ts';
import type { AnomalyFinding } from './anomaly.ts';
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
    for (const step of run.succeededSteps) {
      let detector = this.stepDurations.get(step.name);
      if (detector === undefined) {
        detector = new DurationDetector({ workflowId: this.workflowId, step: step.name });
        this.stepDurations.set(step.name, detector);
      }
      findings.push(detector.observe(run.finishedAt, step.durationMs));
    }
    return findings.filter((finding) => finding !== null);
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

  /** Time passed without runs: judges what is due by `now` (missed fires, days of volume). */
  tick(now: number): AnomalyFinding[] {
    return [...(this.missed?.tick(now) ?? []), ...this.volume.tick(now)];
  }
}
