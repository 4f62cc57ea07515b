/**
 * The report as CSV (cells as report-run-text.ts writes them). With the RUNS section it is the
 * period's runs; without it, the status distribution and the workflow table, each with its header,
 * separated by an empty line. Written by hand rather than with csv-stringify: 100,000 runs take it
 * 1.7 s; the runs are written a row at a time, each cell looked at by one regular expression.
 */
import type { ReportContent } from '../../../domain/reports/report-content';
import { csvField, RUN_CSV_HEADER, runCsvRecord, type CsvCell } from '../../../domain/reports/report-run-text';

// A row at a time into a part, a part per this many rows: a hundred thousand rows make no arrays per row or cell.
const ROWS_PER_PART = 1_000;

function csv(header: string[], rows: CsvCell[][]): string {
  return [header, ...rows].map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}

export function renderCsv(content: ReportContent): string {
  if (content.runs) {
    if (content.runs.rows.length < content.runs.count) throw new Error(`Report ${content.reportId} holds the first ${content.runs.rows.length} of its ${content.runs.count} runs (it is stored in neither CSV nor JSON): its CSV cannot be written from it`);
    const { rows } = content.runs;
    const parts = [RUN_CSV_HEADER];
    for (let start = 0; start < rows.length; start += ROWS_PER_PART) {
      let part = '';
      for (const run of rows.slice(start, start + ROWS_PER_PART)) part += runCsvRecord(run);
      parts.push(part);
    }
    return parts.join('');
  }
  const blocks: string[] = [];
  if (content.statusDistribution) {
    const { total, statuses } = content.statusDistribution;
    blocks.push(csv(['status', 'runs', 'share'], [...statuses.map((share) => [share.status, share.count, share.share]), ['TOTAL', total, total > 0 ? 1 : 0]]));
  }
  if (content.workflowPerformance) {
    blocks.push(
      csv(
        ['project_id', 'project', 'workflow_id', 'workflow', 'runs', 'succeeded', 'success_rate', 'p50_duration_ms', 'p95_duration_ms'],
        content.workflowPerformance.map((workflow) => [
          workflow.projectId,
          workflow.projectName,
          workflow.workflowId,
          workflow.workflowName,
          workflow.runs,
          workflow.succeeded,
          workflow.successRate,
          workflow.p50DurationMs,
          workflow.p95DurationMs,
        ]),
      ),
    );
  }
  return blocks.join('\r\n');
}
