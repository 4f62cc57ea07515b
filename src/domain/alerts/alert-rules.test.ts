import { observe, type FinishedRun } from './alert-conditions.ts';
import { advance, NEW_ALERT, type AlertProgress } from './alert-lifecycle.ts';
import { parseAlertRule, selects, type AlertLifecycleSettings } from './alert-rule.ts';
import { wilsonLowerBound } from './wilson.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 12, minute));
const run = (id: string, status: FinishedRun['status'], minute = 0): FinishedRun => ({ id, status, finishedAt: at(minute), durationMs: 60_000 });
const settings = (overrides: Partial<AlertLifecycleSettings> = {}): AlertLifecycleSettings => ({ forMs: 0, keepFiringForMs: 0, repeatIntervalMs: 0, groupWaitMs: 0, ...overrides });

describe('an alert rule as a client sends it', () => {
  it('names every wrong field with its bound in one answer', () => {
    expect(() => parseAlertRule({ name: ' ', kind: 'FAILURE_RATE', threshold: 1.5, statuses: ['SUCCEEDED', 'FAILED'], triggers: ['CRON'] })).toThrow(
      /name: 1 to 120 characters.*triggers: "CRON" is not one of SCHEDULER.*statuses: "SUCCEEDED" is not one of FAILED, ABORTED, REJECTED, PARTIALLY_SUCCEEDED \(a rule counts unsuccessful ends\).*threshold: from 0 to 0\.99 \(got 1\.5\).*windowMinutes: required for FAILURE_RATE/,
    );
    expect(() => parseAlertRule({ name: 'streak', kind: 'CONSECUTIVE_FAILURES' })).toThrow(/count: required for CONSECUTIVE_FAILURES, from 2 to 1000/);
    expect(() => parseAlertRule({ name: 'x', kind: 'SLA' })).toThrow(/kind: one of RUN_FAILED, RUN_SUCCEEDED, CONSECUTIVE_FAILURES, FAILURE_RATE, DURATION_OVER, MISSING_SUCCESS, STATUS_SWING, ANOMALY, INCIDENT \(got "SLA"\)/);
  });

  it('takes FAILED as the failure, Alertmanager’s repeat and group wait, and a resolve bound below the firing one by default', () => {
    const rule = parseAlertRule({ name: ' rate ', kind: 'FAILURE_RATE', threshold: 0.5, windowMinutes: 60 });
    expect(rule).toEqual({
      name: 'rate',
      selector: { workflowIds: [], workflowNames: [], triggers: [] },
      condition: { kind: 'FAILURE_RATE', statuses: ['FAILED'], threshold: 0.5, resolveThreshold: 0.4, windowMinutes: 60, minRuns: 5 },
      lifecycle: { forMs: 0, keepFiringForMs: 0, repeatIntervalMs: 4 * 3600_000, groupWaitMs: 30_000 },
      enabled: true,
    });
    expect(() => parseAlertRule({ name: 'rate', kind: 'FAILURE_RATE', threshold: 0.3, resolveThreshold: 0.5, windowMinutes: 60 })).toThrow(/resolveThreshold: at most threshold \(0\.3\)/);
  });

  it('selects by workflow id or name and by trigger, every workflow when it names none', () => {
    const workflow = { id: 'wf_1', name: 'etl' };
    expect(selects({ workflowIds: [], workflowNames: [], triggers: [] }, workflow, 'MANUAL')).toBe(true);
    expect(selects({ workflowIds: [], workflowNames: ['etl'], triggers: ['SCHEDULER'] }, workflow, 'MANUAL')).toBe(false);
    expect(selects({ workflowIds: ['wf_2'], workflowNames: ['etl'], triggers: [] }, workflow, 'MANUAL')).toBe(true);
    expect(selects({ workflowIds: ['wf_2'], workflowNames: [], triggers: [] }, workflow, 'MANUAL')).toBe(false);
  });
});

