/**
 * The runs page's filter lives in the URL, so a view can be shared and the back button works.
 * This module is the codec of those parameters; url-state.ts builds the URLs that carry them.
 */
import type { RunFilter, RunStatus, RunTrigger } from '../_gql/graphql.ts';
import { isRunStatus, RUN_STATUS_ORDER } from './statuses.ts';
import { isRangePreset, presetRange, type RangePreset } from './time-range.ts';
import { isRunTrigger, RUN_TRIGGER_ORDER } from './triggers.ts';

export interface RunsView {
  statuses: RunStatus[];
  triggers: RunTrigger[];
  /** A preset, or 'custom' with from/to, or 'all' for no time limit. */
  range: RangePreset | 'custom' | 'all';
  from: string | null;
  to: string | null;
  projectId: string | null;
  workflowId: string | null;
  search: string;
  /** Paging: a cursor and its direction. */
  after: string | null;
  before: string | null;
}

export const DEFAULT_VIEW: RunsView = { statuses: [], triggers: [], range: 'all', from: null, to: null, projectId: null, workflowId: null, search: '', after: null, before: null };

function list(params: URLSearchParams, name: string): string[] {
  return (params.get(name) ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '');
}

function validDate(value: string | null): string | null {
  return value && !Number.isNaN(Date.parse(value)) ? value : null;
}

/** Reads a view from URL parameters, ignoring what it does not understand. */
export function parseRunsView(params: URLSearchParams): RunsView {
  const statuses = list(params, 'status').filter(isRunStatus);
  const range = params.get('range') ?? 'all';
  const from = validDate(params.get('from'));
  const to = validDate(params.get('to'));
  return {
    statuses: RUN_STATUS_ORDER.filter((status) => statuses.includes(status)),
    triggers: RUN_TRIGGER_ORDER.filter((trigger) => list(params, 'trigger').filter(isRunTrigger).includes(trigger)),
    range: isRangePreset(range) ? range : range === 'custom' && (from || to) ? 'custom' : 'all',
    from: range === 'custom' ? from : null,
    to: range === 'custom' ? to : null,
    projectId: params.get('project'),
    workflowId: params.get('workflow'),
    search: params.get('q') ?? '',
    after: params.get('after'),
    before: params.get('before'),
  };
}

/** The URL parameters of a view: defaults are left out, so the plain URL is the plain view. */
export function runsViewParams(view: RunsView): URLSearchParams {
  const params = new URLSearchParams();
  if (view.statuses.length > 0) params.set('status', view.statuses.join(','));
  if (view.triggers.length > 0) params.set('trigger', view.triggers.join(','));
  if (view.range !== 'all') params.set('range', view.range);
  if (view.range === 'custom') {
    if (view.from) params.set('from', view.from);
    if (view.to) params.set('to', view.to);
  }
  if (view.projectId) params.set('project', view.projectId);
  if (view.workflowId) params.set('workflow', view.workflowId);
  if (view.search.trim()) params.set('q', view.search.trim());
  if (view.after) params.set('after', view.after);
  if (view.before) params.set('before', view.before);
  return params;
}

/** A change of filter starts over on the first page. */
export function withFilter(view: RunsView, change: Partial<Omit<RunsView, 'after' | 'before'>>): RunsView {
  return { ...view, ...change, after: null, before: null };
}

export function toggled<T>(values: readonly T[], value: T): T[] {
  return values.includes(value) ? values.filter((each) => each !== value) : [...values, value];
}

/** The GraphQL filter of a view, with presets resolved against `now`. */
export function runFilterOf(view: RunsView, now: number): RunFilter {
  const filter: RunFilter = {};
  if (view.statuses.length > 0) filter.statuses = view.statuses;
  if (view.triggers.length > 0) filter.triggers = view.triggers;
  if (view.projectId) filter.projectIds = [view.projectId];
  if (view.workflowId) filter.workflowIds = [view.workflowId];
  if (view.search.trim()) filter.search = view.search.trim();
  if (view.range === 'custom') {
    if (view.from) filter.createdAfter = new Date(view.from).toISOString();
    if (view.to) filter.createdBefore = new Date(view.to).toISOString();
  } else if (view.range !== 'all') {
    filter.createdAfter = presetRange(view.range, now).from.toISOString();
  }
  return filter;
}
