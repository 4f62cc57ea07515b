import { createSeededRandom } from '../seeded-random.ts';
import { DEFAULT_SCENARIO_OPTIONS, generateScenario } from '../../seed/scenario/labelled-scenario.ts';
import type { AnomalyFinding } from './anomaly.ts';
import { DurationDetector } from './duration-detector.ts';
import { FailureBurstDetector } from './failure-burst-detector.ts';
import { FlakyDetector } from './flaky-detector.ts';
import { LevelShiftDetector } from './level-shift-detector.ts';
import { MissedScheduleDetector } from './missed-schedule-detector.ts';
import { VolumeDetector } from './volume-detector.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 0, 5);
const series = { workflowId: 'wf', step: null };

function opened(findings: readonly (AnomalyFinding | null)[]): AnomalyFinding[] {
  return findings.filter((finding): finding is AnomalyFinding => finding !== null && finding.end === null);
}

describe('DurationDetector', () => {
  it('learns first, then finds a 3x slowdown of a few runs and closes the episode when durations are back', () => {
    const random = createSeededRandom(7);
    const detector = new DurationDetector(series);
    const findings: (AnomalyFinding | null)[] = [];
    expect(detector.state).toBe('LEARNING');
    for (let run = 0; run < 200; run += 1) {
      const slow = run >= 100 && run < 106 ? 3 : 1;
      findings.push(detector.observe(START + run * HOUR, random.logNormal(60_000, 0.15) * slow));
      if (run === 50) expect(detector.state).toBe('NORMAL');
      if (run === 103) expect(detector.state).toBe('ANOMALOUS');
    }
    const raised = opened(findings);
    expect(raised).toHaveLength(1);
    expect(raised[0]?.start).toBe(START + 100 * HOUR);
    expect(raised[0]?.expected).toBeGreaterThan(50_000);
    expect(raised[0]?.expected).toBeLessThan(70_000);
    expect(findings.filter((finding) => finding?.end !== null && finding !== null)).toHaveLength(1);
    expect(detector.state).toBe('NORMAL');
  });

  it('raises nothing on 2,000 ordinary log-normal durations', () => {
    const random = createSeededRandom(11);
    const detector = new DurationDetector(series);
    const findings = Array.from({ length: 2000 }, (_, run) => detector.observe(START + run * MINUTE, random.logNormal(5_000, 0.3)));
    expect(opened(findings)).toHaveLength(0);
  });
});

describe('dismissal as expected', () => {
  function spikes(detector: DurationDetector, from: number, factor: number): AnomalyFinding[] {
    const random = createSeededRandom(from);
    const findings: (AnomalyFinding | null)[] = [];
    for (let run = from; run < from + 80; run += 1) {
      const slow = run >= from + 50 && run < from + 56 ? factor : 1;
      findings.push(detector.observe(START + run * HOUR, random.logNormal(60_000, 0.15) * slow));
    }
    return findings.filter((finding): finding is AnomalyFinding => finding !== null);
  }

  it('widens a duration series so a spike like the dismissed one is expected, while a larger one is still found', () => {
    const detector = new DurationDetector(series);
    const first = spikes(detector, 0, 3).find((finding) => finding.end !== null);
    expect(first).toBeDefined();
    detector.widen(first?.score ?? Number.NaN);
    expect(opened(spikes(detector, 100, 2))).toHaveLength(0);
    const [larger] = opened(spikes(detector, 200, 12));
    expect(larger?.upper).toBeGreaterThan(first?.upper ?? Number.POSITIVE_INFINITY);
  });

  it('raises the level a dismissed success-rate shift had to reach, so a shift no deeper is expected', () => {
    // 80 runs at a raised failure rate, then 520 back at 2%: one shift that ends.
    const episode = (detector: LevelShiftDetector, seed: number, failureRate = 0.4) => {
      const random = createSeededRandom(seed);
      return Array.from({ length: 600 }, (_, index) => detector.observe(START + (seed * 1_000 + index) * MINUTE, random.chance(index < 80 ? failureRate : 0.02))).filter((finding) => finding !== null);
    };
    const [widened, plain] = [new LevelShiftDetector(series), new LevelShiftDetector(series)];
    for (const detector of [widened, plain]) detector.warm(Array.from({ length: 300 }, (_, index) => index % 20 === 0));
    const first = episode(widened, 1).find((finding) => finding.end !== null);
    expect(first).toBeDefined();
    episode(plain, 1);
    widened.widen(first?.score ?? Number.NaN);
    expect(opened(episode(plain, 2, 0.3))).toHaveLength(1);
    expect(opened(episode(widened, 2, 0.3))).toHaveLength(0);
  });
});