describe('the conditions', () => {
  it('RUN_FAILED holds while the latest finished run failed', () => {
    const condition = { kind: 'RUN_FAILED' as const, statuses: ['FAILED' as const, 'ABORTED' as const] };
    expect(observe(condition, { latest: [run('r2', 'ABORTED')], window: null, durations: null, schedule: null, swing: null, anomalies: null, incidents: null })).toMatchObject({ firing: true, runId: 'r2' });
    expect(observe(condition, { latest: [run('r3', 'SUCCEEDED')], window: null, durations: null, schedule: null, swing: null, anomalies: null, incidents: null }).firing).toBe(false);
    expect(observe(condition, { latest: [], window: null, durations: null, schedule: null, swing: null, anomalies: null, incidents: null }).firing).toBe(false);
  });

  it('CONSECUTIVE_FAILURES holds only for an unbroken streak of the count', () => {
    const condition = { kind: 'CONSECUTIVE_FAILURES' as const, statuses: ['FAILED' as const], count: 3 };
    expect(observe(condition, { latest: [run('c', 'FAILED'), run('b', 'FAILED'), run('a', 'FAILED')], window: null, durations: null, schedule: null, swing: null, anomalies: null, incidents: null })).toMatchObject({ firing: true, summary: expect.stringContaining('3 consecutive failures') });
    const broken = observe(condition, { latest: [run('c', 'FAILED'), run('b', 'SUCCEEDED'), run('a', 'FAILED')], window: null, durations: null, schedule: null, swing: null, anomalies: null, incidents: null });
    expect(broken).toMatchObject({ firing: false, summary: expect.stringContaining('1 of 3 consecutive failures') });
    expect(observe(condition, { latest: [run('b', 'FAILED'), run('a', 'FAILED')], window: null, durations: null, schedule: null, swing: null, anomalies: null, incidents: null }).firing).toBe(false);
  });

  it('FAILURE_RATE fires on the Wilson lower bound, never on one unlucky run, and resolves below its resolve bound', () => {
    const condition = { kind: 'FAILURE_RATE' as const, statuses: ['FAILED' as const], threshold: 0.25, resolveThreshold: 0.1, windowMinutes: 60, minRuns: 1 };
    expect(observe(condition, { latest: [], window: { runs: 1, failures: 1 }, durations: null, schedule: null, swing: null, anomalies: null, incidents: null }).firing).toBe(false);
    expect(observe(condition, { latest: [], window: { runs: 20, failures: 10 }, durations: null, schedule: null, swing: null, anomalies: null, incidents: null }).firing).toBe(true);
    expect(observe(condition, { latest: [], window: { runs: 20, failures: 5 }, durations: null, schedule: null, swing: null, anomalies: null, incidents: null })).toMatchObject({ firing: false, holding: true });
    expect(observe(condition, { latest: [], window: { runs: 20, failures: 1 }, durations: null, schedule: null, swing: null, anomalies: null, incidents: null })).toMatchObject({ firing: false, holding: false });
    expect(observe({ ...condition, minRuns: 30 }, { latest: [], window: { runs: 20, failures: 20 }, durations: null, schedule: null, swing: null, anomalies: null, incidents: null }).firing).toBe(false);
  });

  it('computes the Wilson bound as published (Wilson 1927; 0 of 0 is no evidence)', () => {
    expect(wilsonLowerBound(1, 1)).toBeCloseTo(0.2065, 4);
    expect(wilsonLowerBound(30, 100)).toBeCloseTo(0.2189, 4);
    expect(wilsonLowerBound(0, 0)).toBe(0);
  });
});

describe('the lifecycle of an alert', () => {
  const firing = { firing: true, holding: true, summary: 'failed', runId: 'r1' };
  const quiet = { firing: false, holding: false, summary: 'succeeded', runId: 'r2' };

  it('fires at once without a `for`, and resolves when the condition stops', () => {
    const fired = advance(NEW_ALERT, firing, at(0), settings());
    expect(fired.transition).toEqual({ from: 'INACTIVE', to: 'FIRING', message: 'failed' });
    const resolved = advance(fired.next, quiet, at(1), settings());
    expect(resolved.transition).toMatchObject({ from: 'FIRING', to: 'RESOLVED' });
    expect(resolved.next).toMatchObject({ state: 'RESOLVED', firedAt: at(0), resolvedAt: at(1) });
  });

  it('waits PENDING for `for`, and goes back without firing when the condition stops first', () => {
    const pending = advance(NEW_ALERT, firing, at(0), settings({ forMs: 5 * 60_000 }));
    expect(pending.next.state).toBe('PENDING');
    expect(advance(pending.next, firing, at(4), settings({ forMs: 5 * 60_000 })).transition).toBeNull();
    expect(advance(pending.next, firing, at(5), settings({ forMs: 5 * 60_000 })).next.state).toBe('FIRING');
    expect(advance(pending.next, quiet, at(3), settings({ forMs: 5 * 60_000 })).next.state).toBe('INACTIVE');
  });

  it('keeps firing for keepFiringFor after the condition stopped, and while the holding bound holds', () => {
    const fired: AlertProgress = advance(NEW_ALERT, firing, at(0), settings()).next;
    const keep = settings({ keepFiringForMs: 10 * 60_000 });
    expect(advance(fired, { ...quiet, holding: true }, at(30), keep).next.state).toBe('FIRING');
    expect(advance(fired, quiet, at(9), keep).next.state).toBe('FIRING');
    expect(advance(fired, quiet, at(10), keep).next.state).toBe('RESOLVED');
  });
});

