import { ALERT_STATES, type AlertNotice, type AlertNoticeType, type AlertState, type NoticedAlert } from './alert-notice.ts';

const NOTICE_TYPES: readonly AlertNoticeType[] = ['alert.firing', 'alert.resolved', 'alert.flapping', 'alert.test'];

/** An outbox row's payload read back; a payload that is not a notice is an error naming what is wrong, never a default. */
export function parseAlertNotice(text: string): AlertNotice {
  const value = record(JSON.parse(text), 'notice');
  const type = NOTICE_TYPES.find((candidate) => candidate === value.type);
  if (!type) throw new Error(`A notification's type is not one of ${NOTICE_TYPES.join(', ')}: ${JSON.stringify(value.type)}`);
  if (!Array.isArray(value.alerts)) throw new Error('A notification has no list of alerts');
  return { type, projectId: stringField(value.projectId, 'projectId'), projectName: stringField(value.projectName, 'projectName'), at: stringField(value.at, 'at'), alerts: value.alerts.map(alertOf) };
}

function alertOf(item: unknown): NoticedAlert {
  const value = record(item, 'alert');
  const state = ALERT_STATES.find((candidate): candidate is AlertState => candidate === value.state);
  if (!state) throw new Error(`An alert's state is not one of ${ALERT_STATES.join(', ')}: ${JSON.stringify(value.state)}`);
  return {
    instanceId: stringField(value.instanceId, 'instanceId'),
    ruleId: stringField(value.ruleId, 'ruleId'),
    ruleName: stringField(value.ruleName, 'ruleName'),
    ruleKind: stringField(value.ruleKind, 'ruleKind'),
    workflowId: stringField(value.workflowId, 'workflowId'),
    workflowName: stringField(value.workflowName, 'workflowName'),
    state,
    summary: stringField(value.summary, 'summary'),
    firedAt: textOrNull(value.firedAt, 'firedAt'),
    resolvedAt: textOrNull(value.resolvedAt, 'resolvedAt'),
    runId: textOrNull(value.runId, 'runId'),
  };
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`A notification's ${what} is not an object`);
  return Object.fromEntries(Object.entries(value));
}

function stringField(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new Error(`A notification's ${field} is not a string: ${JSON.stringify(value)}`);
  return value;
}

function textOrNull(value: unknown, field: string): string | null {
  return value === null ? null : stringField(value, field);
}
