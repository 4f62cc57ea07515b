import type { RenderedReport, ReportContent, ReportFormat } from '../../../domain/reports/report-content';

/** Renders one report in one format; every format reads only the content, so they agree. */
export async function renderReport(content: ReportContent, format: ReportFormat): Promise<RenderedReport> {
  if (format === 'JSON') {
    return {
      format,
      contentType: 'application/json; charset=utf-8',
      fileExtension: 'json',
      bytes: Buffer.from(JSON.stringify(content, null, 2)),
    };
  }
  throw new Error(`Report format ${format} is not rendered yet`);
}
