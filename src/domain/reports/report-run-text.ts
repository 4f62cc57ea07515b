/**
 * The runs section as a report's CSV and JSON hold it, written a row at a time: where the rows are
 * read (a history read thread), so a hundred thousand runs reach the main thread as bytes rather
 * than as objects. CSV is RFC 4180 (fields with a comma, quote or line break quoted, quotes
 * doubled, CRLF after each record); a text cell that a spreadsheet would run as a formula (starting
 * with = + - @, a tab or a carriage return, or their full-width forms) gets a leading quote.
 */
import type { ReportRun } from './report-builder.ts';
import type { ReportRunRow, WorkflowRef } from './report-content.ts';

export type CsvCell = string | number | null;

const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const NEEDS_QUOTES = /[",\r\n]/;
// Either of the two above: most cells (ids, statuses, timestamps, plain names) need neither, and one test tells.
const NEEDS_CARE = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]|[",\r\n]/;
// Rows are written into the bytes this many at a time: strings of a few kilobytes, none of megabytes.
const ROWS_PER_PART = 100;
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
  return `${csvText(run.runId)},${refCsv(run)},${cellsCsv(run.status, run.trigger, run.createdAt, run.startedAt, run.finishedAt, run.durationMs, run.error)}`;
}

// A run's cells after its workflow's, in the order of runRowOf; its workflow's are written once per workflow.
function refCsv(ref: WorkflowRef): string {
  return `${csvText(ref.projectId)},${csvText(ref.projectName)},${csvText(ref.workflowId)},${csvText(ref.workflowName)}`;
}

function cellsCsv(status: string, trigger: string, createdAt: string, startedAt: string | null, finishedAt: string | null, durationMs: number | null, error: string | null): string {
  return `${csvText(status)},${csvText(trigger)},${csvText(createdAt)},${csvField(startedAt)},${csvField(finishedAt)},${csvField(durationMs)},${csvField(error)}\r\n`;
}

const json = JSON.stringify;
const KEY = `\n${JSON_ITEM_INDENT}  `;

function refJson(ref: WorkflowRef): string {
  return `${JSON_ITEM_INDENT}{${KEY}"workflowId": ${json(ref.workflowId)},${KEY}"workflowName": ${json(ref.workflowName)},${KEY}"projectId": ${json(ref.projectId)},${KEY}"projectName": ${json(ref.projectName)},${KEY}"runId": `;
}

function cellsJson(runId: string, status: string, trigger: string, createdAt: string, startedAt: string | null, finishedAt: string | null, durationMs: number | null, error: string | null): string {
  return `${json(runId)},${KEY}"status": ${jsonWord(status)},${KEY}"trigger": ${jsonWord(trigger)},${KEY}"createdAt": ${jsonWord(createdAt)},${KEY}"startedAt": ${startedAt === null ? 'null' : jsonWord(startedAt)},${KEY}"finishedAt": ${finishedAt === null ? 'null' : jsonWord(finishedAt)},${KEY}"durationMs": ${json(durationMs)},${KEY}"error": ${json(error)}\n${JSON_ITEM_INDENT}}`;
}

// Statuses, triggers and ISO timestamps: nothing in them for JSON to escape, which one test tells (a call of JSON.stringify each costs more).
const PLAIN_JSON = /^[\w.:+-]*$/;

function jsonWord(value: string): string {
  return PLAIN_JSON.test(value) ? `"${value}"` : json(value);
}

/**
 * UTF-8 bytes written a few rows at a time into one buffer that doubles as it fills: a hundred
 * thousand rows make no string of megabytes (whose pieces and joining took the collector longer
 * than writing them took).
 */
class Utf8Sink {
  private bytes = new Uint8Array(1 << 16);
  private length = 0;

  write(text: string): void {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    const needed = this.length + text.length * 3;
    if (needed > this.bytes.length) {
      let size = this.bytes.length * 2;
      while (size < needed) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    this.length += utf8.encodeInto(text, this.bytes.subarray(this.length)).written;
  }

  /** The bytes written, in a buffer of their own (which can be transferred). */
  result(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

const utf8 = new TextEncoder();

/**
 * The runs section's bytes in the formats asked for: the CSV records, and the JSON items joined as
 * in the array, each what JSON.stringify(content, null, 2) writes of the row runRowOf builds (its
 * keys in that order). Runs come with their workflow, not as rows: no object per run, and each
 * workflow's cells are written once.
 */
export class RunsTextWriter {
  private rows = 0;
  private readonly csvSink = new Utf8Sink();
  private readonly jsonSink = new Utf8Sink();
  private csv = '';
  private json = '';
  private readonly refs = new Map<string, { csv: string; json: string }>();

  constructor(private readonly formats: { csv: boolean; json: boolean }) {}

  /** A run of `ref`'s workflow, its times written by `iso`, as the row runRowOf(run, ref, iso). */
  addRun(run: ReportRun, ref: WorkflowRef, iso: (ms: number) => string): void {
    let cells = this.refs.get(ref.workflowId);
    if (!cells) {
      cells = { csv: refCsv(ref), json: refJson(ref) };
      this.refs.set(ref.workflowId, cells);
    }
    const createdAt = iso(run.createdAtMs);
    const startedAt = run.startedAtMs === null ? null : iso(run.startedAtMs);
    const finishedAt = run.finishedAtMs === null ? null : iso(run.finishedAtMs);
    this.write(
      this.formats.csv ? `${csvText(run.id)},${cells.csv},${cellsCsv(run.status, run.trigger, createdAt, startedAt, finishedAt, run.durationMs, run.error)}` : '',
      this.formats.json ? `${cells.json}${cellsJson(run.id, run.status, run.trigger, createdAt, startedAt, finishedAt, run.durationMs, run.error)}` : '',
    );
  }

  finish(): { rows: number; csv: Uint8Array | null; json: Uint8Array | null } {
    this.flush();
    return { rows: this.rows, csv: this.formats.csv ? this.csvSink.result() : null, json: this.formats.json ? this.jsonSink.result() : null };
  }

  private write(csv: string, json: string): void {
    this.csv += csv;
    if (this.formats.json) this.json += this.rows === 0 ? json : `,\n${json}`;
    this.rows += 1;
    if (this.rows % ROWS_PER_PART === 0) this.flush();
  }

  private flush(): void {
    if (this.formats.csv) this.csvSink.write(this.csv);
    if (this.formats.json) this.jsonSink.write(this.json);
    this.csv = '';
    this.json = '';
  }
}
