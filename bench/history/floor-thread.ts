// A thread of the concurrent SQL floor: a read-only connection of its own on the SQLite file,
// answering one statement at a time, as the server's read threads do.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

export interface FloorRequest {
  sql: string;
  values: unknown[];
}

const port = parentPort;
if (!port) throw new Error('floor-thread runs as a worker thread of the concurrent floor');
const db = new Database(String(workerData), { readonly: true, fileMustExist: true });
const statements = new Map<string, Database.Statement<unknown[], unknown>>();

port.on('message', ({ sql, values }: FloorRequest) => {
  let statement = statements.get(sql);
  if (!statement) {
    statement = db.prepare<unknown[], unknown>(sql);
    statements.set(sql, statement);
  }
  port.postMessage(statement.all(...values));
});
