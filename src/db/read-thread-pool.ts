import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Prisma } from '../generated/sqlite/client.ts';
import { AppError } from '../domain/errors.ts';
import type { HistoryReader, ReadSession } from './history-reader.ts';
import type { ReadThreadCall, ReadThreadData, ReadThreadReply } from './read-thread-protocol.ts';
import type { EncodedRows, RowEncoding } from './row-encoding.ts';
import { sqliteValue, type SqlRow } from './sql-values.ts';

export interface ReadPoolSettings {
  /** Threads, each with a read-only connection of its own. */
  threads: number;
  /** Reads that may wait for a thread; one more is refused with RATE_LIMITED. */
  queueLimit: number;
}

/** The error of a read whose thread stopped under it: the read did not complete; the thread is replaced. */
export const READ_THREAD_LOST = 'READ_THREAD_LOST';

// The thread's entry next to this module: compiled JavaScript in dist/; from the sources (jest,
// tsx), the TypeScript file through esbuild-register, since a worker does not inherit jest's transform.
const ENTRY = path.join(__dirname, `read-thread${path.extname(__filename)}`);
const EXEC_ARGV = path.extname(__filename) === '.ts' ? ['--require', require.resolve('esbuild-register')] : [];

// A thread that stops before its connection opened is started again only after this pause, so a
// file that cannot be opened does not spin a loop of threads.
const RESTART_AFTER_FAILED_START_MS = 1_000;

type Answer = { rows: SqlRow[] } | { encoded: EncodedRows };
type Pending = { resolve: (answer: Answer) => void; reject: (error: Error) => void };

class ReadThread {
  ready = false;
  alive = true;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(readonly worker: Worker) {}

  request(call: ReadThreadCall): Promise<Answer> {
    if (!this.alive) return Promise.reject(threadLost('it had stopped'));
    const id = (this.nextId += 1);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...call, id });
    });
  }

  answered(reply: ReadThreadReply): void {
    if ('ready' in reply) {
      this.ready = true;
      return;
    }
    const pending = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    if (!pending) return;
    if ('rows' in reply) pending.resolve({ rows: reply.rows.map(withBuffers) });
    else if ('encoded' in reply) pending.resolve({ encoded: reply.encoded });
    else pending.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code ?? undefined }));
  }

  stopped(reason: string): void {
    this.alive = false;
    for (const pending of this.pending.values()) pending.reject(threadLost(reason));
    this.pending.clear();
  }
}

function threadLost(reason: string): Error {
  return Object.assign(new Error(`The history read thread stopped (${reason}) before the read completed; try again`), { code: READ_THREAD_LOST });
}

