import { ALERT_STATES, type AlertNotice, type AlertNoticeType, type NoticedAlert } from './alert-notice.ts';

const NOTICE_TYPES: readonly AlertNoticeType[] = ['alert.firing', 'alert.resolved', 'alert.flapping', 'alert.test'];

/** A stored notice (AlertNotification.payload) read back, or an error saying what is wrong with it: never a made-up notice. */
export function alertNoticeOf(json: string, where: string): AlertNotice {
  const fields = objectFields(JSON.parse(json), `the notice of ${where}`);
  const type = NOTICE_TYPES.find((known) => known === fields.get('type'));
  const alerts = fields.get('alerts');
  if (type === undefined) throw new Error(`The notice of ${where} has no known type (${NOTICE_TYPES.join(', ')})`);
  if (!Array.isArray(alerts)) throw new Error(`The notice of ${where} has no list of alerts`);
  return {
    type,
    projectId: text(fields, 'projectId', where),
    projectName: text(fields, 'projectName', where),
    at: text(fields, 'at', where),
    alerts: alerts.map((alert: unknown, index) => noticedAlertOf(alert, `${where}, alert ${index}`)),
  };
}

function noticedAlertOf(value: unknown, where: string): NoticedAlert {
  const fields = objectFields(value, where);
  const state = ALERT_STATES.find((known) => known === fields.get('state'));
  if (state === undefined) throw new Error(`The alert of ${where} has no known state (${ALERT_STATES.join(', ')})`);
  return {
    instanceId: text(fields, 'instanceId', where),
    ruleId: text(fields, 'ruleId', where),
    ruleName: text(fields, 'ruleName', where),
    ruleKind: text(fields, 'ruleKind', where),
    workflowId: text(fields, 'workflowId', where),
    workflowName: text(fields, 'workflowName', where),
    state,
    summary: text(fields, 'summary', where),
    firedAt: textOrNull(fields, 'firedAt', where),
    resolvedAt: textOrNull(fields, 'resolvedAt', where),
    runId: textOrNull(fields, 'runId', where),
  };
}

function objectFields(value: unknown, where: string): Map<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${where} is not an object`);
  return new Map(Object.entries(value));
}

function text(fields: Map<string, unknown>, name: string, where: string): string {
  const value = fields.get(name);
  if (typeof value !== 'string') throw new Error(`${where} has no text "${name}"`);
  return value;
}

function textOrNull(fields: Map<string, unknown>, name: string, where: string): string | null {
  const value = fields.get(name);
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw new Error(`${where} has "${name}" that is not text`);
  return value;
}
