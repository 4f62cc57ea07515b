import type { ReportContent, RunsText } from '../../../domain/reports/report-content';

// The runs key sits at the top level of the content, its rows first: with the rows left empty,
// JSON.stringify writes exactly this once (a JSON string holds no raw line break).
const EMPTY_ROWS = '\n  "runs": {\n    "rows": []';

/**
 * The report as JSON (JSON.stringify(content, null, 2)). Given the runs as text, the rows of
 * content.runs are those, spliced in as bytes where JSON.stringify would have written them.
 */
export function renderJson(content: ReportContent, runsText: RunsText | null): Buffer {
  if (!content.runs || !runsText) return Buffer.from(JSON.stringify(content, null, 2));
  const items = runsText.json;
  if (!items) throw new Error(`Report ${content.reportId} got its runs as text without JSON: its JSON cannot be written from it`);
  const text = JSON.stringify({ ...content, runs: { ...content.runs, rows: [] } }, null, 2);
  const at = text.indexOf(EMPTY_ROWS);
  if (at < 0) throw new Error(`Report ${content.reportId}: its JSON has no runs rows to put the runs in`);
  if (content.runs.count === 0) return Buffer.from(text);
  const cut = at + EMPTY_ROWS.length - 1;
  return Buffer.concat([Buffer.from(`${text.slice(0, cut)}\n`), items, Buffer.from(`\n    ${text.slice(cut)}`)]);
}