// A Buffer (a BLOB column) crosses the thread boundary as a plain Uint8Array; rows keep the shape better-sqlite3 gives in-process.
function withBuffers(row: SqlRow): SqlRow {
  // A loop over the keys, not Object.entries: a report reads a hundred thousand rows, and an array per row adds up.
  for (const name in row) {
    const value = row[name];
    if (value instanceof Uint8Array && !Buffer.isBuffer(value)) row[name] = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
  return row;
}

/**
 * SQLite history reads on a pool of worker threads, each with a read-only connection: reads use
 * every core and the event loop stays free for the rest. A read takes a thread for all its
 * statements, inside one read transaction there, so they see one state. Reads beyond the threads
 * wait in a bounded queue; a thread that stops fails the read it held and is replaced.
 */
export class SqliteReadPool implements HistoryReader {
  readonly provider = 'sqlite' as const;
  private readonly idle: ReadThread[] = [];
  private readonly waiting: Array<{ take: (thread: ReadThread) => void; refuse: (error: Error) => void }> = [];
  private readonly threads = new Set<ReadThread>();
  private listener: ((sql: string) => void) | null = null;
  private closing = false;
  readonly sessionsAtOnce: number;

  private constructor(
    private readonly file: string,
    private readonly settings: ReadPoolSettings,
    private readonly logger: Logger,
    private readonly threadStarted: (worker: Worker) => void,
  ) {
    this.sessionsAtOnce = settings.threads;
  }

  /**
   * Starts the threads and waits until each has its connection open (a file that cannot be read
   * fails here); `threadStarted` sees each thread, replacements too, as it starts.
   */
  static async open(file: string, settings: ReadPoolSettings, logger: Logger, threadStarted: (worker: Worker) => void = () => undefined): Promise<SqliteReadPool> {
    const pool = new SqliteReadPool(file, settings, logger, threadStarted);
    try {
      await Promise.all(Array.from({ length: settings.threads }, () => pool.start()));
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  async read<T>(work: (session: ReadSession) => Promise<T>): Promise<T> {
    const thread = await this.lease();
    // BEGIN goes out with the first statement and COMMIT unawaited: the thread answers in order,
    // so a read costs one round trip to its thread per statement and no more.
    const begun = thread.request({ op: 'begin' });
    begun.catch(() => undefined);
    try {
      return await work({
        all: async (query) => (await Promise.all([this.run(thread, query), begun]))[0],
        encoded: async (query, encoding) => (await Promise.all([this.encode(thread, query, encoding), begun]))[0],
      });
    } finally {
      thread.request({ op: 'commit' }).catch((error: unknown) => this.logger.warn({ err: error }, 'db.read_commit_failed'));
      this.release(thread);
    }
  }

  async all(query: Prisma.Sql): Promise<SqlRow[]> {
    const thread = await this.lease();
    try {
      return await this.run(thread, query);
    } finally {
      this.release(thread);
    }
  }

  async encoded(query: Prisma.Sql, encoding: RowEncoding): Promise<EncodedRows> {
    const thread = await this.lease();
    try {
      return await this.encode(thread, query, encoding);
    } finally {
      this.release(thread);
    }
  }

  onStatement(listener: ((sql: string) => void) | null): void {
    this.listener = listener;
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const waiter of this.waiting.splice(0)) waiter.refuse(threadLost('the database is closing'));
    await Promise.all([...this.threads].map((thread) => thread.worker.terminate()));
  }

  private async run(thread: ReadThread, query: Prisma.Sql): Promise<SqlRow[]> {
    this.listener?.(query.sql);
    const answer = await thread.request({ op: 'all', sql: query.sql, values: query.values.map(sqliteValue) });
    if (!('rows' in answer)) throw new Error('The history read thread answered a statement with encoded rows');
    return answer.rows;
  }

  private async encode(thread: ReadThread, query: Prisma.Sql, encoding: RowEncoding): Promise<EncodedRows> {
    this.listener?.(query.sql);
    const answer = await thread.request({ op: 'encode', sql: query.sql, values: query.values.map(sqliteValue), encoding });
    if (!('encoded' in answer)) throw new Error('The history read thread answered an encoding with rows');
    return answer.encoded;
  }

  private start(): Promise<void> {
    const worker = new Worker(ENTRY, { workerData: { file: this.file } satisfies ReadThreadData, execArgv: EXEC_ARGV });
    const thread = new ReadThread(worker);
    this.threads.add(thread);
    this.threadStarted(worker);
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (reply: ReadThreadReply) => {
        thread.answered(reply);
        if ('ready' in reply) {
          this.release(thread);
          resolve();
        }
      });
      worker.on('error', (error) => {
        reject(error);
        this.lost(thread, error.message);
      });
      worker.on('exit', (exitCode) => {
        reject(new Error(`The history read thread exited with code ${exitCode} before its connection opened`));
        this.lost(thread, `exit code ${exitCode}`);
      });
    });
  }

  private lost(thread: ReadThread, reason: string): void {
    if (!thread.alive) return;
    const wasReady = thread.ready;
    thread.stopped(reason);
    this.threads.delete(thread);
    const index = this.idle.indexOf(thread);
    if (index >= 0) this.idle.splice(index, 1);
    if (this.closing) return;
    this.logger.warn({ reason }, 'db.read_thread_lost');
    const restart = () => {
      if (!this.closing) this.start().catch(() => undefined);
    };
    if (wasReady) restart();
    else setTimeout(restart, RESTART_AFTER_FAILED_START_MS).unref();
  }

  private lease(): Promise<ReadThread> {
    const thread = this.idle.pop();
    if (thread) return Promise.resolve(thread);
    if (this.closing) return Promise.reject(threadLost('the database is closing'));
    if (this.waiting.length >= this.settings.queueLimit) {
      return Promise.reject(new AppError('RATE_LIMITED', `The server is busy: ${this.waiting.length} history reads are waiting; try again shortly`, { waitingReads: this.waiting.length }));
    }
    return new Promise((take, refuse) => this.waiting.push({ take, refuse }));
  }

  private release(thread: ReadThread): void {
    if (!thread.alive || this.closing) return;
    const next = this.waiting.shift();
    if (next) next.take(thread);
    else this.idle.push(thread);
  }
}
