import type { Logger } from 'pino';
import type { Clock } from '../../domain/clock.ts';
import { periodRuleOf, reportFileUrl, type ReportDefinitionRecord, type ReportRecord } from '../../domain/reports/report-definition.ts';
import { reportPeriodOf } from '../../domain/reports/report-period.ts';
import type { ContactPointRepository } from '../../repositories/contact-point.repository.ts';
import type { ReportRepository } from '../../repositories/report.repository.ts';
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
 * A report is claimed before it is sent, so two leaders never send it at once; a failed delivery
 * is tried again, all of its contact points, up to maxTries.
 */
export class ReportDeliveryService {
  constructor(
    private readonly deps: { reports: ReportRepository; contactPoints: ContactPointRepository; secrets: SecretBox; sender: NoticeSender; clock: Clock; logger: Logger; publicUrl: string | null },
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
      const errors = await this.send(definition, report);
      const at = this.deps.clock.now();
      const tries = report.deliveryTries + 1;
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

  private async messageOf(definition: ReportDefinitionRecord, report: ReportRecord): Promise<ReportMessage> {
    const period = reportPeriodOf(periodRuleOf(definition), { from: report.periodStart, to: report.periodEnd });
    const links = Object.fromEntries(report.artifacts.map((artifact) => [artifact.format, reportFileUrl(this.deps.publicUrl, report.id, artifact.extension)]));
    const counts = report.totals.filter((entry) => entry.count > 0).map((entry) => `${entry.status} ${entry.count}`);
    const text = [`${report.total} runs from ${period.from} to ${period.to} (${period.timeZone})${counts.length > 0 ? `: ${counts.join(', ')}` : ''}`, ...Object.entries(links).map(([format, url]) => `${format}: ${url}`)].join('\n');
    let html: string | null = null;
    const attachments: ReportMessage['attachments'] = [];
    for (const stored of report.artifacts) {
      const artifact = await this.deps.reports.artifact(report.id, stored.format);
      if (!artifact) continue;
      if (stored.format === 'HTML') html = artifact.bytes.toString('utf8');
      else attachments.push({ filename: `${slug(definition.name)}-${period.label.replace(/[^0-9A-Za-z-]+/g, '-')}.${artifact.extension}`, contentType: artifact.contentType, content: artifact.bytes });
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
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^0-9a-z]+/g, '-').replace(/^-|-$/g, '') || 'report';
}
