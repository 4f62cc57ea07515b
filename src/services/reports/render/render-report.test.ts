import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { REPORT_FORMATS, REPORT_LISTED_RUN_ROWS, type ReportContent } from '../../../domain/reports/report-content';
import { isoTimestamps, runRowOf, type ReportRun } from '../../../domain/reports/report-builder';
import { RunsTextWriter } from '../../../domain/reports/report-run-text';
import { RUN_STATUSES } from '../../../domain/status';
import { readPixels } from '../../../test/png-pixels';
import type { PdfProbe } from '../../../test/pdf-probe';
import {
  FIXTURE_COUNTS,
  FIXTURE_RUN_ROWS,
  FORMULA_WORKFLOW_NAME,
  HOSTILE_ERROR,
  HOSTILE_WORKFLOW_NAME,
  UNICODE_PROJECT_NAME,
  distribution,
  reportFixture,
} from '../../../test/report-content-fixture';
import { CHANGE_BARS_WIDTH, PIE_SIZE, changeBarsSvg, pieSlices, pieSvg, sparklineSvg } from './report-charts';
import { HTML_RUN_ROWS, escapeHtml } from './report-html';
import { STATUS_COLORS } from './report-look';
import { ERROR_SHOWN_CHARS, formatInstant } from './report-text';
import { PDF_PIE } from './report-pdf';
import { svgToPng } from './report-raster';
import { renderReport } from './render-report';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

async function text(content: ReportContent, format: 'HTML' | 'CSV'): Promise<string> {
  return (await renderReport(content, format)).bytes.toString('utf8');
}

type Section = 'statusDistribution' | 'periodChange' | 'workflowPerformance' | 'topFailing' | 'workflowChanges' | 'alerts' | 'runs';

function withoutSections(content: ReportContent, ...sections: Section[]): ReportContent {
  const copy: ReportContent = { ...content };
  for (const section of sections) delete copy[section];
  return copy;
}

const pdfProbe = z.object({ pages: z.number(), text: z.string(), pageTexts: z.array(z.string()), firstPagePng: z.string() });

describe('renderReport', () => {
  it('renders the fixture in every format with its content type and file extension', async () => {
    const content = reportFixture();
    const rendered = await Promise.all(REPORT_FORMATS.map((format) => renderReport(content, format)));
    expect(rendered.map(({ format, contentType, fileExtension }) => ({ format, contentType, fileExtension }))).toEqual([
      { format: 'HTML', contentType: 'text/html; charset=utf-8', fileExtension: 'html' },
      { format: 'CSV', contentType: 'text/csv; charset=utf-8; header=present', fileExtension: 'csv' },
      { format: 'JSON', contentType: 'application/json; charset=utf-8', fileExtension: 'json' },
      { format: 'PDF', contentType: 'application/pdf', fileExtension: 'pdf' },
    ]);
    for (const report of rendered) expect(report.bytes.length).toBeGreaterThan(1000);
  });

  it('renders JSON as the content itself, pretty-printed', async () => {
    const content = reportFixture();
    const json = (await renderReport(content, 'JSON')).bytes.toString('utf8');
    expect(JSON.parse(json)).toEqual(content);
    expect(json).toContain('\n  "reportId": "rep_fixture"');
  });
});

