/*
 * The entry of a history read thread (node:worker_threads): one read-only connection of its
 * own on the SQLite file, so reads run beside each other and beside the event loop (WAL gives
 * every connection its snapshot while the writer goes on). Requests come in order on the
 * thread's port and are answered in that order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3, { type Statement } from 'better-sqlite3';
import type { ReadThreadData, ReadThreadReply, ReadThreadRequest } from './read-thread-protocol.ts';
import { encodeRows, transferablesOf } from './row-encoding.ts';
import type { SqlRow } from './sql-values.ts';

const STATEMENT_CACHE_SIZE = 256;

const port = parentPort;
if (!port) throw new Error('read-thread runs as a worker thread of the history read pool');
const { file } = workerData as ReadThreadData;
const connection = new BetterSqlite3(file, { readonly: true, fileMustExist: true, timeout: 5_000 });
const statements = new Map<string, Statement>();

function prepared(sql: string): Statement {
  let statement = statements.get(sql);
  if (!statement) {
    if (statements.size >= STATEMENT_CACHE_SIZE) statements.clear();
    statement = connection.prepare(sql);
    statements.set(sql, statement);
  }
  return statement;
}

// Statements whose rows are encoded come as arrays (raw mode), not an object per row; cached apart, as the mode is the statement's.
const rawStatements = new Map<string, Statement>();

function preparedRaw(sql: string): Statement {
  let statement = rawStatements.get(sql);
  if (!statement) {
    if (rawStatements.size >= STATEMENT_CACHE_SIZE) rawStatements.clear();
    statement = connection.prepare(sql).raw(true);
    rawStatements.set(sql, statement);
  }
  return statement;
}

// A Buffer crosses the thread boundary as a plain Uint8Array, which better-sqlite3 does not bind.
const bindable = (value: unknown) => (value instanceof Uint8Array && !Buffer.isBuffer(value) ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : value);

function answer(request: ReadThreadRequest): ReadThreadReply {
  try {
    if (request.op === 'all') return { id: request.id, rows: prepared(request.sql).all(...request.values.map(bindable)) as SqlRow[] };
    if (request.op === 'encode') {
      const statement = preparedRaw(request.sql);
      const columns = statement.columns().map((column) => column.name);
      return { id: request.id, encoded: encodeRows({ columns, rows: statement.all(...request.values.map(bindable)) as unknown[][] }, request.encoding) };
    }
    connection.exec(request.op === 'begin' ? 'BEGIN' : 'COMMIT');
    return { id: request.id, rows: [] };
  } catch (error) {
    const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : null;
    return { id: request.id, error: { message: error instanceof Error ? error.message : String(error), code } };
  }
}

port.on('message', (request: ReadThreadRequest) => {
  const reply = answer(request);
  port.postMessage(reply, 'encoded' in reply ? transferablesOf(reply.encoded) : []);
});
port.postMessage({ ready: true } satisfies ReadThreadReply);
