import type { AlertNotice } from './alert-notice.ts';
import { alertDetails, alertName, noticeTitle } from './notice-title.ts';

/** Alerts listed one per line in a Slack message or an email; the rest are counted ("and 12 more"). */
export const LISTED_ALERTS_MAX = 20;
// Slack refuses a section whose text is over 3000 characters.
const SLACK_SECTION_MAX_CHARS = 3_000;

/**
 * The body of a webhook, in the Standard Webhooks payload shape: the notice's `type`, its
 * `timestamp`, and the notice itself in `data`.
 */
export function renderWebhookBody(notice: AlertNotice): string {
  const { type, at, ...data } = notice;
  return JSON.stringify({ type, timestamp: at, data });
}

export interface SlackMessage {
  /** The fallback text (notifications, clients without blocks). */
  text: string;
  blocks: ({ type: 'header'; text: { type: 'plain_text'; text: string } } | { type: 'section'; text: { type: 'mrkdwn'; text: string } })[];
}

/** A Slack-compatible incoming webhook message: the title, then one line per alert. */
export function renderSlackMessage(notice: AlertNotice): SlackMessage {
  const title = noticeTitle(notice);
  const lines = listedLines(notice, (alert) => `• *${slackEscape(alertName(alert))}* (${alert.state}): ${slackEscape(alert.summary)}${detailsSuffix(alertDetails(alert))}`);
  const body = lines.length > 0 ? lines.join('\n') : 'This contact point works: Runtrail can reach it.';
  return {
    text: title,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: body.length > SLACK_SECTION_MAX_CHARS ? `${body.slice(0, SLACK_SECTION_MAX_CHARS - 1)}…` : body } },
    ],
  };
}

export interface EmailMessage {
  subject: string;
  text: string;
}

/** An email: the title as its subject, one paragraph per alert in its plain-text body. */
export function renderEmail(notice: AlertNotice): EmailMessage {
  const lines = listedLines(notice, (alert) => `- ${alertName(alert)} (${alert.state}): ${alert.summary}${detailsSuffix(alertDetails(alert))}`);
  const intro = notice.type === 'alert.test' ? 'This contact point works: Runtrail can reach it.' : `Project ${notice.projectName}, ${notice.at}:`;
  return { subject: noticeTitle(notice), text: [intro, '', ...lines, '', '-- Runtrail'].join('\n') };
}

function listedLines(notice: AlertNotice, line: (alert: AlertNotice['alerts'][number]) => string): string[] {
  const lines = notice.alerts.slice(0, LISTED_ALERTS_MAX).map(line);
  const more = notice.alerts.length - LISTED_ALERTS_MAX;
  return more > 0 ? [...lines, `and ${more} more`] : lines;
}

function detailsSuffix(details: string): string {
  return details.length > 0 ? ` (${details})` : '';
}

// Slack's mrkdwn reads these three as markup.
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
