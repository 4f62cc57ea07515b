import type { AlertNotice, NoticedAlert } from './alert-notice.ts';

const NOTICE_LABELS = { 'alert.firing': 'FIRING', 'alert.resolved': 'RESOLVED', 'alert.flapping': 'FLAPPING (muted until it settles)' } as const;

/** A notice in one line, the same in every kind: `[FIRING:2] payments: 2 alerts`, `[RESOLVED] payments: failures on nightly`, `[FLAPPING (muted until it settles)] payments: …`. */
export function noticeTitle(notice: AlertNotice): string {
  if (notice.type === 'alert.test') return `[TEST] ${notice.projectName}: a test notice from Runtrail`;
  const label = NOTICE_LABELS[notice.type];
  const [only] = notice.alerts;
  const what = notice.alerts.length === 1 && only ? alertName(only) : `${notice.alerts.length} alerts`;
  return `[${label}${notice.alerts.length === 1 ? '' : `:${notice.alerts.length}`}] ${notice.projectName}: ${what}`;
}

/** `rule on workflow`. */
export function alertName(alert: NoticedAlert): string {
  return `${alert.ruleName} on ${alert.workflowName}`;
}

/** When it fired or resolved and by which run, for the line of one alert. */
export function alertDetails(alert: NoticedAlert): string {
  const parts = [
    alert.firedAt === null ? null : `fired ${alert.firedAt}`,
    alert.resolvedAt === null ? null : `resolved ${alert.resolvedAt}`,
    alert.runId === null ? null : `run ${alert.runId}`,
  ];
  return parts.filter((part) => part !== null).join(', ');
}
