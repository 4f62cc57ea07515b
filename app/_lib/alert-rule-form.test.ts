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

  it('names every typed field that is not a number', () => {
    const result = ruleInputOf('p1', { ...EMPTY_RULE_FORM, id: 'r1', kind: 'FAILURE_RATE', windowMinutes: 'an hour', threshold: '0.2', groupWaitSeconds: 'x' });
    expect(result).toEqual({ ok: false, message: 'Window (minutes): “an hour” is not a number; Group wait (seconds): “x” is not a number' });
  });
});
