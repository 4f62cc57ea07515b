/**
 * The alerts page's filter lives in the URL (`state`, `project`, `rule`), so a view can be shared
 * and the header's firing count can link to it. This module is the codec of those parameters.
 */
import type { AlertFilter, AlertState } from '../_gql/graphql.ts';

export interface AlertsView {
  states: AlertState[];
  projectId: string | null;
  ruleId: string | null;
}

/** The states the page offers, in the order the server lists alerts. */
export const ALERT_STATE_ORDER: readonly AlertState[] = ['FIRING', 'PENDING', 'RESOLVED'];

export const ALERT_STATE_LABELS: Record<AlertState, string> = { FIRING: 'Firing', PENDING: 'Pending', RESOLVED: 'Resolved', INACTIVE: 'Inactive' };

function isAlertState(value: string): value is AlertState {
  return value === 'FIRING' || value === 'PENDING' || value === 'RESOLVED' || value === 'INACTIVE';
}

/** Reads a view from URL parameters, ignoring states it does not know. */
export function parseAlertsView(params: URLSearchParams): AlertsView {
  const states = (params.get('state') ?? '').split(',').filter(isAlertState);
  return {
    states: ALERT_STATE_ORDER.filter((state) => states.includes(state)),
    projectId: params.get('project'),
    ruleId: params.get('rule'),
  };
}

/** The URL parameters of a view; what is left out is "any". */
export function alertsViewParams(view: AlertsView): URLSearchParams {
  const params = new URLSearchParams();
  if (view.states.length > 0) params.set('state', view.states.join(','));
  if (view.projectId) params.set('project', view.projectId);
  if (view.ruleId) params.set('rule', view.ruleId);
  return params;
}

export function alertFilterOf(view: AlertsView): AlertFilter {
  const filter: AlertFilter = {};
  if (view.states.length > 0) filter.states = view.states;
  if (view.projectId) filter.projectIds = [view.projectId];
  if (view.ruleId) filter.ruleIds = [view.ruleId];
  return filter;
}
