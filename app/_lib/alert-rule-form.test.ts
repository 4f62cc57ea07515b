import { EMPTY_RULE_FORM, ruleInputOf } from './alert-rule-form.ts';

describe('the alert rule editor', () => {
  it('sends only the fields of the rule kind, leaving empty ones to the server defaults', () => {
    const result = ruleInputOf('p1', { ...EMPTY_RULE_FORM, name: 'streak', kind: 'CONSECUTIVE_FAILURES', count: '4', threshold: '0.5', forSeconds: '' });
    expect(result).toEqual({
      ok: true,
      input: { projectId: 'p1', name: 'streak', kind: 'CONSECUTIVE_FAILURES', workflowIds: [], statuses: ['FAILED'], triggers: [], contactPointIds: [], enabled: true, count: 4 },
    });
  });

  it('sends the failure rate fields, the resolve threshold among them', () => {
    const result = ruleInputOf('p1', { ...EMPTY_RULE_FORM, name: 'rate', kind: 'FAILURE_RATE', resolveThreshold: '0.1', count: '9' });
    expect(result).toEqual({
      ok: true,
      input: { projectId: 'p1', name: 'rate', kind: 'FAILURE_RATE', workflowIds: [], statuses: ['FAILED'], triggers: [], contactPointIds: [], enabled: true, windowMinutes: 60, threshold: 0.2, resolveThreshold: 0.1 },
    });
  });

  it('sends a duration rule’s factor and limit, and a missing-success rule’s grace', () => {
    expect(ruleInputOf('p1', { ...EMPTY_RULE_FORM, name: 'slow', kind: 'DURATION_OVER', limitSeconds: '600', graceMinutes: '5' })).toMatchObject({ ok: true, input: { kind: 'DURATION_OVER', factor: 1.5, limitSeconds: 600 } });
    const missing = ruleInputOf('p1', { ...EMPTY_RULE_FORM, name: 'missing', kind: 'MISSING_SUCCESS', graceMinutes: '30' });
    expect(missing).toMatchObject({ ok: true, input: { kind: 'MISSING_SUCCESS', graceMinutes: 30 } });
    expect(missing.ok && 'factor' in missing.input).toBe(false);
  });

  it('names every typed field that is not a number', () => {
    const result = ruleInputOf('p1', { ...EMPTY_RULE_FORM, id: 'r1', kind: 'FAILURE_RATE', windowMinutes: 'an hour', threshold: '0.2', groupWaitSeconds: 'x' });
    expect(result).toEqual({ ok: false, message: 'Window (minutes): “an hour” is not a number; Group wait (seconds): “x” is not a number' });
  });
});
