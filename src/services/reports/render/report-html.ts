/**
 * The report as HTML that mail clients show as the browser does: one centred table at most
 * 640 px wide, inline styles only, no external CSS, fonts or scripts, and charts as PNG images
 * (report-raster.ts says why). Every string from the content is escaped: workflow, project and
 * rule names and error messages are user input.
 */
import type {
  AlertSummary,
  FailingWorkflow,
  PeriodChange,
  ReportContent,
  ReportRuns,
  StatusDistribution,
  WorkflowChanges,
  WorkflowPerformance,
  WorkflowRef,
} from '../../../domain/reports/report-content';
import {
  CHANGE_BARS_HEIGHT,
  CHANGE_BARS_WIDTH,
  PIE_SIZE,
  SPARKLINE_HEIGHT,
  SPARKLINE_WIDTH,
  changeBarsSvg,
  pieSvg,
  sparklineSvg,
} from './report-charts';
import { COLORS, STATUS_COLORS, STATUS_LABELS } from './report-look';
import { svgToPngDataUri } from './report-raster';
import { countOf, formatChange, formatCount, formatDuration, formatInstant, formatShare, presentStatuses, shortError } from './report-text';

/** The runs the HTML lists itself; all of them are in the CSV. */
export const HTML_RUN_ROWS = 20;

const FONT = `font-family:-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif`;
// Names and errors may be one long word (a URL, a formula): they wrap rather than widen the table.
const CELL = `padding:6px 8px;border-bottom:1px solid ${COLORS.border};font-size:13px;line-height:18px;color:${COLORS.text};vertical-align:top;word-break:break-word;overflow-wrap:anywhere`;
const HEAD_CELL = `${CELL};font-weight:600;color:${COLORS.muted};background:${COLORS.surfaceMuted};text-align:left`;
const NUMBER = 'text-align:right;white-space:nowrap';

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

interface Column {
  title: string;
  numeric?: boolean;
}

function table(columns: Column[], rows: string[][]): string {
  const head = columns.map((column) => `<th style="${HEAD_CELL}${column.numeric ? `;${NUMBER}` : ''}">${escapeHtml(column.title)}</th>`).join('');
  const body = rows
    .map((cells) => `<tr>${cells.map((cell, index) => `<td style="${CELL}${columns[index]?.numeric ? `;${NUMBER}` : ''}">${cell}</td>`).join('')}</tr>`)
    .join('');
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;width:100%">${`<tr>${head}</tr>`}${body}</table>`;
}

function image(dataUri: string, width: number, height: number, alt: string): string {
  return `<img src="${dataUri}" width="${width}" height="${height}" alt="${escapeHtml(alt)}" style="display:block;border:0;width:${width}px;height:${height}px">`;
}

function section(title: string, body: string): string {
  return `<tr><td style="padding:20px 24px 4px 24px;${FONT}"><h2 style="margin:0 0 10px 0;font-size:16px;line-height:22px;color:${COLORS.text};${FONT}">${escapeHtml(title)}</h2>${body}</td></tr>`;
}

/** `html` is markup: callers escape what they put in it. */
function note(html: string): string {
  return `<p style="margin:0 0 8px 0;font-size:13px;line-height:18px;color:${COLORS.muted}">${html}</p>`;
}

function swatch(color: string): string {
  return `<span style="display:inline-block;width:10px;height:10px;border-radius:2px;background:${color};margin-right:6px;vertical-align:baseline"></span>`;
}

function workflowName(workflow: WorkflowRef): string {
  return `<span>${escapeHtml(workflow.workflowName)}</span><br><span style="color:${COLORS.muted};font-size:12px">${escapeHtml(workflow.projectName)}</span>`;
}

