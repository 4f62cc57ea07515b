import { durationEpisodes, trendMarkers, type AnomalyLike } from './anomaly-markers.ts';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-12-07T00:00:00Z');
const at = (ms: number) => new Date(ms).toISOString();

function anomaly(overrides: Partial<AnomalyLike>): AnomalyLike {
  return { id: 'anm_1', kind: 'DURATION_SPIKE', projectId: 'prj_1', workflowId: 'wf_1', step: null, start: at(T0), end: null, ...overrides };
}

describe('trendMarkers', () => {
  const buckets = [T0, T0 + HOUR, T0 + 2 * HOUR];

  it('marks the bucket each anomaly began in, and links to its workflow runs while it lasted (from an hour before, for runs already going)', () => {
    const [marker] = trendMarkers(buckets, [anomaly({ start: at(T0 + HOUR + 5 * 60_000), end: at(T0 + 2 * HOUR) })]);
    expect(marker).toMatchObject({ x: T0 + HOUR, label: 'Slower than usual' });
    const link = new URLSearchParams(marker?.href.split('?')[1]);
    expect(Object.fromEntries(link)).toMatchObject({ project: 'prj_1', workflow: 'wf_1', range: 'custom', from: at(T0 + 5 * 60_000), to: at(T0 + 2 * HOUR) });
  });

  it('puts anomalies that began in one bucket on one marker that says how many, and one older than the chart on its first bucket', () => {
    const markers = trendMarkers(buckets, [
      anomaly({ id: 'a', start: at(T0 + 2 * HOUR + 1), kind: 'FAILURE_BURST' }),
      anomaly({ id: 'b', start: at(T0 + 2 * HOUR + 2), kind: 'LEVEL_SHIFT' }),
      anomaly({ id: 'c', start: at(T0 - 5 * HOUR) }),
    ]);
    expect(markers.map(({ x, label }) => ({ x, label }))).toEqual([
      { x: T0 + 2 * HOUR, label: '2 anomalies: Burst of failures, Success rate fell' },
      { x: T0, label: 'Slower than usual' },
    ]);
  });

  it('marks nothing on an empty chart', () => {
    expect(trendMarkers([], [anomaly({})])).toEqual([]);
  });
});

describe('durationEpisodes', () => {
  const runs = [0, 1, 2, 3, 4].map((index) => ({ id: `run_${index}`, createdAt: at(T0 + index * HOUR), durationMs: 60_000 }));

  it('spans the runs that finished while the workflow was slow, and leaves step and other kinds out', () => {
    const episodes = durationEpisodes(runs, [
      anomaly({ start: at(T0 + HOUR + 60_000), end: at(T0 + 3 * HOUR + 60_000) }),
      anomaly({ id: 'step', step: 'build' }),
      anomaly({ id: 'burst', kind: 'FAILURE_BURST' }),
    ]);
    expect(episodes.map(({ firstRunId, lastRunId }) => [firstRunId, lastRunId])).toEqual([['run_1', 'run_3']]);
  });

  it('runs an open episode to the latest run, and shows none that covers no run shown', () => {
    expect(durationEpisodes(runs, [anomaly({ start: at(T0 + 4 * HOUR) })]).map(({ firstRunId, lastRunId }) => [firstRunId, lastRunId])).toEqual([['run_4', 'run_4']]);
    expect(durationEpisodes(runs, [anomaly({ start: at(T0 + 9 * HOUR) })])).toEqual([]);
  });
});
