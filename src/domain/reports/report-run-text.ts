/**
 * The runs section as a report's CSV and JSON hold it, written a row at a time: where the rows are
 * read (a history read thread), so a hundred thousand runs reach the main thread as bytes rather
 * than as objects. CSV is RFC 4180 (fields with a comma, quote or line break quoted, quotes
 * doubled, CRLF after each record); a text cell that a spreadsheet would run as a formula (starting
 * with = + - @, a tab or a carriage return, or their full-width forms) gets a leading quote.
 */
import type { ReportRunRow } from './report-content.ts';

export type CsvCell = string | number | null;

const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const NEEDS_QUOTES = /[",\r\n]/;
// Either of the two above: most cells (ids, statuses, timestamps, plain names) need neither, and one test tells.
const NEEDS_CARE = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]|[",\r\n]/;
// A row at a time into a part, a part per this many rows: a hundred thousand rows make no arrays per row or cell.
const ROWS_PER_PART = 1_000;
// content.runs.rows sits three levels into the report's JSON (JSON.stringify(content, null, 2)).
const JSON_ITEM_INDENT = '      ';

export const RUN_CSV_HEADER = 'run_id,project_id,project,workflow_id,workflow,status,trigger,created_at,started_at,finished_at,duration_ms,error\r\n';

export function csvText(value: string): string {
  if (!NEEDS_CARE.test(value)) return value;
  const defused = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(defused) ? `"${defused.replace(/"/g, '""')}"` : defused;
}

export function csvField(value: CsvCell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  return csvText(value);
}

/** One run as a record of the report's CSV, its line break included. */
export function runCsvRecord(run: ReportRunRow): string {
  return `${csvText(run.runId)},${csvText(run.projectId)},${csvText(run.projectName)},${csvText(run.workflowId)},${csvText(run.workflowName)},${csvText(run.status)},${csvText(run.trigger)},${csvText(run.createdAt)},${csvField(run.startedAt)},${csvField(run.finishedAt)},${csvField(run.durationMs)},${csvField(run.error)}\r\n`;
}

/**
 * One run as an item of content.runs.rows in the report's JSON, indented as there: a JSON string
 * holds no raw line break, so every line break is one between the object's lines.
 */
export function runJsonItem(run: ReportRunRow): string {
  return JSON_ITEM_INDENT + JSON.stringify(run, null, 2).replace(/\n/g, `\n${JSON_ITEM_INDENT}`);
}

/** The runs section's text in the formats asked for: the CSV records, and the JSON items joined as in the array. */
export class RunsTextWriter {
  private rows = 0;
  private readonly csvParts: string[] = [];
  private readonly jsonParts: string[] = [];
  private csv = '';
  private json = '';

  constructor(private readonly formats: { csv: boolean; json: boolean }) {}

  add(run: ReportRunRow): void {
    if (this.formats.csv) this.csv += runCsvRecord(run);
    if (this.formats.json) this.json += this.rows === 0 ? runJsonItem(run) : `,\n${runJsonItem(run)}`;
    this.rows += 1;
    if (this.rows % ROWS_PER_PART === 0) this.flush();
  }

  finish(): { rows: number; csv: string | null; json: string | null } {
    this.flush();
    return { rows: this.rows, csv: this.formats.csv ? this.csvParts.join('') : null, json: this.formats.json ? this.jsonParts.join('') : null };
  }

  private flush(): void {
    this.csvParts.push(this.csv);
    this.jsonParts.push(this.json);
    this.csv = '';
    this.json = '';
  }
}
