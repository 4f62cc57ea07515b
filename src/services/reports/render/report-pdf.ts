/**
 * The report as PDF, drawn by pdfkit without a browser: the title and period, the pie as vector
 * paths (the same path data as the SVG), sparklines and change bars as lines and rectangles, and
 * tables that continue on a new page, header repeated, when a page is full.
 */
import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import {
  REPORT_LISTED_RUN_ROWS,
  type AlertSummary,
  type FailingWorkflow,
  type PeriodChange,
  type ReportContent,
  type ReportRuns,
  type StatusDistribution,
  type WorkflowChanges,
  type WorkflowPerformance,
  type WorkflowRef,
} from '../../../domain/reports/report-content';
import type { RunStatus } from '../../../domain/status';
import { woffToSfnt } from './woff-to-sfnt';
import { pieSlices, sparklineRuns, type SparkPoint } from './report-charts';
import { COLORS, STATUS_COLORS, STATUS_LABELS } from './report-look';
import { countOf, formatChange, formatCount, formatDuration, formatInstant, formatShare, presentStatuses, shortError } from './report-text';

const MARGIN = 40;
const PAGE = { width: 595.28, height: 841.89 };
const WIDTH = PAGE.width - 2 * MARGIN;
const BOTTOM = PAGE.height - MARGIN;
const FONT_SIZE = 8.5;
/** The runs the PDF lists; all of them are in the CSV. */
export const PDF_RUN_ROWS = REPORT_LISTED_RUN_ROWS;
const CELL_PADDING = 4;
export const PDF_PIE = { x: MARGIN, size: 130 };

// DejaVu Sans, embedded (only the glyphs a report uses), prints Latin, Greek and Cyrillic names
// and errors as they are, where the standard Helvetica knows Windows-1252 only; a character it
// lacks (Chinese, Japanese) shows as an empty box. Read and unpacked once, parsed by each document.
const FONT_FILES = {
  regular: '@fontsource/dejavu-sans/files/dejavu-sans-latin-400-normal.woff',
  bold: '@fontsource/dejavu-sans/files/dejavu-sans-latin-700-normal.woff',
} as const;
let fontData: { regular: Buffer; bold: Buffer } | undefined;

function fonts(): { regular: Buffer; bold: Buffer } {
  fontData ??= { regular: woffToSfnt(readFileSync(require.resolve(FONT_FILES.regular))), bold: woffToSfnt(readFileSync(require.resolve(FONT_FILES.bold))) };
  return fontData;
}

const REGULAR = 'DejaVuSans';
const BOLD = 'DejaVuSans-Bold';

/** Control characters other than the line feed have no glyph: they read as a space. */
function pdfText(text: string): string {
  return text.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, ' ');
}

type Doc = PDFKit.PDFDocument;

interface Drawing {
  height: number;
  draw(doc: Doc, x: number, y: number, width: number): void;
}

type Cell = string | Drawing;

interface Column {
  title: string;
  width: number;
  numeric?: boolean;
}

function ensureSpace(doc: Doc, height: number): boolean {
  if (doc.y + height <= BOTTOM) return false;
  doc.addPage();
  return true;
}

function heading(doc: Doc, title: string): void {
  // Room for the heading, a table header and a row or two, so a heading never ends a page.
  ensureSpace(doc, 100);
  doc.moveDown(0.8);
  doc.font(BOLD).fontSize(13).fillColor(COLORS.text).text(pdfText(title), MARGIN, doc.y, { width: WIDTH });
  doc.moveDown(0.3);
}

function paragraph(doc: Doc, text: string): void {
  ensureSpace(doc, 20);
  doc.font(REGULAR).fontSize(FONT_SIZE).fillColor(COLORS.muted).text(pdfText(text), MARGIN, doc.y, { width: WIDTH });
  doc.moveDown(0.4);
}

function cellHeight(doc: Doc, cell: Cell, width: number): number {
  if (typeof cell !== 'string') return cell.height;
  return doc.heightOfString(pdfText(cell), { width: width - 2 * CELL_PADDING });
}

