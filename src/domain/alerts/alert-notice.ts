/** The states an alert instance goes through (Alertmanager's, plus INACTIVE before its first episode). */
export const ALERT_STATES = ['INACTIVE', 'PENDING', 'FIRING', 'RESOLVED'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/** What a notification tells of: alerts that began firing (or fire still: a reminder), that resolved, that began to flap (then nothing more until they settle), or a contact point's test. */
export type AlertNoticeType = 'alert.firing' | 'alert.resolved' | 'alert.flapping' | 'alert.test';

/** One alert instance in a notification. */
export interface NoticedAlert {
  instanceId: string;
  ruleId: string;
  ruleName: string;
  ruleKind: string;
  workflowId: string;
  workflowName: string;
  state: AlertState;
  /** What the rule found, in a sentence ("3 consecutive failures, the last run_… at 12:00"). */
  summary: string;
  /** When the instance fired; when it resolved (RESOLVED only). ISO 8601. */
  firedAt: string | null;
  resolvedAt: string | null;
  /** The run that made the rule fire or resolve, when one did. */
  runId: string | null;
}

/**
 * The body of an outbox row (AlertNotification.payload, as JSON): the alerts that changed within
 * one group wait of one rule, for one contact point. Each contact point's kind renders it its own
 * way (webhook JSON, Slack text, email).
 */
export interface AlertNotice {
  type: AlertNoticeType;
  projectId: string;
  projectName: string;
  alerts: NoticedAlert[];
  /** When the notice was made (its first alert's transition). ISO 8601. */
  at: string;
}
