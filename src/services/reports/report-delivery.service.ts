import type { Logger } from 'pino';
import type { Clock } from '../../domain/clock.ts';
import { copyScopeOf, periodRuleOf, reportFileUrl, type ReportDefinitionRecord, type ReportRecipientRecord, type ReportRecord } from '../../domain/reports/report-definition.ts';
import { reportPeriodOf } from '../../domain/reports/report-period.ts';
import type { ContactPointRecord } from '../../domain/alerts/contact-point.ts';
import type { ReportFormat } from '../../domain/reports/report-content.ts';
import type { ContactPointRepository } from '../../repositories/contact-point.repository.ts';
import type { ReportRepository } from '../../repositories/report.repository.ts';
import type { UserRepository } from '../../repositories/user.repository.ts';
import { errorText } from '../alerts/http-post.ts';
import type { NoticeSender, ReportMessage } from '../alerts/notice-sender.ts';
import type { SecretBox } from '../alerts/secret-box.ts';

export interface ReportDeliverySettings {
  /** A delivery in progress holds its report this long; a process that died mid-delivery leaves it to be tried after. */
  claimMs: number;
  /** Tries before a report's delivery is given up (FAILED). */
  maxTries: number;
  /** The first retry waits this long, each later one twice as long. */
  retryBaseMs: number;
  batchSize: number;
}

/**
 * Delivers generated reports through their definition's contact points, as the alerts deliver
 * notices (src/services/alerts/notice-sender.ts): an email with the HTML report inline and the
 * other formats attached, a signed webhook with the totals and a link to each format, a Slack line.
 * Each recipient of the definition with an email address is mailed their own copy (only the
 * projects they could read when it was generated) through the SMTP server of the definition's
 * first EMAIL contact point; a recipient who cannot be mailed is recorded SKIPPED with why.
 * A report is claimed before it is sent, so two leaders never send it at once; a failed delivery
 * is tried again, all of its contact points and the recipients not mailed yet, up to maxTries.
 */
export class ReportDeliveryService {
  constructor(
    private readonly deps: { reports: ReportRepository; users: UserRepository; contactPoints: ContactPointRepository; secrets: SecretBox; sender: NoticeSender; clock: Clock; logger: Logger; publicUrl: string | null },
    private readonly settings: ReportDeliverySettings,
  ) {}

  /** Delivers the reports waiting for it; answers how many were delivered. */
  async deliverPending(): Promise<number> {
    let delivered = 0;
    const now = this.deps.clock.now();
    for (const report of await this.deps.reports.deliverable(now, this.settings.batchSize)) {
      if (!(await this.deps.reports.claimDelivery(report.id, now, new Date(now.getTime() + this.settings.claimMs)))) continue;
      const definition = await this.deps.reports.findDefinition(report.definitionId);
      if (!definition) continue;
      const tries = report.deliveryTries + 1;
      const errors = [...(await this.send(definition, report)), ...(await this.mailRecipients(definition, report, tries >= this.settings.maxTries))];
      const at = this.deps.clock.now();
      if (errors.length === 0) {
        await this.deps.reports.settleDelivery(report.id, 'DELIVERED', null, at, null);
        this.deps.logger.info({ reportId: report.id, tries }, 'report.delivered');
        delivered += 1;
      } else if (tries >= this.settings.maxTries) {
        await this.deps.reports.settleDelivery(report.id, 'FAILED', errors.join('\n'), at, null);
        this.deps.logger.error({ reportId: report.id, tries, errors }, 'report.delivery_given_up');
      } else {
        const retryAt = new Date(at.getTime() + this.settings.retryBaseMs * 2 ** (tries - 1));
        await this.deps.reports.settleDelivery(report.id, 'PENDING', errors.join('\n'), at, retryAt);
        this.deps.logger.warn({ reportId: report.id, tries, errors, retryAt: retryAt.toISOString() }, 'report.delivery_failed');
      }
    }
    return delivered;
  }

  /** Sends to every contact point of the definition; answers what went wrong, per contact point. */
  private async send(definition: ReportDefinitionRecord, report: ReportRecord): Promise<string[]> {
    const message = await this.messageOf(definition, report);
    const errors: string[] = [];
    for (const contactPointId of definition.contactPointIds) {
      const point = await this.deps.contactPoints.findById(contactPointId);
      if (!point) {
        errors.push(`contact point ${contactPointId} is gone`);
        continue;
      }
      try {
        const secret = point.secret === null ? null : this.deps.secrets.open(point.secret, point.id);
        const result = await this.deps.sender.sendReport(point.settings, secret, message);
        if (!result.ok) errors.push(`${point.name}: ${result.error ?? `status ${result.statusCode}`}`);
      } catch (error) {
        errors.push(`${point.name}: ${errorText(error)}`);
      }
    }
    return errors;
  }

