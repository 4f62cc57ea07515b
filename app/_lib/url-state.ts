/**
 * The state a user can share lives in the URL: the project scope (`project`), the dashboard's
 * period (`range`), the runs page's view (run-filters.ts encodes it) and the alerts page's
 * (alert-filters.ts). Every link and every navigation that changes them is built here, so no
 * page assembles a query string itself.
 */
import { alertsViewParams, type AlertsView } from './alert-filters.ts';
import { DEFAULT_VIEW, runsViewParams, type RunsView } from './run-filters.ts';
import { isRangePreset, type RangePreset } from './time-range.ts';

const PROJECT = 'project';
const PERIOD = 'range';
/** Parameters that name something inside one project: they mean nothing in the next. */
const PROJECT_BOUND = ['workflow', 'rule', 'after', 'before'] as const;

export const DEFAULT_PERIOD: RangePreset = '24h';

function hrefOf(pathname: string, params: URLSearchParams): string {
  const query = params.toString();
  return query ? `${pathname}?${query}` : pathname;
}

/** The project a page is scoped to; null: all the viewer's projects. */
export function projectOf(params: URLSearchParams): string | null {
  return params.get(PROJECT);
}

export function periodOf(params: URLSearchParams): RangePreset {
  const value = params.get(PERIOD) ?? DEFAULT_PERIOD;
  return isRangePreset(value) ? value : DEFAULT_PERIOD;
}

/** The runs page showing a view; what the view leaves out is the default. */
export function runsHref(view: Partial<RunsView>): string {
  return hrefOf('/runs', runsViewParams({ ...DEFAULT_VIEW, ...view }));
}

/** The alerts page showing a view; what the view leaves out is "any". */
export function alertsHref(view: Partial<AlertsView>): string {
  return hrefOf('/alerts', alertsViewParams({ states: [], projectId: null, ruleId: null, ...view }));
}

/** A link to another page that keeps the project scope. */
export function scopedHref(path: string, projectId: string | null): string {
  return hrefOf(path, new URLSearchParams(projectId ? { [PROJECT]: projectId } : {}));
}

/** The same page scoped to another project (null: all of them), starting over on its first page. */
export function projectScopeHref(pathname: string, current: URLSearchParams, projectId: string | null): string {
  const params = new URLSearchParams(current.toString());
  if (projectId) params.set(PROJECT, projectId);
  else params.delete(PROJECT);
  for (const name of PROJECT_BOUND) params.delete(name);
  return hrefOf(pathname, params);
}

/** The same page over another period. */
export function periodHref(pathname: string, current: URLSearchParams, period: RangePreset): string {
  const params = new URLSearchParams(current.toString());
  params.set(PERIOD, period);
  return hrefOf(pathname, params);
}
