/*
 * Rows of a statement handed back encoded rather than as row objects: a read thread encodes them
 * where it read them and hands back bytes (a transferable buffer), since a hundred thousand row
 * objects cost more to clone across threads, and to collect, than the statement did to run.
 */
import { isoTimestamps, type ReportRun } from '../domain/reports/report-builder.ts';
import type { WorkflowRef } from '../domain/reports/report-content.ts';
import { RunsTextWriter } from '../domain/reports/report-run-text.ts';
import { runStatusOf } from '../domain/status.ts';
import { column, type SqlRow } from './sql-values.ts';

/** Report runs (rows read as reportRunOf reads them) as the text of the report's CSV and JSON runs section. */
export interface ReportRunsEncoding {
  kind: 'reportRuns';
  csv: boolean;
  json: boolean;
  /** The names of the workflows the rows may name. */
  workflows: WorkflowRef[];
}

export type RowEncoding = ReportRunsEncoding;

export interface EncodedRows {
  rows: number;
  csv: Uint8Array | null;
  json: Uint8Array | null;
  /** Workflows of rows that `workflows` did not name: the text is then incomplete, to be read otherwise. */
  unnamed: string[];
}

/** A run of the runs section from its row (id, workflowId, status, trigger, createdAt, startedAt, finishedAt, durationMs, error). */
export function reportRunOf(row: SqlRow): ReportRun {
  const id = column.text(row, 'id');
  return {
    id,
    workflowId: column.text(row, 'workflowId'),
    status: runStatusOf(column.text(row, 'status'), `run ${id}`),
    trigger: column.text(row, 'trigger'),
    createdAtMs: column.epochMs(row, 'createdAt'),
    startedAtMs: column.optionalEpochMs(row, 'startedAt'),
    finishedAtMs: column.optionalEpochMs(row, 'finishedAt'),
    durationMs: column.optionalInteger(row, 'durationMs'),
    error: column.optionalText(row, 'error'),
  };
}

/** Rows as arrays of cells, in the order of their columns (better-sqlite3's raw mode): no object per row. */
export interface RowTable {
  columns: string[];
  rows: unknown[][];
}

/** Rows as objects, as a table. */
export function tableOf(rows: readonly SqlRow[]): RowTable {
  const columns = rows[0] ? Object.keys(rows[0]) : [];
  return { columns, rows: rows.map((row) => columns.map((name) => row[name])) };
}

export function encodeRows(table: RowTable, encoding: RowEncoding): EncodedRows {
  const refs = new Map(encoding.workflows.map((ref) => [ref.workflowId, ref]));
  const unnamed = new Set<string>();
  const iso = isoTimestamps();
  const writer = new RunsTextWriter({ csv: encoding.csv, json: encoding.json });
  // One row object, its cells replaced for each row, read by reportRunOf.
  const row: SqlRow = {};
  for (const cells of table.rows) {
    for (let index = 0; index < table.columns.length; index += 1) row[table.columns[index] ?? ''] = cells[index];
    const run = reportRunOf(row);
    const ref = refs.get(run.workflowId);
    if (ref) writer.addRun(run, ref, iso);
    else unnamed.add(run.workflowId);
  }
  const text = writer.finish();
  return { rows: table.rows.length, csv: text.csv, json: text.json, unnamed: [...unnamed] };
}

/** The buffers of encoded rows, to transfer rather than copy them to another thread. */
export function transferablesOf(encoded: EncodedRows): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [];
  for (const bytes of [encoded.csv, encoded.json]) if (bytes && bytes.buffer instanceof ArrayBuffer) buffers.push(bytes.buffer);
  return buffers;
}
