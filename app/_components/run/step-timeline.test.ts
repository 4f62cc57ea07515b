import { timelineBars, type TimelineStep } from './step-timeline.tsx';

const T0 = Date.parse('2025-03-10T12:00:00.000Z');

function at(seconds: number): string {
  return new Date(T0 + seconds * 1000).toISOString();
}

function step(id: string, startedAt: string | null, finishedAt: string | null, status: TimelineStep['status'] = 'SUCCEEDED'): TimelineStep {
  return { id, name: id, status, startedAt, finishedAt };
}

describe('timelineBars', () => {
  it('places finished steps in percent of the run span, from the first start to the last end', () => {
    const bars = timelineBars([step('build', at(0), at(30)), step('test', at(30), at(100))], T0 + 500_000);

    expect(bars.get('build')).toEqual({ left: 0, width: 30, ms: 30_000 });
    expect(bars.get('test')).toEqual({ left: 30, width: 70, ms: 70_000 });
  });

  it('draws a running step up to now and stretches the span to it', () => {
    const bars = timelineBars([step('build', at(0), at(20)), step('deploy', at(20), null, 'RUNNING')], T0 + 80_000);

    expect(bars.get('build')).toEqual({ left: 0, width: 25, ms: 20_000 });
    expect(bars.get('deploy')).toEqual({ left: 25, width: 75, ms: 60_000 });
  });

  it('gives steps that have not started no bar', () => {
    const bars = timelineBars([step('build', at(0), at(10)), step('publish', null, null, 'NOT_STARTED')], T0 + 60_000);

    expect([...bars.keys()]).toEqual(['build']);
    expect(bars.get('build')).toMatchObject({ left: 0, width: 100 });
  });

  it('keeps an instant step visible as a sliver', () => {
    const bars = timelineBars([step('noop', at(5), at(5)), step('work', at(0), at(100))], T0 + 200_000);

    expect(bars.get('noop')).toEqual({ left: 5, width: 0.5, ms: 0 });
  });

  it('draws nothing when no step has started', () => {
    expect(timelineBars([step('build', null, null, 'NOT_STARTED')], T0).size).toBe(0);
    expect(timelineBars([], T0).size).toBe(0);
  });

  it('does not divide by zero when the only step started and ended at once', () => {
    const bars = timelineBars([step('noop', at(0), at(0))], T0);

    expect(bars.get('noop')).toEqual({ left: 0, width: 0.5, ms: 0 });
  });
});
