import { FULL_VIEW } from '../_test/runs-views.ts';
import { DEFAULT_VIEW, parseRunsView, runFilterOf, runsViewParams, toggled, withFilter, type RunsView } from './run-filters.ts';

const NOW = Date.parse('2025-03-10T12:00:00.000Z');
const HOUR_MS = 60 * 60 * 1000;

function parse(query: string): RunsView {
  return parseRunsView(new URLSearchParams(query));
}

describe('parseRunsView', () => {
  it('reads the plain URL as the default view', () => {
    expect(parse('')).toEqual(DEFAULT_VIEW);
  });

  it('keeps the statuses and triggers it knows and drops the rest', () => {
    const view = parse('status=FAILED,BOGUS,succeeded,,RUNNING&trigger=API,CRON');

    expect(view.statuses).toEqual(['RUNNING', 'FAILED']);
    expect(view.triggers).toEqual(['API']);
  });

  it('lists statuses and triggers in the table order whatever order the URL has', () => {
    const view = parse('status=REJECTED,QUEUED,SUCCEEDED&trigger=API,SCHEDULER');

    expect(view.statuses).toEqual(['QUEUED', 'SUCCEEDED', 'REJECTED']);
    expect(view.triggers).toEqual(['SCHEDULER', 'API']);
  });

  it.each([
    ['an unknown range', 'range=fortnight'],
    ['a custom range without dates', 'range=custom'],
    ['a custom range whose dates do not parse', 'range=custom&from=yesterday&to=soon'],
  ])('falls back to any time for %s', (_case, query) => {
    const view = parse(query);

    expect(view.range).toBe('all');
    expect(view.from).toBeNull();
    expect(view.to).toBeNull();
  });

  it('ignores from and to unless the range is custom', () => {
    const view = parse('range=24h&from=2025-03-01T00:00:00.000Z');

    expect(view).toMatchObject({ range: '24h', from: null, to: null });
  });

  it('keeps a custom range with only one valid end', () => {
    const view = parse('range=custom&from=2025-03-01T00:00:00.000Z&to=nonsense');

    expect(view).toMatchObject({ range: 'custom', from: '2025-03-01T00:00:00.000Z', to: null });
  });
});

describe('runsViewParams', () => {
  it('leaves the default view out of the URL entirely', () => {
    expect(runsViewParams(DEFAULT_VIEW).toString()).toBe('');
  });

  it('writes only what differs from the defaults', () => {
    const params = runsViewParams({ ...DEFAULT_VIEW, statuses: ['FAILED'], search: '  ' });

    expect([...params.keys()]).toEqual(['status']);
  });

  it.each<[string, RunsView]>([
    ['every filter set', FULL_VIEW],
    ['a preset range and the backward cursor', { ...DEFAULT_VIEW, range: '7d', before: 'cursor-b' }],
    ['one status', { ...DEFAULT_VIEW, statuses: ['WAITING'] }],
  ])('reads back the same view after a round trip through the URL (%s)', (_case, view) => {
    const url = `/runs?${runsViewParams(view).toString()}`;

    expect(parseRunsView(new URL(url, 'http://localhost').searchParams)).toEqual(view);
  });
});

describe('withFilter', () => {
  it('drops both paging cursors when a filter changes, so the list starts on its first page', () => {
    const paged: RunsView = { ...FULL_VIEW, after: 'cursor-a', before: 'cursor-b' };

    const changed = withFilter(paged, { statuses: ['SUCCEEDED'] });

    expect(changed).toEqual({ ...paged, statuses: ['SUCCEEDED'], after: null, before: null });
    expect(runsViewParams(changed).has('after')).toBe(false);
    expect(runsViewParams(changed).has('before')).toBe(false);
  });
});

describe('toggled', () => {
  it('adds a value that is missing and removes one that is there', () => {
    expect(toggled(['FAILED'], 'RUNNING')).toEqual(['FAILED', 'RUNNING']);
    expect(toggled(['FAILED', 'RUNNING'], 'FAILED')).toEqual(['RUNNING']);
  });
});

describe('runFilterOf', () => {
  it('asks for every run when the view is the default', () => {
    expect(runFilterOf(DEFAULT_VIEW, NOW)).toEqual({});
  });

  it.each([
    ['1h', HOUR_MS],
    ['24h', 24 * HOUR_MS],
    ['7d', 7 * 24 * HOUR_MS],
    ['30d', 30 * 24 * HOUR_MS],
  ] as const)('turns the %s preset into createdAfter reaching back from now', (range, span) => {
    const filter = runFilterOf({ ...DEFAULT_VIEW, range }, NOW);

    expect(filter).toEqual({ createdAfter: new Date(NOW - span).toISOString() });
  });

  it('passes a custom range through as createdAfter and createdBefore', () => {
    const filter = runFilterOf({ ...DEFAULT_VIEW, range: 'custom', from: '2025-03-01T00:00:00.000Z', to: '2025-03-02T00:00:00.000Z' }, NOW);

    expect(filter).toEqual({ createdAfter: '2025-03-01T00:00:00.000Z', createdBefore: '2025-03-02T00:00:00.000Z' });
  });

  it('maps the other filters to lists and trims the search', () => {
    const filter = runFilterOf({ ...FULL_VIEW, range: 'all', search: '  nightly ' }, NOW);

    expect(filter).toEqual({ statuses: ['RUNNING', 'FAILED'], triggers: ['SCHEDULER', 'API'], projectIds: ['prj_1'], workflowIds: ['wf_2'], search: 'nightly' });
  });
});
