import type { RunStatus } from '../_gql/graphql.ts';
import { countsByStatus, durationAxisWidth, durationTick, pieSlices, statusesInTrend, successRate, trendRows } from './chart-data.ts';
import { RUN_STATUS_ORDER, RUN_STATUSES } from './statuses.ts';

describe('pieSlices', () => {
  it('draws one slice per status that has runs, in the status table order', () => {
    const slices = pieSlices([
      { status: 'FAILED', count: 3 },
      { status: 'QUEUED', count: 1 },
      { status: 'SUCCEEDED', count: 12 },
    ]);

    expect(slices.map((slice) => slice.status)).toEqual(['QUEUED', 'SUCCEEDED', 'FAILED']);
    expect(slices.map((slice) => slice.count)).toEqual([1, 12, 3]);
  });

  it('leaves out statuses with no runs', () => {
    const slices = pieSlices([
      { status: 'RUNNING', count: 0 },
      { status: 'ABORTED', count: 2 },
    ]);

    expect(slices.map((slice) => slice.status)).toEqual(['ABORTED']);
  });

  it('labels and colours each slice like the status badge', () => {
    const [slice] = pieSlices([{ status: 'PARTIALLY_SUCCEEDED', count: 5 }]);

    expect(slice).toEqual({ status: 'PARTIALLY_SUCCEEDED', label: RUN_STATUSES.PARTIALLY_SUCCEEDED.label, count: 5, color: RUN_STATUSES.PARTIALLY_SUCCEEDED.color });
  });

  it('has no slices when there are no runs', () => {
    expect(pieSlices([])).toEqual([]);
    expect(pieSlices([{ status: 'FAILED', count: 0 }])).toEqual([]);
  });
});

describe('countsByStatus', () => {
  it('has a number for every status, zero for those the answer left out', () => {
    const counts = countsByStatus([{ status: 'WAITING', count: 4 }]);

    expect(Object.keys(counts)).toEqual(RUN_STATUS_ORDER);
    expect(counts.WAITING).toBe(4);
    expect(RUN_STATUS_ORDER.filter((status) => status !== 'WAITING').every((status) => counts[status] === 0)).toBe(true);
  });
});

describe('trendRows and statusesInTrend', () => {
  const points = [
    { start: '2025-03-10T10:00:00.000Z', counts: [{ status: 'SUCCEEDED' as const, count: 7 }] },
    {
      start: '2025-03-10T11:00:00.000Z',
      counts: [
        { status: 'FAILED' as const, count: 2 },
        { status: 'RUNNING' as const, count: 1 },
      ],
    },
    { start: '2025-03-10T12:00:00.000Z', counts: [] },
  ];

  it('makes one row per bucket with its start in milliseconds and every status filled in', () => {
    const rows = trendRows(points);

    expect(rows.map((row) => row.start)).toEqual(points.map((point) => Date.parse(point.start)));
    expect(rows[1]).toMatchObject({ FAILED: 2, RUNNING: 1, SUCCEEDED: 0, QUEUED: 0 });
    expect(RUN_STATUS_ORDER.every((status) => rows[2]?.[status] === 0)).toBe(true);
  });

  it('lists in the legend only the statuses that occur, in the status table order', () => {
    expect(statusesInTrend(trendRows(points))).toEqual(['RUNNING', 'SUCCEEDED', 'FAILED']);
  });

  it('lists no statuses for an empty period', () => {
    expect(statusesInTrend(trendRows([{ start: '2025-03-10T10:00:00.000Z', counts: [] }]))).toEqual([]);
    expect(statusesInTrend([])).toEqual([]);
  });
});

describe('successRate', () => {
  it.each<[string, RunStatus[], number | null]>([
    ['no runs', [], null],
    ['only active runs', ['RUNNING', 'QUEUED', 'WAITING'], null],
    ['every finished run succeeded', ['SUCCEEDED', 'SUCCEEDED', 'RUNNING'], 1],
    ['one of four finished runs succeeded', ['SUCCEEDED', 'FAILED', 'ABORTED', 'PARTIALLY_SUCCEEDED', 'QUEUED'], 0.25],
    ['none succeeded', ['REJECTED', 'FAILED'], 0],
  ])('is the share of finished runs that succeeded when %s', (_case, statuses, expected) => {
    expect(successRate(statuses)).toBe(expected);
  });
});


describe('durationTick', () => {
  it.each([
    [0.25, '250 ms'],
    [7.5, '7.5 s'],
    [450, '7 min 30 s'],
    [600, '10 min'],
    [7200, '2 h'],
  ])('labels %d s as "%s"', (seconds, label) => {
    expect(durationTick(seconds)).toBe(label);
  });
});

describe('durationAxisWidth', () => {
  it('leaves room for the longest label the axis can show', () => {
    expect(durationAxisWidth(600)).toBeGreaterThanOrEqual('12 min 30 s'.length * 7.5);
  });

  it('stays narrow for short durations', () => {
    expect(durationAxisWidth(2)).toBeLessThan(durationAxisWidth(600));
  });
});
