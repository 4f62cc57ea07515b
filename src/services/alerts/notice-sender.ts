import nodemailer, { type SendMailOptions } from 'nodemailer';
import { Webhook } from 'standardwebhooks';
import type { AlertNotice } from '../../domain/alerts/alert-notice.ts';
import type { ContactPointSettings, EmailSettings } from '../../domain/alerts/contact-point.ts';
import { renderEmail, renderSlackMessage, renderWebhookBody } from '../../domain/alerts/notice-renderers.ts';
import type { DeliveryResult } from './delivery-result.ts';
import { errorText, postJson } from './http-post.ts';
import type { TargetGuard } from './target-guard.ts';

/** One attempt to deliver: the notification's id (the webhook-id, the email's Message-ID), its notice, and when. */
export interface Outgoing {
  id: string;
  notice: AlertNotice;
  at: Date;
}

/** A report as a contact point gets it: the webhook's JSON (with links), the email's parts, a Slack line. */
export interface ReportMessage {
  id: string;
  at: Date;
  subject: string;
  text: string;
  /** The email's HTML body (the report's HTML format), or null for a text-only email. */
  html: string | null;
  attachments: { filename: string; contentType: string; content: Buffer }[];
  webhookBody: string;
}

/**
 * Sends a notice to a contact point the way its kind wants: a WEBHOOK signed per Standard Webhooks,
 * a Slack-compatible message, or an email over SMTP. Each attempt ends within `timeoutMs`.
 */
export class NoticeSender {
  /** `guard`: where webhooks and Slack messages may not go (null: anywhere, ALERT_ALLOW_PRIVATE_TARGETS). */
  constructor(private readonly settings: { timeoutMs: number; guard: TargetGuard | null }) {}

  /** `secret`: the contact point's secret in the clear (a webhook's signing key, an SMTP password), or null. */
  send(contactPoint: ContactPointSettings, secret: string | null, outgoing: Outgoing): Promise<DeliveryResult> {
    switch (contactPoint.kind) {
      case 'WEBHOOK':
        return this.sendWebhook(contactPoint.url, secret, outgoing);
      case 'SLACK':
        return postJson(contactPoint.url, JSON.stringify(renderSlackMessage(outgoing.notice)), {}, this.settings.timeoutMs, this.settings.guard);
      case 'EMAIL':
        return this.sendEmail(contactPoint, secret, outgoing);
    }
  }

  /** Sends a generated report the way the contact point's kind wants, signed and bounded as notices are. */
  sendReport(contactPoint: ContactPointSettings, secret: string | null, message: ReportMessage): Promise<DeliveryResult> {
    switch (contactPoint.kind) {
      case 'WEBHOOK':
        return this.postSigned(contactPoint.url, secret, message.id, message.at, message.webhookBody);
      case 'SLACK':
        return postJson(contactPoint.url, JSON.stringify({ text: `${message.subject}\n${message.text}` }), {}, this.settings.timeoutMs, this.settings.guard);
      case 'EMAIL':
        return this.mail(contactPoint, secret, {
          subject: message.subject,
          text: message.text,
          ...(message.html === null ? {} : { html: message.html }),
          // The charts are data: URLs, which Gmail and Outlook do not show: sent as inline cid: parts instead.
          attachDataUrls: true,
          attachments: message.attachments,
          messageId: `<${message.id}@runtrail>`,
        });
    }
  }

  private async sendWebhook(url: string, secret: string | null, outgoing: Outgoing): Promise<DeliveryResult> {
    return this.postSigned(url, secret, outgoing.id, outgoing.at, renderWebhookBody(outgoing.notice));
  }

  private async postSigned(url: string, secret: string | null, id: string, at: Date, body: string): Promise<DeliveryResult> {
    if (secret === null) return { ok: false, statusCode: null, error: 'The webhook has no signing key; save the contact point again with its secret' };
    const timestamp = new Date(Math.floor(at.getTime() / 1000) * 1000);
    const headers = {
      'webhook-id': id,
      'webhook-timestamp': String(timestamp.getTime() / 1000),
      'webhook-signature': new Webhook(secret).sign(id, timestamp, body),
    };
    return postJson(url, body, headers, this.settings.timeoutMs, this.settings.guard);
  }

  private async sendEmail(settings: EmailSettings, password: string | null, outgoing: Outgoing): Promise<DeliveryResult> {
    const message = renderEmail(outgoing.notice);
    return this.mail(settings, password, { subject: message.subject, text: message.text, messageId: `<${outgoing.id}@runtrail>` });
  }

  private async mail(settings: EmailSettings, password: string | null, content: SendMailOptions): Promise<DeliveryResult> {
    const transport = nodemailer.createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      ...(settings.user === null ? {} : { auth: { user: settings.user, pass: password ?? '' } }),
      connectionTimeout: this.settings.timeoutMs,
      greetingTimeout: this.settings.timeoutMs,
      socketTimeout: this.settings.timeoutMs,
    });
    // nodemailer's timeouts bound each phase; a server that answers slowly at every phase is bounded here.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<DeliveryResult>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, statusCode: null, error: `No answer within ${this.settings.timeoutMs} ms` }), this.settings.timeoutMs);
    });
    const subject = settings.subjectPrefix === null || content.subject === undefined ? content.subject : `${settings.subjectPrefix} ${content.subject}`;
    const sending = transport.sendMail({ ...content, subject, from: settings.from, to: settings.to }).then(
      (info): DeliveryResult => ({ ok: true, statusCode: replyCode(info.response), error: null }),
      (error: unknown): DeliveryResult => ({ ok: false, statusCode: typeof error === 'object' && error !== null && 'responseCode' in error && typeof error.responseCode === 'number' ? error.responseCode : null, error: errorText(error) }),
    );
    try {
      return await Promise.race([sending, timeout]);
    } finally {
      clearTimeout(timer);
      transport.close();
    }
  }
}

/** The code of an SMTP reply ("250 OK: queued as …"), or null when it has none. */
function replyCode(response: string): number | null {
  const match = /^(\d{3})\b/.exec(response);
  return match?.[1] ? Number(match[1]) : null;
}
