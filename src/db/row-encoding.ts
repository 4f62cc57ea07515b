/*
 * Rows of a statement handed back encoded rather than as row objects: a read thread encodes them
 * where it read them and hands back bytes (a transferable buffer), since a hundred thousand row
 * objects cost more to clone across threads, and to collect, than the statement did to run.
 */
import { isoTimestamps, runRowOf, type ReportRun } from '../domain/reports/report-builder.ts';
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

// TextEncoder gives each text a buffer of its own, which can be transferred (Buffer.from may hand out a slice of a shared pool).
const utf8 = new TextEncoder();

export function encodeRows(rows: readonly SqlRow[], encoding: RowEncoding): EncodedRows {
  const refs = new Map(encoding.workflows.map((ref) => [ref.workflowId, ref]));
  const unnamed = new Set<string>();
  const iso = isoTimestamps();
  const writer = new RunsTextWriter({ csv: encoding.csv, json: encoding.json });
  for (const row of rows) {
    const run = reportRunOf(row);
    const ref = refs.get(run.workflowId);
    if (ref) writer.add(runRowOf(run, ref, iso));
    else unnamed.add(run.workflowId);
  }
  const text = writer.finish();
  return { rows: rows.length, csv: text.csv === null ? null : utf8.encode(text.csv), json: text.json === null ? null : utf8.encode(text.json), unnamed: [...unnamed] };
}

/** The buffers of encoded rows, to transfer rather than copy them to another thread. */
export function transferablesOf(encoded: EncodedRows): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [];
  for (const bytes of [encoded.csv, encoded.json]) if (bytes && bytes.buffer instanceof ArrayBuffer) buffers.push(bytes.buffer);
  return buffers;
}