describe('DURATION_OVER', () => {
  const condition = parseAlertRule({ name: 'slow', kind: 'DURATION_OVER', factor: 2, baselineRuns: 10 }).condition;
  const finished = (durationMs: number) => [{ id: 'r9', status: 'SUCCEEDED' as const, finishedAt: at(9), durationMs }];
  const baseline = [60_000, 61_000, 59_000, 62_000, 58_000, 60_000];

  it('learns until it has 5 successful runs, then fires over factor × their p95, for a finished run or one still running', () => {
    expect(observe(condition, { latest: finished(600_000), window: null, durations: { baselineMs: baseline.slice(0, 4), running: null }, schedule: null, swing: null, anomalies: null, incidents: null })).toMatchObject({ firing: false, summary: expect.stringContaining('learning: 4 of 5') });
    expect(observe(condition, { latest: finished(120_000), window: null, durations: { baselineMs: baseline, running: null }, schedule: null, swing: null, anomalies: null, incidents: null }).firing).toBe(false);
    expect(observe(condition, { latest: finished(125_000), window: null, durations: { baselineMs: baseline, running: null }, schedule: null, swing: null, anomalies: null, incidents: null })).toMatchObject({ firing: true, runId: 'r9', summary: expect.stringContaining('took 125.0 s, over 2 × the p95 of the last 6 successful runs (124.0 s)') });
    expect(observe(condition, { latest: finished(60_000), window: null, durations: { baselineMs: baseline, running: { id: 'r10', elapsedMs: 200_000 } }, schedule: null, swing: null, anomalies: null, incidents: null })).toMatchObject({ firing: true, runId: 'r10' });
  });

  it('needs a factor or a limit, and judges by the limit alone when it has one', () => {
    expect(() => parseAlertRule({ name: 'slow', kind: 'DURATION_OVER' })).toThrow(/factor or limitSeconds: DURATION_OVER needs one/);
    const limited = parseAlertRule({ name: 'slow', kind: 'DURATION_OVER', limitSeconds: 30 }).condition;
    expect(observe(limited, { latest: finished(31_000), window: null, durations: { baselineMs: [], running: null }, schedule: null, swing: null, anomalies: null, incidents: null }).firing).toBe(true);
  });
});

describe('MISSING_SUCCESS', () => {
  const condition = parseAlertRule({ name: 'missing', kind: 'MISSING_SUCCESS', graceMinutes: 10 }).condition;
  const judge = (schedule: NonNullable<Parameters<typeof observe>[1]['schedule']>) => observe(condition, { latest: [], window: null, durations: null, schedule, swing: null, anomalies: null, incidents: null });

  it('fires once the expected run’s usual duration and the grace passed without a success since the fire', () => {
    const lastFireAt = at(0);
    expect(judge({ lastFireAt, usualDurationMs: 5 * 60_000, lastSuccessCreatedAt: at(-60), now: at(14) }).firing).toBe(false);
    expect(judge({ lastFireAt, usualDurationMs: 5 * 60_000, lastSuccessCreatedAt: at(-60), now: at(15) })).toMatchObject({ firing: true, summary: expect.stringContaining('due by') });
    expect(judge({ lastFireAt, usualDurationMs: 5 * 60_000, lastSuccessCreatedAt: at(0), now: at(30) }).firing).toBe(false);
    expect(judge({ lastFireAt: null, usualDurationMs: null, lastSuccessCreatedAt: null, now: at(30) }).firing).toBe(false);
  });
});

describe('STATUS_SWING', () => {
  const condition = parseAlertRule({ name: 'swing', kind: 'STATUS_SWING', windowMinutes: 60, minDelta: 0.2, minRuns: 20 }).condition;
  const judge = (current: { runs: number; matching: number }, baseline: { runs: number; matching: number }) =>
    observe(condition, { latest: [], window: null, durations: null, schedule: null, swing: { current, baseline }, anomalies: null, incidents: null });

  it('fires when the share departs from the same hours of past weeks by minDelta and is unlikely under them, and learns until the baseline holds minRuns', () => {
    expect(judge({ runs: 20, matching: 10 }, { runs: 80, matching: 8 })).toMatchObject({ firing: true, summary: expect.stringContaining('FAILED 50.0% of 20 runs in the last 60 min against 10.0%') });
    // A departure this large but on 3 runs is not unlikely enough.
    expect(judge({ runs: 3, matching: 2 }, { runs: 80, matching: 8 }).firing).toBe(false);
    // Unlikely but small: 14% against 10% on many runs.
    expect(judge({ runs: 2_000, matching: 280 }, { runs: 8_000, matching: 800 }).firing).toBe(false);
    expect(judge({ runs: 20, matching: 10 }, { runs: 19, matching: 0 })).toMatchObject({ firing: false, summary: expect.stringContaining('learning: 19 of 20') });
  });

  it('watches any status, a drop in SUCCEEDED too', () => {
    const successes = parseAlertRule({ name: 'fewer successes', kind: 'STATUS_SWING', statuses: ['SUCCEEDED'], windowMinutes: 60 }).condition;
    const observed = observe(successes, { latest: [], window: null, durations: null, schedule: null, swing: { current: { runs: 20, matching: 8 }, baseline: { runs: 80, matching: 76 } }, anomalies: null, incidents: null });
    expect(observed.firing).toBe(true);
  });
});
