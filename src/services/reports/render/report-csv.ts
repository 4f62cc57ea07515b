/**
 * The report as CSV (RFC 4180: quoted where needed, CRLF between records). With the RUNS
 * section it is the period's runs; without it, the status distribution and the workflow table,
 * each with its header, separated by an empty line. Cells that a spreadsheet would run as a
 * formula (starting with = + - @, a tab or a carriage return) get a leading quote.
 */
import { stringify } from 'csv-stringify/sync';
import type { ReportContent } from '../../../domain/reports/report-content';

type Cell = string | number | null;

function csv(header: string[], rows: Cell[][]): string {
  return stringify([header, ...rows], {
    record_delimiter: 'windows',
    escape_formulas: true,
    // Only CRLF ends a record, but a bare line feed inside a cell must be quoted too.
    quoted_match: /[\r\n]/,
    cast: { number: (value) => String(value) },
  });
}

export function renderCsv(content: ReportContent): string {
  if (content.runs) {
    return csv(
      ['run_id', 'project_id', 'project', 'workflow_id', 'workflow', 'status', 'trigger', 'created_at', 'started_at', 'finished_at', 'duration_ms', 'error'],
      content.runs.rows.map((run) => [
        run.runId,
        run.projectId,
        run.projectName,
        run.workflowId,
        run.workflowName,
        run.status,
        run.trigger,
        run.createdAt,
        run.startedAt,
        run.finishedAt,
        run.durationMs,
        run.error,
      ]),
    );
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
