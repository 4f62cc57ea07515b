import type { RenderedReport, ReportContent, ReportFormat } from '../../../domain/reports/report-content';
import { renderCsv } from './report-csv';
import { renderHtml } from './report-html';
import { renderPdf } from './report-pdf';

/** Renders one report in one format; every format reads only the content, so they agree. */
export async function renderReport(content: ReportContent, format: ReportFormat): Promise<RenderedReport> {
  switch (format) {
    case 'JSON':
      return { format, contentType: 'application/json; charset=utf-8', fileExtension: 'json', bytes: Buffer.from(JSON.stringify(content, null, 2)) };
    case 'HTML':
      return { format, contentType: 'text/html; charset=utf-8', fileExtension: 'html', bytes: Buffer.from(renderHtml(content)) };
    case 'CSV':
      // A byte-order mark, so spreadsheet programs read the UTF-8 of names and errors as UTF-8.
      return { format, contentType: 'text/csv; charset=utf-8; header=present', fileExtension: 'csv', bytes: Buffer.from(`\ufeff${renderCsv(content)}`) };
    case 'PDF':
      return { format, contentType: 'application/pdf', fileExtension: 'pdf', bytes: await renderPdf(content) };
  }
}
