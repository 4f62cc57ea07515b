import { alertFilterOf, alertsViewParams, parseAlertsView } from './alert-filters.ts';

describe('the alerts view in the URL', () => {
  it('reads states in the page order, ignoring unknown ones, and writes them back', () => {
    const view = parseAlertsView(new URLSearchParams('state=RESOLVED,bogus,FIRING&project=p1&rule=r1'));
    expect(view).toEqual({ states: ['FIRING', 'RESOLVED'], projectId: 'p1', ruleId: 'r1' });
    expect(alertsViewParams(view).toString()).toBe('state=FIRING%2CRESOLVED&project=p1&rule=r1');
    expect(alertFilterOf(view)).toEqual({ states: ['FIRING', 'RESOLVED'], projectIds: ['p1'], ruleIds: ['r1'] });
  });

  it('leaves out what is not narrowed', () => {
    const view = parseAlertsView(new URLSearchParams(''));
    expect(alertsViewParams(view).toString()).toBe('');
    expect(alertFilterOf(view)).toEqual({});
  });
});