function tableRow(doc: Doc, columns: Column[], cells: Cell[], bold: boolean): void {
  doc.font(bold ? BOLD : REGULAR).fontSize(FONT_SIZE);
  const height = Math.max(...cells.map((cell, index) => cellHeight(doc, cell, columns[index]?.width ?? 0))) + 2 * CELL_PADDING;
  const top = doc.y;
  let x = MARGIN;
  cells.forEach((cell, index) => {
    const column = columns[index];
    if (!column) return;
    if (typeof cell === 'string') {
      doc.fillColor(bold ? COLORS.muted : COLORS.text).text(pdfText(cell), x + CELL_PADDING, top + CELL_PADDING, {
        width: column.width - 2 * CELL_PADDING,
        align: column.numeric ? 'right' : 'left',
      });
    } else {
      cell.draw(doc, x + CELL_PADDING, top + CELL_PADDING, column.width - 2 * CELL_PADDING);
    }
    x += column.width;
  });
  doc.moveTo(MARGIN, top + height).lineTo(MARGIN + WIDTH, top + height).lineWidth(0.5).strokeColor(COLORS.border).stroke();
  doc.x = MARGIN;
  doc.y = top + height;
}

/** Column widths are shares of the page width. */
function table(doc: Doc, columns: Column[], rows: Cell[][]): void {
  const scaled = columns.map((column) => ({ ...column, width: column.width * WIDTH }));
  const header = scaled.map((column) => column.title);
  const heightOf = (row: Cell[]): number => {
    doc.font(REGULAR).fontSize(FONT_SIZE);
    return Math.max(...row.map((cell, index) => cellHeight(doc, cell, scaled[index]?.width ?? 0))) + 2 * CELL_PADDING;
  };
  // A header never ends a page alone: it goes with the first row.
  const [first] = rows;
  ensureSpace(doc, heightOf(header) + (first ? heightOf(first) : 0));
  tableRow(doc, scaled, header, true);
  for (const row of rows) {
    if (ensureSpace(doc, heightOf(row))) tableRow(doc, scaled, header, true);
    tableRow(doc, scaled, row, false);
  }
}

function swatchLabel(status: RunStatus): Drawing {
  return {
    height: 11,
    draw(doc, x, y, width) {
      doc.rect(x, y + 1.5, 7, 7).fill(STATUS_COLORS[status]);
      doc.font(REGULAR).fontSize(FONT_SIZE).fillColor(COLORS.text).text(STATUS_LABELS[status], x + 11, y, { width: width - 11 });
    },
  };
}

function sparkline(values: readonly (number | null)[]): Drawing {
  return {
    height: 14,
    draw(doc, x, y, width) {
      const step = values.length > 1 ? width / (values.length - 1) : 0;
      const at = ({ index, value }: SparkPoint): [number, number] => [values.length > 1 ? x + index * step : x + width / 2, y + 14 - value * 14];
      doc.moveTo(x, y + 14).lineTo(x + width, y + 14).lineWidth(0.5).strokeColor(COLORS.border).stroke();
      // Each stretch is its own path, stroked or filled at once, so no dot fills a line's path.
      for (const points of sparklineRuns(values)) {
        const [first, ...rest] = points;
        if (!first) continue;
        if (rest.length === 0) {
          doc.circle(...at(first), 1.2).fill(COLORS.accent);
          continue;
        }
        doc.moveTo(...at(first));
        for (const point of rest) doc.lineTo(...at(point));
        doc.lineWidth(1).strokeColor(COLORS.accent).stroke();
      }
    },
  };
}

function changeBars(status: RunStatus, vsPrevious: number, vsBaseline: number, scale: number): Drawing {
  return {
    height: 14,
    draw(doc, x, y, width) {
      const centre = x + width / 2;
      const bar = (delta: number, top: number, opacity: number): void => {
        const length = scale === 0 ? 0 : (Math.abs(delta) / scale) * (width / 2);
        doc.rect(delta < 0 ? centre - length : centre, top, length, 6).fillOpacity(opacity).fill(STATUS_COLORS[status]);
      };
      bar(vsPrevious, y, 1);
      bar(vsBaseline, y + 7.5, 0.45);
      doc.fillOpacity(1);
      doc.moveTo(centre, y - 1).lineTo(centre, y + 14.5).lineWidth(0.5).strokeColor(COLORS.muted).stroke();
    },
  };
}

function refText(workflow: WorkflowRef): string {
  return `${workflow.workflowName}\n${workflow.projectName}`;
}

