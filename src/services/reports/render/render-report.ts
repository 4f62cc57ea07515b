import type { RenderedReport, ReportContent, ReportFormat, RunsText } from '../../../domain/reports/report-content';
import { RUN_CSV_HEADER } from '../../../domain/reports/report-run-text';
import { renderCsv } from './report-csv';
import { renderHtml } from './report-html';
import { renderJson } from './report-json';
import { renderPdf } from './report-pdf';

/**
 * Renders one report in one format; every format reads only the content, so they agree. With
 * `runsText`, the CSV and JSON hold those runs (content.runs.rows then lists only the first ones).
 */
export async function renderReport(content: ReportContent, format: ReportFormat, runsText: RunsText | null = null): Promise<RenderedReport> {
  switch (format) {
    case 'JSON':
      return { format, contentType: 'application/json; charset=utf-8', fileExtension: 'json', bytes: renderJson(content, runsText) };
    case 'HTML':
      return { format, contentType: 'text/html; charset=utf-8', fileExtension: 'html', bytes: Buffer.from(renderHtml(content)) };
    case 'CSV':
      return { format, contentType: 'text/csv; charset=utf-8; header=present', fileExtension: 'csv', bytes: csvBytes(content, runsText) };
    case 'PDF':
      return { format, contentType: 'application/pdf', fileExtension: 'pdf', bytes: await renderPdf(content) };
  }
}

function csvBytes(content: ReportContent, runsText: RunsText | null): Buffer {
  // A byte-order mark, so spreadsheet programs read the UTF-8 of names and errors as UTF-8.
  if (!content.runs || !runsText) return Buffer.from(`\ufeff${renderCsv(content)}`);
  if (!runsText.csv) throw new Error(`Report ${content.reportId} got its runs as text without CSV: its CSV cannot be written from it`);
  return Buffer.concat([Buffer.from(`\ufeff${RUN_CSV_HEADER}`), runsText.csv]);
}