  /**
   * Mails each recipient still PENDING their copy; answers what went wrong. `lastTry`: a failure
   * now gives the recipient up (FAILED) rather than leaving them to the next try.
   */
  private async mailRecipients(definition: ReportDefinitionRecord, report: ReportRecord, lastTry: boolean): Promise<string[]> {
    const pending = report.recipients.filter((recipient) => recipient.state === 'PENDING');
    if (pending.length === 0) return [];
    const skip = (recipient: ReportRecipientRecord, detail: string) => {
      this.deps.logger.warn({ reportId: report.id, userId: recipient.userId, detail }, 'report.recipient_skipped');
      return this.deps.reports.settleRecipient(report.id, recipient.userId, 'SKIPPED', detail, null);
    };
    const point = await this.smtpOf(definition);
    if (!point || point.settings.kind !== 'EMAIL') {
      for (const recipient of pending) await skip(recipient, 'The definition has no EMAIL contact point, whose SMTP server mails recipients; add one to its contact points');
      return [];
    }
    const errors: string[] = [];
    const users = new Map((await this.deps.users.withProjects(pending.map((recipient) => recipient.userId))).map((user) => [user.id, user]));
    const messages = new Map<string, ReportMessage>();
    for (const recipient of pending) {
      const user = users.get(recipient.userId);
      if (!user) {
        await skip(recipient, `User ${recipient.userId} no longer exists`);
        continue;
      }
      if (user.email === null) {
        await skip(recipient, `${user.username} has no email address; set one with \`runtrail user email ${user.username} <address>\` (or changeEmail) before the next report`);
        continue;
      }
      const scope = recipient.projectIds.length < report.projectIds.length ? copyScopeOf(recipient.projectIds) : null;
      const key = scope ?? '';
      const message = messages.get(key) ?? (await this.messageOf(definition, report, scope));
      messages.set(key, message);
      let failure: string | null;
      try {
        const secret = point.secret === null ? null : this.deps.secrets.open(point.secret, point.id);
        const result = await this.deps.sender.sendReport({ ...point.settings, to: [user.email] }, secret, { ...message, id: `${message.id}.${recipient.userId}` });
        failure = result.ok ? null : (result.error ?? `status ${result.statusCode}`);
      } catch (error) {
        failure = errorText(error);
      }
      if (failure === null) await this.deps.reports.settleRecipient(report.id, recipient.userId, 'SENT', null, this.deps.clock.now());
      else {
        errors.push(`recipient ${user.username} <${user.email}> through ${point.name}: ${failure}`);
        await this.deps.reports.settleRecipient(report.id, recipient.userId, lastTry ? 'FAILED' : 'PENDING', failure, null);
      }
    }
    return errors;
  }

  /** The contact point whose SMTP server mails recipients: the definition's first EMAIL one, or null. */
  private async smtpOf(definition: ReportDefinitionRecord): Promise<ContactPointRecord | null> {
    for (const contactPointId of definition.contactPointIds) {
      const point = await this.deps.contactPoints.findById(contactPointId);
      if (point?.settings.kind === 'EMAIL') return point;
    }
    return null;
  }

  /**
   * The message of a report, or of its copy narrowed to a scope (copyScopeOf): then the copy's
   * files and counts, without links (they open the whole report, which its recipient may not read).
   */
  private async messageOf(definition: ReportDefinitionRecord, report: ReportRecord, scope: string | null = null): Promise<ReportMessage> {
    const period = reportPeriodOf(periodRuleOf(definition), { from: report.periodStart, to: report.periodEnd });
    const copy = scope === null ? null : await this.deps.reports.copy(report.id, scope);
    if (scope !== null && !copy) throw new Error(`Report ${report.id} has no copy for projects ${scope}`);
    const links: Record<string, string> = copy ? {} : Object.fromEntries(report.artifacts.map((artifact) => [artifact.format, reportFileUrl(this.deps.publicUrl, report.id, artifact.extension)]));
    const total = copy?.total ?? report.total;
    const totals = copy?.totals ?? report.totals;
    const counts = totals.filter((entry) => entry.count > 0).map((entry) => `${entry.status} ${entry.count}`);
    const covers = copy ? ` in ${scope?.split(',').length} of its ${report.projectIds.length} projects (those you can read)` : '';
    const text = [`${total} runs${covers} from ${period.from} to ${period.to} (${period.timeZone})${counts.length > 0 ? `: ${counts.join(', ')}` : ''}`, ...Object.entries(links).map(([format, url]) => `${format}: ${url}`)].join('\n');
    let html: string | null = null;
    const attachments: ReportMessage['attachments'] = [];
    const files = copy?.files ?? (await this.filesOf(report));
    for (const file of files) {
      if (file.format === 'HTML') html = file.bytes.toString('utf8');
      else attachments.push({ filename: `${slug(definition.name)}-${period.label.replace(/[^0-9A-Za-z-]+/g, '-')}.${file.extension}`, contentType: file.contentType, content: file.bytes });
    }
    const webhookBody = JSON.stringify({
      type: 'report.generated',
      reportId: report.id,
      definitionId: definition.id,
      definitionName: definition.name,
      period,
      projectIds: report.projectIds,
      snapshot: report.snapshot.toString(),
      total: report.total,
      byStatus: report.totals,
      links,
    });
    return { id: report.id, at: report.generatedAt, subject: `Runtrail report: ${definition.name} (${period.label})`, text, html, attachments, webhookBody };
  }

  private async filesOf(report: ReportRecord): Promise<{ format: ReportFormat; extension: string; contentType: string; bytes: Buffer }[]> {
    const files: { format: ReportFormat; extension: string; contentType: string; bytes: Buffer }[] = [];
    for (const stored of report.artifacts) {
      const artifact = await this.deps.reports.artifact(report.id, stored.format);
      if (artifact) files.push({ format: stored.format, ...artifact });
    }
    return files;
  }
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^0-9a-z]+/g, '-').replace(/^-|-$/g, '') || 'report';
}
