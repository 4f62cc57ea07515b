import type { EncodedRows, RowEncoding } from './row-encoding.ts';
import type { SqlRow } from './sql-values.ts';

/** What a history read thread is started with. */
export interface ReadThreadData {
  /** The SQLite file, opened read-only. */
  file: string;
}

/** A request to a read thread; its reply carries the same id. Values are bound as SQLite stores them (sqliteValue). */
export type ReadThreadCall = { op: 'begin' | 'commit' } | { op: 'all'; sql: string; values: unknown[] } | { op: 'encode'; sql: string; values: unknown[]; encoding: RowEncoding };
export type ReadThreadRequest = ReadThreadCall & { id: number };

export type ReadThreadReply =
  | { id: number; rows: SqlRow[] }
  /** The rows of an 'encode' call, their buffers transferred. */
  | { id: number; encoded: EncodedRows }
  | { id: number; error: { message: string; code: string | null } }
  /** Sent once, when the thread's connection is open. */
  | { ready: true };