function statusDistribution(doc: Doc, distribution: StatusDistribution): void {
  heading(doc, 'Status distribution');
  ensureSpace(doc, PDF_PIE.size + 10);
  const top = doc.y;
  const slices = pieSlices(distribution, { cx: PDF_PIE.size / 2, cy: PDF_PIE.size / 2, radius: PDF_PIE.size / 2, innerRadius: PDF_PIE.size * 0.28 });
  doc.save();
  doc.translate(PDF_PIE.x, top);
  for (const slice of slices) doc.path(slice.path).fill(slice.color, 'even-odd');
  if (slices.length === 0) doc.circle(PDF_PIE.size / 2, PDF_PIE.size / 2, PDF_PIE.size / 2).lineWidth(1).strokeColor(COLORS.border).stroke();
  doc.restore();
  const columns: Column[] = [
    { title: 'Status', width: 0.5 },
    { title: 'Runs', width: 0.25, numeric: true },
    { title: 'Share', width: 0.25, numeric: true },
  ];
  const left = PDF_PIE.x + PDF_PIE.size + 24;
  const width = MARGIN + WIDTH - left;
  const scaled = columns.map((column) => ({ ...column, width: column.width * width }));
  const rows: Cell[][] = distribution.statuses
    .filter((share) => share.count > 0)
    .map((share) => [swatchLabel(share.status), formatCount(share.count), formatShare(share.share)]);
  doc.y = top;
  // The table sits right of the pie: draw it with the page margin moved over.
  const rowsAt = (cells: Cell[], bold: boolean): void => {
    const y = doc.y;
    let x = left;
    doc.font(bold ? BOLD : REGULAR).fontSize(FONT_SIZE);
    cells.forEach((cell, index) => {
      const column = scaled[index];
      if (!column) return;
      if (typeof cell === 'string') doc.fillColor(COLORS.text).text(pdfText(cell), x + CELL_PADDING, y + CELL_PADDING, { width: column.width - 2 * CELL_PADDING, align: column.numeric ? 'right' : 'left' });
      else cell.draw(doc, x + CELL_PADDING, y + CELL_PADDING, column.width - 2 * CELL_PADDING);
      x += column.width;
    });
    doc.moveTo(left, y + 19).lineTo(left + width, y + 19).lineWidth(0.5).strokeColor(COLORS.border).stroke();
    doc.y = y + 19;
  };
  rowsAt(scaled.map((column) => column.title), true);
  for (const row of rows) rowsAt(row, false);
  rowsAt(['Total', formatCount(distribution.total), distribution.total > 0 ? formatShare(1) : '–'], true);
  doc.x = MARGIN;
  doc.y = Math.max(doc.y, top + PDF_PIE.size) + 6;
}

function periodChange(doc: Doc, change: PeriodChange, current: StatusDistribution | undefined): void {
  heading(doc, 'Change against the previous period and the baseline');
  if (!current) {
    paragraph(doc, 'The status distribution of this period was not asked for, so there is nothing to compare.');
    return;
  }
  paragraph(doc, 'The baseline is the mean of the four periods before the previous one. Bars: the upper one is the change against the previous period, the lower, lighter one against the baseline; right is more runs, left fewer.');
  const rows = presentStatuses(current, change.previous, change.baseline).map((status) => ({
    status,
    now: countOf(current, status),
    previous: countOf(change.previous, status),
    baseline: countOf(change.baseline, status),
  }));
  const scale = Math.max(0, ...rows.flatMap((row) => [Math.abs(row.now - row.previous), Math.abs(row.now - row.baseline)]));
  table(
    doc,
    [
      { title: 'Status', width: 0.22 },
      { title: 'This period', width: 0.14, numeric: true },
      { title: 'Previous', width: 0.2, numeric: true },
      { title: 'Baseline', width: 0.2, numeric: true },
      { title: 'Change', width: 0.24 },
    ],
    [
      ...rows.map((row): Cell[] => [
        swatchLabel(row.status),
        formatCount(row.now),
        `${formatCount(row.previous)}\n${formatChange(row.now, row.previous)}`,
        `${formatCount(row.baseline)}\n${formatChange(row.now, row.baseline)}`,
        changeBars(row.status, row.now - row.previous, row.now - row.baseline, scale),
      ]),
      [
        'Total',
        formatCount(current.total),
        `${formatCount(change.previous.total)}\n${formatChange(current.total, change.previous.total)}`,
        `${formatCount(change.baseline.total)}\n${formatChange(current.total, change.baseline.total)}`,
        '',
      ],
    ],
  );
}

