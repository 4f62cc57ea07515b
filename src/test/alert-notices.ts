import type { AlertNotice, NoticedAlert } from '../domain/alerts/alert-notice.ts';

/** A FIRING alert of rule `ruleName` on workflow `workflowName`, as the evaluator would notice it. */
export function firingAlert(ruleName: string, workflowName: string, overrides: Partial<NoticedAlert> = {}): NoticedAlert {
  return {
    instanceId: `ain_${ruleName}_${workflowName}`,
    ruleId: `arl_${ruleName}`,
    ruleName,
    ruleKind: 'CONSECUTIVE_FAILURES',
    workflowId: `wf_${workflowName}`,
    workflowName,
    state: 'FIRING',
    summary: '3 consecutive failures',
    firedAt: '2026-12-06T12:00:00.000Z',
    resolvedAt: null,
    runId: 'run_0001',
    ...overrides,
  };
}

/** A notice of project `payments` telling of these alerts. */
export function noticeOf(alerts: NoticedAlert[], type: AlertNotice['type'] = 'alert.firing'): AlertNotice {
  return { type, projectId: 'prj_1', projectName: 'payments', alerts, at: '2026-12-06T12:00:00.000Z' };
}