function statusDistribution(distribution: StatusDistribution): string {
  const rows = distribution.statuses
    .filter((share) => share.count > 0)
    .map((share) => [`${swatch(STATUS_COLORS[share.status])}${escapeHtml(STATUS_LABELS[share.status])}`, formatCount(share.count), formatShare(share.share)]);
  rows.push([`<strong>Total</strong>`, `<strong>${formatCount(distribution.total)}</strong>`, distribution.total > 0 ? formatShare(1) : '–']);
  const pie = image(svgToPngDataUri(pieSvg(distribution)), PIE_SIZE, PIE_SIZE, `Pie chart of ${formatCount(distribution.total)} runs by status`);
  return section(
    'Status distribution',
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr><td width="${PIE_SIZE + 16}" style="width:${PIE_SIZE + 16}px;vertical-align:top;padding-right:16px">${pie}</td><td style="vertical-align:top">${table(
      [{ title: 'Status' }, { title: 'Runs', numeric: true }, { title: 'Share', numeric: true }],
      rows,
    )}</td></tr></table>`,
  );
}

function periodChange(change: PeriodChange, current: StatusDistribution | undefined): string {
  if (!current) {
    return section('Change against the previous period and the baseline', note('The status distribution of this period was not asked for, so there is nothing to compare.'));
  }
  const statuses = presentStatuses(current, change.previous, change.baseline);
  const changes = statuses.map((status) => ({
    status,
    now: countOf(current, status),
    previous: countOf(change.previous, status),
    baseline: countOf(change.baseline, status),
  }));
  const scale = Math.max(0, ...changes.flatMap((row) => [Math.abs(row.now - row.previous), Math.abs(row.now - row.baseline)]));
  const rows = changes.map((row) => [
    `${swatch(STATUS_COLORS[row.status])}${escapeHtml(STATUS_LABELS[row.status])}`,
    formatCount(row.now),
    `${formatCount(row.previous)}<br><span style="color:${COLORS.muted}">${formatChange(row.now, row.previous)}</span>`,
    `${formatCount(row.baseline)}<br><span style="color:${COLORS.muted}">${formatChange(row.now, row.baseline)}</span>`,
    image(
      svgToPngDataUri(changeBarsSvg(row.status, { vsPrevious: row.now - row.previous, vsBaseline: row.now - row.baseline }, scale)),
      CHANGE_BARS_WIDTH,
      CHANGE_BARS_HEIGHT,
      `${STATUS_LABELS[row.status]}: ${formatChange(row.now, row.previous)} against the previous period, ${formatChange(row.now, row.baseline)} against the baseline`,
    ),
  ]);
  rows.push([
    '<strong>Total</strong>',
    `<strong>${formatCount(current.total)}</strong>`,
    `${formatCount(change.previous.total)}<br><span style="color:${COLORS.muted}">${formatChange(current.total, change.previous.total)}</span>`,
    `${formatCount(change.baseline.total)}<br><span style="color:${COLORS.muted}">${formatChange(current.total, change.baseline.total)}</span>`,
    '',
  ]);
  return section(
    'Change against the previous period and the baseline',
    note('The baseline is the mean of the four periods before the previous one. Bars: the upper one is the change against the previous period, the lower, lighter one against the baseline; right is more runs, left fewer.') +
      table([{ title: 'Status' }, { title: 'This period', numeric: true }, { title: 'Previous', numeric: true }, { title: 'Baseline', numeric: true }, { title: 'Change' }], rows),
  );
}

function workflowPerformance(workflows: WorkflowPerformance[]): string {
  if (workflows.length === 0) return section('Workflows', note('No workflow ran in this period.'));
  const rows = workflows.map((workflow) => [
    workflowName(workflow),
    formatCount(workflow.runs),
    formatShare(workflow.successRate),
    formatDuration(workflow.p50DurationMs),
    formatDuration(workflow.p95DurationMs),
    image(svgToPngDataUri(sparklineSvg(workflow.successRateSparkline)), SPARKLINE_WIDTH, SPARKLINE_HEIGHT, `Success rate of ${workflow.workflowName} over the period`),
  ]);
  return section(
    'Workflows',
    table(
      [{ title: 'Workflow' }, { title: 'Runs', numeric: true }, { title: 'Success', numeric: true }, { title: 'p50', numeric: true }, { title: 'p95', numeric: true }, { title: 'Success over time' }],
      rows,
    ),
  );
}

function topFailing(workflows: FailingWorkflow[], timeZone: string): string {
  if (workflows.length === 0) return section('Top failing workflows', note('No workflow failed in this period.'));
  const rows = workflows.map((workflow) => {
    const errors =
      workflow.commonErrors.length === 0
        ? ''
        : `<div style="margin-top:4px;font-size:12px;color:${COLORS.danger};word-break:break-word">${workflow.commonErrors
            .map((error) => `${formatCount(error.count)}× ${escapeHtml(shortError(error.message))}`)
            .join('<br>')}</div>`;
    return [
      `${workflowName(workflow)}${errors}`,
      formatCount(workflow.failures),
      formatCount(workflow.currentStreak),
      `${formatInstant(workflow.firstFailureAt, timeZone)}<br>${formatInstant(workflow.lastFailureAt, timeZone)}`,
    ];
  });
  return section(
    'Top failing workflows',
    table([{ title: 'Workflow and commonest errors' }, { title: 'Failures', numeric: true }, { title: 'Streak', numeric: true }, { title: 'First / last failure', numeric: true }], rows),
  );
}

function workflowChanges(changes: WorkflowChanges): string {
  const list = (title: string, items: string[]): string =>
    `<p style="margin:0 0 4px 0;font-size:13px;font-weight:600;color:${COLORS.text}">${escapeHtml(title)} (${items.length})</p>` +
    (items.length === 0
      ? note('None.')
      : `<ul style="margin:0 0 10px 0;padding-left:20px;font-size:13px;line-height:18px;color:${COLORS.text}">${items.map((item) => `<li>${item}</li>`).join('')}</ul>`);
  const ref = (workflow: WorkflowRef): string => `${escapeHtml(workflow.workflowName)} <span style="color:${COLORS.muted}">(${escapeHtml(workflow.projectName)})</span>`;
  return section(
    'Newly failing, recovered and flaky workflows',
    list('Newly failing', changes.newlyFailing.map(ref)) +
      list('Recovered', changes.recovered.map(ref)) +
      list(
        'Flaky (succeeded on retry)',
        changes.flaky.map((workflow) => `${ref(workflow)}: ${formatCount(workflow.succeededOnRetry)} of ${formatCount(workflow.runs)} runs succeeded on retry`),
      ),
  );
}

function alerts(summary: AlertSummary, timeZone: string): string {
  const headline = note(
    `${formatCount(summary.fired)} fired, ${formatCount(summary.resolved)} resolved; median time to resolve ${formatDuration(summary.medianTimeToResolveMs)}.`,
  );
  if (summary.alerts.length === 0) return section('Alerts', headline);
  const rows = summary.alerts.map((alert) => [
    escapeHtml(alert.ruleName),
    `${alert.workflowName === null ? '–' : escapeHtml(alert.workflowName)}<br><span style="color:${COLORS.muted};font-size:12px">${escapeHtml(alert.projectName)}</span>`,
    formatInstant(alert.firedAt, timeZone),
    alert.resolvedAt === null ? 'firing' : formatInstant(alert.resolvedAt, timeZone),
    alert.resolvedAt === null ? '–' : formatDuration(Date.parse(alert.resolvedAt) - Date.parse(alert.firedAt)),
  ]);
  return section(
    'Alerts',
    headline + table([{ title: 'Rule' }, { title: 'Workflow' }, { title: 'Fired', numeric: true }, { title: 'Resolved', numeric: true }, { title: 'Took', numeric: true }], rows),
  );
}

function runs(report: ReportRuns, timeZone: string): string {
  const shown = report.rows.slice(0, HTML_RUN_ROWS);
  const intro = note(
    `${report.truncated ? `The first ${formatCount(report.count)} runs of the period are` : `All ${formatCount(report.count)} runs of the period are`} in the CSV attachment${
      shown.length < report.count ? `; the first ${shown.length} are below` : ''
    }.`,
  );
  if (shown.length === 0) return section('Runs', intro);
  const rows = shown.map((run) => [
    `${escapeHtml(run.workflowName)}<br><span style="color:${COLORS.muted};font-size:12px">${escapeHtml(run.runId)}</span>`,
    `${swatch(STATUS_COLORS[run.status])}${escapeHtml(STATUS_LABELS[run.status])}${
      run.error === null ? '' : `<div style="font-size:12px;color:${COLORS.danger};word-break:break-word;white-space:pre-wrap">${escapeHtml(shortError(run.error))}</div>`
    }`,
    escapeHtml(run.trigger),
    formatInstant(run.createdAt, timeZone),
    formatDuration(run.durationMs),
  ]);
  return section('Runs', intro + table([{ title: 'Workflow / run' }, { title: 'Status' }, { title: 'Trigger' }, { title: 'Created', numeric: true }, { title: 'Duration', numeric: true }], rows));
}

export function renderHtml(content: ReportContent): string {
  const { period } = content;
  const title = `${content.definitionName}: ${period.label}`;
  const header = `<tr><td style="padding:24px 24px 8px 24px;border-bottom:3px solid ${COLORS.accent};${FONT}">
<p style="margin:0 0 4px 0;font-size:12px;letter-spacing:0.04em;text-transform:uppercase;color:${COLORS.muted}">Runtrail status report</p>
<h1 style="margin:0 0 6px 0;font-size:22px;line-height:28px;color:${COLORS.text};${FONT}">${escapeHtml(content.definitionName)}</h1>
<p style="margin:0 0 4px 0;font-size:14px;line-height:20px;color:${COLORS.text}">${escapeHtml(period.label)}: ${formatInstant(period.from, period.timeZone)} to ${formatInstant(period.to, period.timeZone)} (${escapeHtml(period.timeZone)})</p>
<p style="margin:0 0 8px 0;font-size:13px;line-height:18px;color:${COLORS.muted}">${content.projects.length === 1 ? 'Project' : 'Projects'}: ${content.projects.map((project) => escapeHtml(project.projectName)).join(', ')}</p>
</td></tr>`;
  const sections = [
    content.statusDistribution ? statusDistribution(content.statusDistribution) : '',
    content.periodChange ? periodChange(content.periodChange, content.statusDistribution) : '',
    content.workflowPerformance ? workflowPerformance(content.workflowPerformance) : '',
    content.topFailing ? topFailing(content.topFailing, period.timeZone) : '',
    content.workflowChanges ? workflowChanges(content.workflowChanges) : '',
    content.alerts ? alerts(content.alerts, period.timeZone) : '',
    content.runs ? runs(content.runs, period.timeZone) : '',
  ].join('\n');
  const footer = `<tr><td style="padding:16px 24px 24px 24px;${FONT};font-size:12px;line-height:16px;color:${COLORS.muted}">Generated ${formatInstant(content.generatedAt, period.timeZone)} (${escapeHtml(period.timeZone)}) from history snapshot ${escapeHtml(content.snapshot)}. Report ${escapeHtml(content.reportId)}.</td></tr>`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title></head>
<body style="margin:0;padding:0;background:${COLORS.background}">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:${COLORS.background}"><tr><td align="center" style="padding:16px 8px">
<table role="presentation" width="640" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:640px;background:#ffffff;border:1px solid ${COLORS.border};border-radius:6px;${FONT}">
${header}
${sections}
${footer}
</table>
</td></tr></table>
</body></html>
`;
}