describe('FailureBurstDetector', () => {
  it('finds failures that the same hours of past weeks make unlikely, and not the usual odd failure', () => {
    const random = createSeededRandom(3);
    const detector = new FailureBurstDetector(series);
    const findings: (AnomalyFinding | null)[] = [];
    // Four runs an hour for five weeks, failing 2% of the time; the last Tuesday from 10:00 to 12:00 fails 70%.
    const burstStart = START + 4 * 7 * DAY + DAY + 10 * HOUR;
    for (let at = START; at < START + 5 * 7 * DAY; at += 15 * MINUTE) {
      const inBurst = at >= burstStart && at < burstStart + 2 * HOUR;
      findings.push(detector.observe(at, random.chance(inBurst ? 0.7 : 0.02)));
    }
    const raised = opened(findings);
    expect(raised).toHaveLength(1);
    expect(raised[0]?.raisedAt).toBeGreaterThanOrEqual(burstStart);
    expect(raised[0]?.raisedAt).toBeLessThan(burstStart + 2 * HOUR);
  });

  it('is LEARNING while neither the seasonal nor the recent baseline has enough runs', () => {
    const detector = new FailureBurstDetector(series);
    for (let run = 0; run < 10; run += 1) expect(detector.observe(START + run * HOUR, true)).toBeNull();
    expect(detector.state).toBe('LEARNING');
  });
});

describe('LevelShiftDetector', () => {
  it('finds a lasting rise of the failure rate from 3% to 30%, after it began', () => {
    const random = createSeededRandom(5);
    const detector = new LevelShiftDetector(series);
    const findings: (AnomalyFinding | null)[] = [];
    for (let run = 0; run < 1200; run += 1) findings.push(detector.observe(START + run * MINUTE, random.chance(run < 800 ? 0.03 : 0.3)));
    const raised = opened(findings);
    expect(raised).toHaveLength(1);
    expect(raised[0]?.raisedAt).toBeGreaterThan(START + 800 * MINUTE);
    expect(raised[0]?.expected).toBeGreaterThan(0.9);
    expect(detector.state).toBe('ANOMALOUS');
  });
});

describe('MissedScheduleDetector', () => {
  it('finds the fires of a schedule that made no run, once per gap, and ends at the next fire met', () => {
    const detector = new MissedScheduleDetector(series, [{ expression: '0 * * * *', timezone: null }], START, 10 * MINUTE);
    const findings: AnomalyFinding[] = [];
    for (let hour = 0; hour < 12; hour += 1) {
      const fire = START + hour * HOUR;
      if (hour < 5 || hour > 7) detector.observeScheduledRun(fire + 2_000);
      findings.push(...detector.tick(fire + 30 * MINUTE));
    }
    expect(findings.map((finding) => [finding.start, finding.end])).toEqual([
      [START + 5 * HOUR, null],
      [START + 5 * HOUR, START + 8 * HOUR],
    ]);
  });
});

describe('VolumeDetector', () => {
  it('finds a day whose runs fell to a tenth of the same weekday of past weeks, within hours', () => {
    const random = createSeededRandom(9);
    const detector = new VolumeDetector(series);
    const findings: AnomalyFinding[] = [];
    const dropDay = START + 5 * 7 * DAY + 2 * DAY;
    for (let at = START; at < dropDay + 2 * DAY; at += 10 * MINUTE) {
      const inDrop = at >= dropDay && at < dropDay + DAY;
      if (random.chance(inDrop ? 0.1 : 0.9)) findings.push(...detector.observe(at));
    }
    const raised = findings.filter((finding) => finding.end === null);
    expect(raised).toHaveLength(1);
    expect(raised[0]?.raisedAt).toBeGreaterThan(dropDay);
    expect(raised[0]?.raisedAt).toBeLessThan(dropDay + 6 * HOUR);
    expect(raised[0]?.observed).toBeLessThan(raised[0]?.lower ?? 0);
  });
});

describe('FlakyDetector', () => {
  it('calls a workflow flaky when its successes often need a retry, not when it fails at a steady level', () => {
    const random = createSeededRandom(13);
    const flaky = new FlakyDetector(series);
    const steady = new FlakyDetector({ workflowId: 'steady', step: null });
    const flakyFindings: (AnomalyFinding | null)[] = [];
    const steadyFindings: (AnomalyFinding | null)[] = [];
    for (let run = 0; run < 300; run += 1) {
      const at = START + run * HOUR;
      flakyFindings.push(flaky.observe({ at, failed: random.chance(0.02), succeededOnRetry: random.chance(0.3) }));
      steadyFindings.push(steady.observe({ at, failed: random.chance(0.25), succeededOnRetry: false }));
    }
    expect(opened(flakyFindings)).toHaveLength(1);
    expect(opened(steadyFindings)).toHaveLength(0);
  });
});

describe('labelled scenarios', () => {
  it('are the same for the same seed and carry labels after the learning days', () => {
    const options = { ...DEFAULT_SCENARIO_OPTIONS, projects: 2, workflowsPerProject: 3, days: 40, learningDays: 29 };
    const first = generateScenario(options);
    const again = generateScenario(options);
    expect(again.labels).toEqual(first.labels);
    expect([...again.runs.values()].map((runs) => runs.length)).toEqual([...first.runs.values()].map((runs) => runs.length));
    const injected = first.labels.filter((label) => label.kind !== 'FLAKY');
    expect(injected.length).toBeGreaterThan(0);
    for (const label of injected) expect(label.start).toBeGreaterThanOrEqual(options.start + options.learningDays * DAY);
    expect(generateScenario({ ...options, clean: true }).labels.every((label) => label.kind === 'FLAKY')).toBe(true);
  });
});