function workflowPerformance(doc: Doc, workflows: WorkflowPerformance[]): void {
  heading(doc, 'Workflows');
  if (workflows.length === 0) {
    paragraph(doc, 'No workflow ran in this period.');
    return;
  }
  table(
    doc,
    [
      { title: 'Workflow', width: 0.34 },
      { title: 'Runs', width: 0.1, numeric: true },
      { title: 'Success', width: 0.11, numeric: true },
      { title: 'p50', width: 0.11, numeric: true },
      { title: 'p95', width: 0.11, numeric: true },
      { title: 'Success over time', width: 0.23 },
    ],
    workflows.map((workflow) => [
      refText(workflow),
      formatCount(workflow.runs),
      formatShare(workflow.successRate),
      formatDuration(workflow.p50DurationMs),
      formatDuration(workflow.p95DurationMs),
      sparkline(workflow.successRateSparkline),
    ]),
  );
}

function topFailing(doc: Doc, workflows: FailingWorkflow[], timeZone: string): void {
  heading(doc, 'Top failing workflows');
  if (workflows.length === 0) {
    paragraph(doc, 'No workflow failed in this period.');
    return;
  }
  table(
    doc,
    [
      { title: 'Workflow and commonest errors', width: 0.5 },
      { title: 'Failures', width: 0.12, numeric: true },
      { title: 'Streak', width: 0.1, numeric: true },
      { title: 'First / last failure', width: 0.28, numeric: true },
    ],
    workflows.map((workflow) => [
      [refText(workflow), ...workflow.commonErrors.map((error) => `${formatCount(error.count)}× ${shortError(error.message)}`)].join('\n'),
      formatCount(workflow.failures),
      formatCount(workflow.currentStreak),
      `${formatInstant(workflow.firstFailureAt, timeZone)}\n${formatInstant(workflow.lastFailureAt, timeZone)}`,
    ]),
  );
}

function workflowChanges(doc: Doc, changes: WorkflowChanges): void {
  heading(doc, 'Newly failing, recovered and flaky workflows');
  const list = (title: string, items: string[]): void => {
    ensureSpace(doc, 30);
    doc.font(BOLD).fontSize(FONT_SIZE).fillColor(COLORS.text).text(pdfText(`${title} (${items.length})`), MARGIN, doc.y, { width: WIDTH });
    doc.font(REGULAR).fillColor(items.length === 0 ? COLORS.muted : COLORS.text);
    if (items.length === 0) doc.text('None.', { width: WIDTH });
    for (const item of items) {
      ensureSpace(doc, 12);
      doc.text(pdfText(`• ${item}`), MARGIN + 8, doc.y, { width: WIDTH - 8 });
    }
    doc.moveDown(0.4);
  };
  const ref = (workflow: WorkflowRef): string => `${workflow.workflowName} (${workflow.projectName})`;
  list('Newly failing', changes.newlyFailing.map(ref));
  list('Recovered', changes.recovered.map(ref));
  list(
    'Flaky (succeeded on retry)',
    changes.flaky.map((workflow) => `${ref(workflow)}: ${formatCount(workflow.succeededOnRetry)} of ${formatCount(workflow.runs)} runs succeeded on retry`),
  );
}

function alerts(doc: Doc, summary: AlertSummary, timeZone: string): void {
  heading(doc, 'Alerts');
  paragraph(doc, `${formatCount(summary.fired)} fired, ${formatCount(summary.resolved)} resolved; median time to resolve ${formatDuration(summary.medianTimeToResolveMs)}.`);
  if (summary.alerts.length === 0) return;
  table(
    doc,
    [
      { title: 'Rule', width: 0.24 },
      { title: 'Workflow', width: 0.26 },
      { title: 'Fired', width: 0.18, numeric: true },
      { title: 'Resolved', width: 0.18, numeric: true },
      { title: 'Took', width: 0.14, numeric: true },
    ],
    summary.alerts.map((alert) => [
      alert.ruleName,
      `${alert.workflowName ?? '–'}\n${alert.projectName}`,
      formatInstant(alert.firedAt, timeZone),
      alert.resolvedAt === null ? 'firing' : formatInstant(alert.resolvedAt, timeZone),
      alert.resolvedAt === null ? '–' : formatDuration(Date.parse(alert.resolvedAt) - Date.parse(alert.firedAt)),
    ]),
  );
}

