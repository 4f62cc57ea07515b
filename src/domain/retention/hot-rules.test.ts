import { RUN_STATUSES, type RunStatus } from '../status.ts';
import { archiveBounds, boundsByStatus, hotReason, type HotReason, type RunPosition } from './hot-rules.ts';
import { DAY_MS, type RetentionPolicy } from './retention-policy.ts';

const CUTOFF = new Date('2026-12-01T00:00:00.000Z');
const POLICY: RetentionPolicy = { hotDays: 30, archiveDays: null, keepLastRuns: 3, keepFailedForDays: 90 };
const daysOld = (days: number) => new Date(CUTOFF.getTime() - days * DAY_MS);

describe('hotReason: why a run stays in the live store', () => {
  it.each<[string, RunStatus, number, number, HotReason | null]>([
    ['a running run stays whatever its age', 'RUNNING', 400, 10, 'ACTIVE'],
    ['a queued run stays whatever its age', 'QUEUED', 400, 10, 'ACTIVE'],
    ['a run waiting for approval stays whatever its age', 'WAITING', 400, 10, 'ACTIVE'],
    ['one of the latest keepLastRuns stays whatever its age', 'SUCCEEDED', 400, 2, 'LATEST_RUN'],
    ['the run just past the latest keepLastRuns moves when old', 'SUCCEEDED', 400, 3, null],
    ['a run younger than hotDays stays', 'SUCCEEDED', 29.9, 10, 'YOUNG'],
    ['a run exactly hotDays old still stays', 'SUCCEEDED', 30, 10, 'YOUNG'],
    ['a run a moment older than hotDays moves', 'SUCCEEDED', 30.00001, 10, null],
    ['a FAILED run younger than keepFailedForDays stays', 'FAILED', 89, 10, 'RECENT_FAILURE'],
    ['a FAILED run exactly keepFailedForDays old still stays', 'FAILED', 90, 10, 'RECENT_FAILURE'],
    ['a FAILED run a moment older than keepFailedForDays moves', 'FAILED', 90.00001, 10, null],
    ['an ABORTED run is not kept as a failure', 'ABORTED', 89, 10, null],
    ['a REJECTED run is not kept as a failure', 'REJECTED', 89, 10, null],
    ['a PARTIALLY_SUCCEEDED run is not kept as a failure', 'PARTIALLY_SUCCEEDED', 89, 10, null],
  ])('%s', (_sentence, status, age, newerRuns, expected) => {
    expect(hotReason({ status, createdAt: daysOld(age) }, newerRuns, POLICY, CUTOFF)).toBe(expected);
  });

  it('keeps FAILED runs by hotDays when keepFailedForDays is shorter', () => {
    const policy = { ...POLICY, hotDays: 30, keepFailedForDays: 7 };

    expect(hotReason({ status: 'FAILED', createdAt: daysOld(20) }, 10, policy, CUTOFF)).toBe('YOUNG');
    expect(hotReason({ status: 'FAILED', createdAt: daysOld(31) }, 10, policy, CUTOFF)).toBeNull();
  });

  it('with hotDays 0 moves every finished run but the kept ones', () => {
    const policy = { ...POLICY, hotDays: 0, keepLastRuns: 0, keepFailedForDays: 0 };

    expect(hotReason({ status: 'SUCCEEDED', createdAt: daysOld(0.001) }, 0, policy, CUTOFF)).toBeNull();
    expect(hotReason({ status: 'RUNNING', createdAt: daysOld(0.001) }, 0, policy, CUTOFF)).toBe('ACTIVE');
  });
});

describe('archiveBounds: the rules as ranges of a workflow’s runs', () => {
  const oldestKept: RunPosition = { createdAt: daysOld(45), id: 'run_kept' };

  it('ends at the hot edge when the kept runs are younger', () => {
    const kept = { createdAt: daysOld(2), id: 'run_recent' };

    expect(archiveBounds(POLICY, CUTOFF, kept)).toEqual({ before: { createdAt: daysOld(30), id: '' }, failedBefore: { createdAt: daysOld(90), id: '' } });
  });

  it('ends before the oldest kept run when it is older than the hot edge', () => {
    expect(archiveBounds(POLICY, CUTOFF, oldestKept)).toEqual({ before: oldestKept, failedBefore: { createdAt: daysOld(90), id: '' } });
  });

  it('never lets FAILED runs reach past the other bound', () => {
    const bounds = archiveBounds({ ...POLICY, keepFailedForDays: 10 }, CUTOFF, oldestKept);

    expect(bounds).toEqual({ before: oldestKept, failedBefore: oldestKept });
  });

  it('moves nothing of a workflow that has fewer runs than keepLastRuns', () => {
    expect(archiveBounds(POLICY, CUTOFF, null)).toBeNull();
  });

  it('ignores the kept runs when keepLastRuns is 0', () => {
    expect(archiveBounds({ ...POLICY, keepLastRuns: 0 }, CUTOFF, null)?.before).toEqual({ createdAt: daysOld(30), id: '' });
  });

  it('gives a range to every finished status and none to active ones', () => {
    const bounds = archiveBounds(POLICY, CUTOFF, oldestKept);
    const ranges = bounds ? boundsByStatus(bounds) : [];

    expect(ranges.map((range) => range.status)).toEqual(RUN_STATUSES.filter((status) => !['QUEUED', 'RUNNING', 'WAITING'].includes(status)));
    expect(ranges.find((range) => range.status === 'FAILED')?.before).toEqual({ createdAt: daysOld(90), id: '' });
    expect(ranges.find((range) => range.status === 'ABORTED')?.before).toEqual(oldestKept);
  });
});
