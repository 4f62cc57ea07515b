import { FULL_VIEW } from '../_test/runs-views.ts';
import { DEFAULT_VIEW, parseRunsView, type RunsView } from './run-filters.ts';
import { parseAlertsView } from './alert-filters.ts';
import { alertsHref, DEFAULT_PERIOD, periodHref, periodOf, projectOf, projectScopeHref, runsHref, scopedHref } from './url-state.ts';

/** The page and parameters a written URL leads to, read back as the browser would. */
function follow(href: string): { pathname: string; params: URLSearchParams } {
  const url = new URL(href, 'http://runtrail.test');
  return { pathname: url.pathname, params: url.searchParams };
}

describe('runsHref', () => {
  it.each<[string, RunsView]>([
    ['the default view', DEFAULT_VIEW],
    ['a view with every filter, a custom range and a cursor', FULL_VIEW],
    ['a search and a cursor that need escaping', { ...FULL_VIEW, search: 'nightly build', after: 'cursor/a+b=' }],
    ['a preset range paged backwards', { ...DEFAULT_VIEW, statuses: ['SUCCEEDED'], range: '7d', before: 'cursor-b' }],
    ['one workflow of all projects', { ...DEFAULT_VIEW, workflowId: 'wf_9' }],
  ])('writes %s as a URL the runs page parses back to the same view', (_case, view) => {
    const { pathname, params } = follow(runsHref(view));

    expect(pathname).toBe('/runs');
    expect(parseRunsView(params)).toEqual(view);
  });

  it('writes the plain runs page for the default view and fills what a partial view leaves out with defaults', () => {
    expect(runsHref(DEFAULT_VIEW)).toBe('/runs');
    expect(parseRunsView(follow(runsHref({ projectId: 'prj_1', statuses: ['FAILED'], range: '24h' })).params)).toEqual({
      ...DEFAULT_VIEW,
      projectId: 'prj_1',
      statuses: ['FAILED'],
      range: '24h',
    });
  });
});

describe('scopedHref', () => {
  it('keeps the project on a link to another page, and writes none for all projects', () => {
    expect(projectOf(follow(scopedHref('/workflows', 'prj 1&2')).params)).toBe('prj 1&2');
    expect(scopedHref('/workflows', null)).toBe('/workflows');
  });
});

describe('projectScopeHref', () => {
  it('scopes the page to the project, keeps its other filters, and drops the workflow and the cursor', () => {
    const current = new URLSearchParams('status=FAILED&project=prj_1&workflow=wf_2&after=cursor-a&range=7d');

    const { pathname, params } = follow(projectScopeHref('/runs', current, 'prj_3'));

    expect(pathname).toBe('/runs');
    expect(projectOf(params)).toBe('prj_3');
    expect(parseRunsView(params)).toEqual({ ...DEFAULT_VIEW, statuses: ['FAILED'], range: '7d', projectId: 'prj_3' });
  });

  it('leaves the project out for all projects, and the query string when nothing is left', () => {
    expect(projectOf(follow(projectScopeHref('/', new URLSearchParams('project=prj_1&range=7d'), null)).params)).toBeNull();
    expect(projectScopeHref('/workflows', new URLSearchParams('project=prj_1'), null)).toBe('/workflows');
  });
});

describe('periodHref', () => {
  it('writes a period the dashboard reads back, keeping the project', () => {
    const { pathname, params } = follow(periodHref('/', new URLSearchParams('project=prj_1&range=24h'), '30d'));

    expect(pathname).toBe('/');
    expect(periodOf(params)).toBe('30d');
    expect(projectOf(params)).toBe('prj_1');
  });

  it('reads a missing or unknown period as the default', () => {
    expect(periodOf(new URLSearchParams(''))).toBe(DEFAULT_PERIOD);
    expect(periodOf(new URLSearchParams('range=fortnight'))).toBe(DEFAULT_PERIOD);
  });
});

describe('alertsHref', () => {
  it('writes a view the alerts page reads back, and the plain page for no filter', () => {
    const view = { states: ['FIRING' as const], projectId: 'prj_1', ruleId: 'rule_1' };
    const { pathname, params } = follow(alertsHref(view));
    expect(pathname).toBe('/alerts');
    expect(parseAlertsView(params)).toEqual(view);
    expect(alertsHref({})).toBe('/alerts');
  });

  it('drops the rule when the page is scoped to another project, since a rule belongs to one', () => {
    const { params } = follow(projectScopeHref('/alerts', new URLSearchParams('state=FIRING&project=prj_1&rule=rule_1'), 'prj_2'));
    expect(parseAlertsView(params)).toEqual({ states: ['FIRING'], projectId: 'prj_2', ruleId: null });
  });
});