function runs(doc: Doc, report: ReportRuns, timeZone: string): void {
  heading(doc, 'Runs');
  const shown = report.rows.slice(0, PDF_RUN_ROWS);
  paragraph(
    doc,
    `${report.truncated ? `The first ${formatCount(report.count)} runs of the period are` : `All ${formatCount(report.count)} runs of the period are`} in the CSV format of this report${
      shown.length < report.count ? `; the first ${shown.length} are below` : ''
    }.`,
  );
  if (shown.length === 0) return;
  table(
    doc,
    [
      { title: 'Workflow / run', width: 0.27 },
      { title: 'Status', width: 0.28 },
      { title: 'Trigger', width: 0.12 },
      { title: 'Created', width: 0.2, numeric: true },
      { title: 'Duration', width: 0.13, numeric: true },
    ],
    shown.map((run) => [
      `${run.workflowName}\n${run.runId}`,
      run.error === null ? STATUS_LABELS[run.status] : `${STATUS_LABELS[run.status]}\n${shortError(run.error)}`,
      run.trigger,
      formatInstant(run.createdAt, timeZone),
      formatDuration(run.durationMs),
    ]),
  );
}

export async function renderPdf(content: ReportContent): Promise<Buffer> {
  const { period } = content;
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    info: { Title: pdfText(`${content.definitionName}: ${period.label}`), Creator: 'Runtrail', CreationDate: new Date(content.generatedAt) },
  });
  const { regular, bold } = fonts();
  doc.registerFont(REGULAR, regular);
  doc.registerFont(BOLD, bold);
  const chunks: Buffer[] = [];
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font(REGULAR).fontSize(8).fillColor(COLORS.muted).text('RUNTRAIL STATUS REPORT', MARGIN, MARGIN, { characterSpacing: 0.5 });
  doc.font(BOLD).fontSize(18).fillColor(COLORS.text).text(pdfText(content.definitionName), { width: WIDTH });
  doc.font(REGULAR).fontSize(11).text(pdfText(`${period.label}: ${formatInstant(period.from, period.timeZone)} to ${formatInstant(period.to, period.timeZone)} (${period.timeZone})`), { width: WIDTH });
  doc.fontSize(FONT_SIZE).fillColor(COLORS.muted).text(pdfText(`${content.projects.length === 1 ? 'Project' : 'Projects'}: ${content.projects.map((project) => project.projectName).join(', ')}`), { width: WIDTH });
  doc.moveDown(0.3);
  doc.moveTo(MARGIN, doc.y).lineTo(MARGIN + WIDTH, doc.y).lineWidth(2).strokeColor(COLORS.accent).stroke();

  if (content.statusDistribution) statusDistribution(doc, content.statusDistribution);
  if (content.periodChange) periodChange(doc, content.periodChange, content.statusDistribution);
  if (content.workflowPerformance) workflowPerformance(doc, content.workflowPerformance);
  if (content.topFailing) topFailing(doc, content.topFailing, period.timeZone);
  if (content.workflowChanges) workflowChanges(doc, content.workflowChanges);
  if (content.alerts) alerts(doc, content.alerts, period.timeZone);
  if (content.runs) runs(doc, content.runs, period.timeZone);

  doc.moveDown(1);
  ensureSpace(doc, 24);
  doc.font(REGULAR).fontSize(8).fillColor(COLORS.muted).text(
    pdfText(`Generated ${formatInstant(content.generatedAt, period.timeZone)} (${period.timeZone}) from history snapshot ${content.snapshot}. Report ${content.reportId}.`),
    MARGIN,
    doc.y,
    { width: WIDTH },
  );
  const pages = doc.bufferedPageRange();
  for (let index = 0; index < pages.count; index++) {
    doc.switchToPage(pages.start + index);
    // Text below the bottom margin would start a new page; the footer lives there, so lift it.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font(REGULAR).fontSize(7).fillColor(COLORS.muted).text(pdfText(`${content.definitionName}: ${period.label} · page ${index + 1} of ${pages.count}`), MARGIN, PAGE.height - MARGIN / 2 - 4, {
      width: WIDTH,
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return finished;
}
