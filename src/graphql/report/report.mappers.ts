import type { ReportContent } from '../../domain/reports/report-content.ts';
import { reportFileUrl, type ReportRecord } from '../../domain/reports/report-definition.ts';
import type { Report, ReportPreview } from './report.type.ts';

export function reportView(report: ReportRecord): Report {
  return {
    id: report.id,
    definitionId: report.definitionId,
    periodStart: report.periodStart,
    periodEnd: report.periodEnd,
    state: report.state,
    origin: report.origin,
    projectIds: report.projectIds,
    snapshot: report.snapshot.toString(),
    generatedAt: report.generatedAt,
    total: report.total,
    byStatus: report.totals,
    deliveryState: report.deliveryState,
    deliveryError: report.deliveryError,
    deliveredAt: report.deliveredAt,
    files: report.artifacts.map((artifact) => ({ format: artifact.format, contentType: artifact.contentType, size: artifact.size, url: reportFileUrl(null, report.id, artifact.extension) })),
    recipients: report.recipients,
  };
}

export function previewView(content: ReportContent): ReportPreview {
  const distribution = content.statusDistribution;
  return {
    periodStart: new Date(content.period.from),
    periodEnd: new Date(content.period.to),
    periodLabel: content.period.label,
    total: distribution?.total ?? 0,
    byStatus: distribution?.statuses.map(({ status, count }) => ({ status, count })) ?? [],
    content,
  };
}