describe('what every format shares', () => {
  it('paints statuses in the colours the app gives them in its light scheme', () => {
    const css = readFileSync(path.join(ROOT, 'app', 'globals.css'), 'utf8');
    const light = css.slice(0, css.indexOf('@media (prefers-color-scheme: dark)'));
    const variable = { QUEUED: 'queued', RUNNING: 'running', WAITING: 'waiting', SUCCEEDED: 'succeeded', PARTIALLY_SUCCEEDED: 'partial', FAILED: 'failed', ABORTED: 'aborted', REJECTED: 'rejected' } as const;
    for (const status of RUN_STATUSES) {
      expect(light).toContain(`--status-${variable[status]}: ${STATUS_COLORS[status]};`);
    }
  });

  it('writes times on the wall clock of the period time zone, across a change of daylight-saving time', () => {
    // Berlin leaves summer time at 03:00 CEST on 2026-10-25: 02:30 happens twice.
    expect(formatInstant('2026-10-25T00:30:00.000Z', 'Europe/Berlin')).toBe('2026-10-25 02:30');
    expect(formatInstant('2026-10-25T01:30:00.000Z', 'Europe/Berlin')).toBe('2026-10-25 02:30');
    expect(formatInstant('2026-10-25T02:30:00.000Z', 'Europe/Berlin')).toBe('2026-10-25 03:30');
    expect(formatInstant('2026-12-01T10:30:00.000Z', 'America/New_York')).toBe('2026-12-01 05:30');
    expect(formatInstant('2026-12-01T23:59:00.000Z', 'UTC')).toBe('2026-12-01 23:59');
  });

  it('renders a period without runs in every format', async () => {
    const empty: ReportContent = {
      ...reportFixture(),
      statusDistribution: distribution({}),
      periodChange: { previous: distribution({}), baseline: distribution({}) },
      workflowPerformance: [],
      topFailing: [],
      workflowChanges: { newlyFailing: [], recovered: [], flaky: [] },
      alerts: { fired: 0, resolved: 0, medianTimeToResolveMs: null, alerts: [] },
      runs: { rows: [], count: 0, truncated: false },
    };
    const html = await text(empty, 'HTML');
    expect(html).toContain('No workflow ran in this period.');
    expect(html).toContain('All 0 runs of the period are in the CSV attachment.');
    expect(await text(empty, 'CSV')).toBe('\ufeffrun_id,project_id,project,workflow_id,workflow,status,trigger,created_at,started_at,finished_at,duration_ms,error\r\n');
    expect((await renderReport(empty, 'PDF')).bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('shortens a long error in HTML and PDF tables and keeps it whole in CSV and JSON', async () => {
    const content = reportFixture();
    const first = content.runs?.rows[0];
    if (!content.runs || !first) throw new Error('the fixture has runs');
    const trace = `Error: boom\n${'    at someFunction (/srv/app/node_modules/some-module/index.js:1:1)\n'.repeat(2000)}`;
    content.runs = { rows: [{ ...first, error: trace }], count: 1, truncated: false };
    const html = await text(content, 'HTML');
    expect(html).toContain(`${escapeHtml(trace.slice(0, ERROR_SHOWN_CHARS))}…</div>`);
    expect(html.length).toBeLessThan(100_000);
    expect((await renderReport(content, 'PDF')).bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(await text(content, 'CSV')).toContain(trace);
    expect(JSON.parse((await renderReport(content, 'JSON')).bytes.toString('utf8'))).toEqual(content);
  });
});

describe('the HTML report', () => {
  it('escapes every string from the content: a hostile workflow name or error stays text', async () => {
    const html = await text(reportFixture(), 'HTML');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt; exit 1 &amp; &quot;quoted&quot;');
    expect(html).toContain('Data &amp; Billing');
  });

  it('is self-contained for mail clients: inline styles, no external resources, charts as PNG images, at most 640 px wide', async () => {
    const html = await text(reportFixture(), 'HTML');
    expect(html).not.toMatch(/<(style|link|script)\b/i);
    expect(html).not.toMatch(/\bclass=/);
    expect(html).not.toContain('<svg');
    const sources = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((match) => match[1]);
    // The pie, a change bar per status with runs in any period (6) and a sparkline per workflow (4).
    expect(sources).toHaveLength(1 + 6 + 4);
    for (const source of sources) expect(source).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/=]+$/);
    expect(html).toContain('max-width:640px');
  });

  it('shows every section of the content, with times on the wall clock of the period time zone', async () => {
    const html = await text(reportFixture(), 'HTML');
    for (const heading of [
      'Status distribution',
      'Change against the previous period and the baseline',
      'Workflows',
      'Top failing workflows',
      'Newly failing, recovered and flaky workflows',
      'Alerts',
      'Runs',
    ]) {
      expect(html).toContain(`>${heading}</h2>`);
    }
    expect(html).toContain('Week of 2026-11-30: 2026-11-30 00:00 to 2026-12-07 00:00 (Europe/Berlin)');
    // The first run was created at 10:30 UTC, 11:30 in Berlin.
    expect(html).toContain('2026-12-01 11:30');
    expect(html).toContain('60.0%');
    expect(html).toContain('+25 (+71.4%)');
    expect(html).toContain('3 fired, 2 resolved; median time to resolve 45 min 0 s.');
    expect(html).toContain('5 of 26 runs succeeded on retry');
  });

  it('lists the first 20 runs and points to the CSV attachment for all of them', async () => {
    const html = await text(reportFixture(), 'HTML');
    expect(html).toContain(`All ${FIXTURE_RUN_ROWS} runs of the period are in the CSV attachment; the first ${HTML_RUN_ROWS} are below.`);
    expect(html).toContain('run_0019');
    expect(html).not.toContain('run_0020');
  });

  it('leaves out the sections the definition did not ask for', async () => {
    const html = await text(withoutSections(reportFixture(), 'alerts', 'runs', 'topFailing'), 'HTML');
    expect(html).toContain('>Status distribution</h2>');
    expect(html).not.toContain('>Alerts</h2>');
    expect(html).not.toContain('>Runs</h2>');
    expect(html).not.toContain('>Top failing workflows</h2>');
  });
});

describe('the CSV report', () => {
  const records = (csv: string): string[][] => parse(csv, { bom: true, relax_column_count: true, skip_empty_lines: false });

  it('is the runs of the period, RFC 4180 quoted, with formulas defused', async () => {
    const content = reportFixture();
    const first = content.runs?.rows[0];
    if (!content.runs || !first) throw new Error('the fixture has runs');
    content.runs.rows[0] = { ...first, error: 'line one\nline two, "quoted"' };
    const csv = await text(content, 'CSV');
    expect(csv.split('\r\n')[0]).toBe('\ufeffrun_id,project_id,project,workflow_id,workflow,status,trigger,created_at,started_at,finished_at,duration_ms,error');
    const rows = records(csv);
    expect(rows).toHaveLength(FIXTURE_RUN_ROWS + 1);
    expect(rows[1]).toEqual(['run_0000', 'prj_1', 'Data & Billing', 'wf_nightly', 'nightly-etl', 'FAILED', 'SCHEDULE', '2026-12-01T10:30:00.000Z', '2026-12-01T10:30:01.000Z', '2026-12-01T10:31:01.000Z', '60000', 'line one\nline two, "quoted"']);
    const formulaRow = rows.find((row) => row[0] === 'run_0002');
    expect(formulaRow?.[4]).toBe(`'${FORMULA_WORKFLOW_NAME}`);
    const minusRow = rows.find((row) => row[0] === 'run_0003');
    expect(minusRow?.[11]).toBe("'-1 rows affected; @admin see =SUM(A1)");
    const hostileRow = rows.find((row) => row[0] === 'run_0006');
    expect(hostileRow?.[11]).toBe(HOSTILE_ERROR);
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('writes the runs byte for byte as the cell-by-cell writer it replaced, hostile cells included', async () => {
    const content = reportFixture();
    const first = content.runs?.rows[0];
    if (!first) throw new Error('the fixture has runs');
    const odd = ['=1+1', '+1', '-1', '@x', '\tcmd', '\rcmd', '\uFF1D1', 'a,b', 'say "hi"', 'two\nlines', 'crlf\r\n', 'plain', 'é ü 漢字', ''];
    const rows = Array.from({ length: 2_500 }, (_, index) => ({
      ...first,
      runId: `run_${index}`,
      projectName: odd[index % odd.length] ?? '',
      workflowName: odd[(index * 7) % odd.length] ?? '',
      trigger: index % 5 === 0 ? '-RETRY' : first.trigger,
      startedAt: index % 3 === 0 ? null : first.startedAt,
      durationMs: index % 4 === 0 ? null : index * 13,
      error: index % 2 === 0 ? null : (odd[(index * 3) % odd.length] ?? ''),
    }));
    content.runs = { rows, count: rows.length, truncated: false };
    const reference = (value: string | number | null): string => {
      if (value === null) return '';
      if (typeof value === 'number') return String(value);
      const defused = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(value) ? `'${value}` : value;
      return /[",\r\n]/.test(defused) ? `"${defused.replace(/"/g, '""')}"` : defused;
    };
    const header = ['run_id', 'project_id', 'project', 'workflow_id', 'workflow', 'status', 'trigger', 'created_at', 'started_at', 'finished_at', 'duration_ms', 'error'];
    const cells = rows.map((run) => [run.runId, run.projectId, run.projectName, run.workflowId, run.workflowName, run.status, run.trigger, run.createdAt, run.startedAt, run.finishedAt, run.durationMs, run.error]);
    const expected = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from([header, ...cells].map((row) => `${row.map(reference).join(',')}\r\n`).join(''))]);

    const rendered = await renderReport(content, 'CSV');

    expect(rendered.bytes.equals(expected)).toBe(true);
  });

  it('writes the CSV and JSON from the runs as text, as a read thread hands them over, byte for byte as from the runs as rows', async () => {
    const content = reportFixture();
    const odd = ['=1+1', '-1', '\uFF1D1', 'a,b', 'say "hi"', 'two\nlines', 'crlf\r\n', 'back\\slash', 'é ü 漢字 😀', 'lone \ud83d surrogate', '\u2028\u0000', ''];
    const refs = odd.map((name, index) => ({ workflowId: `wf_${index}`, workflowName: name, projectId: `prj_${index % 3}`, projectName: odd[(index * 7) % odd.length] ?? '' }));
    const runs: ReportRun[] = Array.from({ length: 2_500 }, (_, index) => ({
      id: `run_${index}`,
      workflowId: `wf_${index % refs.length}`,
      status: RUN_STATUSES[index % RUN_STATUSES.length] ?? 'FAILED',
      trigger: index % 5 === 0 ? '-RETRY' : 'SCHEDULER',
      createdAtMs: Date.UTC(2026, 10, 9) + index * 61_001,
      startedAtMs: index % 3 === 0 ? null : Date.UTC(2026, 10, 9) + index * 61_001 + 5,
      finishedAtMs: index % 6 === 1 ? null : Date.UTC(2026, 10, 9) + index * 61_001 + 999,
      durationMs: index % 4 === 0 ? null : index * 13,
      error: index % 2 === 0 ? null : (odd[(index * 5) % odd.length] ?? ''),
    }));
    const refOf = (run: ReportRun) => refs[Number(run.workflowId.slice(3))] ?? { workflowId: run.workflowId, workflowName: run.workflowId, projectId: '', projectName: '' };
    for (const count of [0, 1, runs.length]) {
      const held = runs.slice(0, count);
      const writer = new RunsTextWriter({ csv: true, json: true });
      const iso = isoTimestamps();
      for (const run of held) writer.addRun(run, refOf(run), iso);
      const text = writer.finish();
      const runsText = { csv: Buffer.from(text.csv ?? new Uint8Array()), json: Buffer.from(text.json ?? new Uint8Array()) };
      const rows = held.map((run) => runRowOf(run, refOf(run), iso));
      const asRows: ReportContent = { ...content, runs: { rows, count, truncated: count < runs.length } };
      const besideText: ReportContent = { ...content, runs: { rows: rows.slice(0, REPORT_LISTED_RUN_ROWS), count, truncated: count < runs.length } };
      for (const format of ['CSV', 'JSON', 'HTML'] as const) {
        const same = (await renderReport(besideText, format, runsText)).bytes.equals((await renderReport(asRows, format)).bytes);
        expect({ count, format, same }).toEqual({ count, format, same: true });
      }
    }
  });

  it('defuses every way a cell can start a formula, and leaves numbers alone', async () => {
    const content = reportFixture();
    const first = content.runs?.rows[0];
    if (!content.runs || !first) throw new Error('the fixture has runs');
    const starts = ['=1+1', '+1', '-1', '@SUM(A1)', '\tcmd', '\rcmd', '\uFF1D1', '\uFF0B1', '\uFF0D1', '\uFF201'];
    content.runs = { rows: starts.map((error, index) => ({ ...first, runId: `run_${index}`, error })), count: starts.length, truncated: false };
    const rows = records(await text(content, 'CSV')).slice(1);
    expect(rows.map((row) => row[11])).toEqual(starts.map((start) => `'${start}`));
    expect(rows.map((row) => row[10])).toEqual(starts.map(() => '60000'));
  });

  it('without the runs section, is the status distribution and the workflow table', async () => {
    const csv = await text(withoutSections(reportFixture(), 'runs'), 'CSV');
    const rows = records(csv);
    expect(rows.slice(0, 10)).toEqual([
      ['status', 'runs', 'share'],
      ['QUEUED', '0', '0'],
      ['RUNNING', '2', '0.01'],
      ['WAITING', '0', '0'],
      ['SUCCEEDED', '120', '0.6'],
      ['PARTIALLY_SUCCEEDED', '8', '0.04'],
      ['FAILED', '60', '0.3'],
      ['ABORTED', '6', '0.03'],
      ['REJECTED', '4', '0.02'],
      ['TOTAL', '200', '1'],
    ]);
    expect(rows[10]).toEqual(['']);
    expect(rows[11]).toEqual(['project_id', 'project', 'workflow_id', 'workflow', 'runs', 'succeeded', 'success_rate', 'p50_duration_ms', 'p95_duration_ms']);
    expect(rows[13]?.slice(0, 6)).toEqual(['prj_1', 'Data & Billing', 'wf_hostile', HOSTILE_WORKFLOW_NAME, '60', '20']);
    expect(rows).toHaveLength(16);
  });
});

describe('the pie', () => {
  /** The pie's pixels on the circle midway through the ring, one per degree. */
  function ringSamples(png: Buffer, hexes: string[]): Map<string, number> {
    const pixels = readPixels(png);
    const scale = pixels.width / PIE_SIZE;
    const centre = pixels.width / 2;
    const middle = ((PIE_SIZE / 2 - 1 + PIE_SIZE * 0.28) / 2) * scale;
    const counts = new Map(hexes.map((hex) => [hex, 0]));
    for (let degree = 0; degree < 360; degree++) {
      const angle = (degree + 0.5) * (Math.PI / 180);
      const x = centre + middle * Math.sin(angle);
      const y = centre - middle * Math.cos(angle);
      for (const hex of hexes) if (pixels.is(x, y, hex, 8)) counts.set(hex, (counts.get(hex) ?? 0) + 1);
    }
    return counts;
  }

  it('of one status is a whole ring with no seam', () => {
    const failedOnly = distribution({ FAILED: 7 });
    const slices = pieSlices(failedOnly, { cx: 80, cy: 80, radius: 79, innerRadius: 44.8 });
    expect(slices).toHaveLength(1);
    // Two closed circles, no straight edge from the centre that antialiasing would show.
    expect(slices[0]?.path).not.toContain('L');
    expect(ringSamples(svgToPng(pieSvg(failedOnly)), [STATUS_COLORS.FAILED]).get(STATUS_COLORS.FAILED)).toBe(360);
  });

  it('gives each status an arc in proportion to its runs', () => {
    const counts = ringSamples(svgToPng(pieSvg(reportFixture().statusDistribution ?? distribution({}))), [STATUS_COLORS.SUCCEEDED, STATUS_COLORS.FAILED]);
    expect(Math.abs((counts.get(STATUS_COLORS.SUCCEEDED) ?? 0) - 360 * 0.6)).toBeLessThanOrEqual(3);
    expect(Math.abs((counts.get(STATUS_COLORS.FAILED) ?? 0) - 360 * 0.3)).toBeLessThanOrEqual(3);
  });
});

describe('the small charts', () => {
  it('break a sparkline where nothing finished, and show a bucket alone as a dot', () => {
    const svg = sparklineSvg([0.7, 0.5, null, 0.6, null, null, 1]);
    expect(svg.match(/<polyline /g)).toHaveLength(1);
    expect(svg.match(/<circle /g)).toHaveLength(2);
  });

  it('draw more runs to the right of the centre and fewer to the left, the largest change reaching the edge', () => {
    const pixels = readPixels(svgToPng(changeBarsSvg('FAILED', { vsPrevious: 10, vsBaseline: -5 }, 10)));
    const scale = pixels.width / CHANGE_BARS_WIDTH;
    const upper = 5 * scale;
    const lower = 14 * scale;
    expect(pixels.is((CHANGE_BARS_WIDTH - 2) * scale, upper, STATUS_COLORS.FAILED)).toBe(true);
    expect(pixels.is(20 * scale, upper, STATUS_COLORS.FAILED)).toBe(false);
    // The baseline's bar is the lighter one: the status colour, translucent.
    expect(pixels.alpha(CHANGE_BARS_WIDTH * 0.3 * scale, lower)).toBeGreaterThan(100);
    expect(pixels.alpha(CHANGE_BARS_WIDTH * 0.2 * scale, lower)).toBe(0);
  });
});

describe('the PDF report', () => {
  let probe: PdfProbe;

  beforeAll(async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'report-pdf-')), 'report.pdf');
    writeFileSync(file, (await renderReport(reportFixture(), 'PDF')).bytes);
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'src', 'test', 'pdf-probe.ts'), file], {
      maxBuffer: 64 * 1024 * 1024,
    });
    probe = pdfProbe.parse(JSON.parse(stdout));
  });

  it('opens, and its text holds the title, the period and the totals', () => {
    expect(probe.text).toContain('Weekly status');
    expect(probe.text).toContain('Week of 2026-11-30: 2026-11-30 00:00 to 2026-12-07 00:00 (Europe/Berlin)');
    expect(probe.text).toMatch(/Total\s+200\s+100\.0%/);
    expect(probe.text).toMatch(/Succeeded\s+120\s+60\.0%/);
    expect(probe.text).toMatch(/Failed\s+60\s+30\.0%/);
    expect(probe.text).toContain(HOSTILE_WORKFLOW_NAME);
    expect(probe.text).toContain(UNICODE_PROJECT_NAME);
  });

  it('breaks long tables onto new pages, repeating their header', () => {
    expect(probe.pages).toBeGreaterThanOrEqual(2);
    const pagesWithRunHeader = probe.pageTexts.filter((page) => page.includes('Workflow / run'));
    expect(pagesWithRunHeader.length).toBeGreaterThanOrEqual(2);
    expect(probe.text).toContain(`run_00${FIXTURE_RUN_ROWS - 1}`);
    probe.pageTexts.forEach((page, index) => expect(page).toContain(`Weekly status: Week of 2026-11-30 · page ${index + 1} of ${probe.pages}`));
  });

  it('draws the pie on the first page, failed and succeeded in proportion', () => {
    const pixels = readPixels(Buffer.from(probe.firstPagePng, 'base64'));
    const scale = pixels.width / 595.28;
    // The pie's column, in the top third of the page where the distribution is.
    const region = { x: PDF_PIE.x * scale, y: 0, width: PDF_PIE.size * scale, height: pixels.height / 3 };
    const counts = pixels.count([STATUS_COLORS.SUCCEEDED, STATUS_COLORS.FAILED], region);
    const succeeded = counts.get(STATUS_COLORS.SUCCEEDED) ?? 0;
    const failed = counts.get(STATUS_COLORS.FAILED) ?? 0;
    expect(succeeded).toBeGreaterThan(2_000);
    expect(failed / succeeded).toBeGreaterThan((FIXTURE_COUNTS.FAILED / FIXTURE_COUNTS.SUCCEEDED) * 0.9);
    expect(failed / succeeded).toBeLessThan((FIXTURE_COUNTS.FAILED / FIXTURE_COUNTS.SUCCEEDED) * 1.1);
  });
});
