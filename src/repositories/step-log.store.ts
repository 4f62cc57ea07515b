import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';

/**
 * Where step logs are kept: one file per step under DATA_DIR/logs/<runId>/. The engine writes
 * them, the run queries and the log follower read them; both go through this store.
 */
export class StepLogStore {
  constructor(private readonly deps: { dataDir: string }) {}

  /** The step's log file; recorded on its StepRun and handed to the step as DAG_RUN_LOG_FILE. */
  pathOf(runId: string, stepName: string): string {
    return path.join(this.deps.dataDir, 'logs', runId, `${stepName}.log`);
  }

  /** Appends to the step's log, up to `maxBytes`. */
  openWriter(runId: string, stepName: string, maxBytes: number): CappedLogWriter {
    return new CappedLogWriter(this.pathOf(runId, stepName), maxBytes);
  }

  /** About `limit` bytes of the step's log from `offset` (see readLogChunk). */
  read(runId: string, stepName: string, offset: number, limit: number, options: { ended: boolean }): Promise<LogChunkData> {
    return readLogChunk(this.pathOf(runId, stepName), offset, limit, options);
  }

  /** The directory that changes whenever a step of the run writes its log: followers watch it. */
  runDirectory(runId: string): string {
    return path.join(this.deps.dataDir, 'logs', runId);
  }
}

/**
 * Appends a step's stdout and stderr to its log file up to a byte cap; past the cap it notes
 * the truncation once and drops the rest (the pipes keep draining, so the step never blocks).
 */
export class CappedLogWriter {
  private readonly stream: WriteStream;
  private written = 0;
  private truncated = false;

  constructor(
    readonly file: string,
    private readonly maxBytes: number,
  ) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.stream = createWriteStream(file, { flags: 'a' });
  }

  write(chunk: Buffer | string): void {
    if (this.truncated) return;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const room = this.maxBytes - this.written;
    if (bytes.length <= room) {
      this.stream.write(bytes);
      this.written += bytes.length;
      return;
    }
    this.stream.write(bytes.subarray(0, Math.max(room, 0)));
    this.stream.write(`\n[runtrail: log truncated at ${this.maxBytes} bytes]\n`);
    this.written = this.maxBytes;
    this.truncated = true;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.stream.end(resolve));
  }
}

export interface LogChunkData {
  content: string;
  offset: number;
  nextOffset: number;
  size: number;
}

/**
 * Reads about `limit` bytes of a log from `offset`, ending on a UTF-8 character boundary so that
 * pieces joined by `nextOffset` decode to the file's text. A piece is shorter than `limit` by the
 * bytes of a character cut at its end, and longer (by at most 3 bytes) only when `limit` is
 * smaller than the one character at `offset`. Bytes of an incomplete character at the end of the
 * file wait for the rest unless the log has `ended` (it will not grow): then they are read as
 * they are. A missing file reads as empty.
 */
async function readLogChunk(file: string, offset: number, limit: number, options: { ended: boolean }): Promise<LogChunkData> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { content: '', offset, nextOffset: offset, size: 0 };
    throw error;
  }
  try {
    const { size } = await handle.stat();
    const start = Math.min(offset, size);
    const length = Math.max(0, Math.min(limit + UTF8_MAX_BYTES - 1, size - start));
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, start);
    const read = buffer.subarray(0, bytesRead);
    const atEnd = start + bytesRead >= size;
    const end = pieceEnd(read, Math.min(limit, read.length), atEnd && options.ended);
    return { content: read.subarray(0, end).toString('utf8'), offset: start, nextOffset: start + end, size };
  } finally {
    await handle.close();
  }
}

const UTF8_MAX_BYTES = 4;

/** Where a piece of `bytes` no longer than about `limit` ends without cutting a character. */
function pieceEnd(bytes: Buffer, limit: number, final: boolean): number {
  if (final && limit === bytes.length) return limit;
  // Back over the continuation bytes (10xxxxxx) at the end to the lead byte of the last character.
  let start = limit - 1;
  while (start > 0 && limit - start < UTF8_MAX_BYTES && ((bytes[start] ?? 0) & 0xc0) === 0x80) start -= 1;
  if (start < 0 || start + sequenceLength(bytes[start] ?? 0) <= limit) return limit;
  if (start > 0) return start;
  // The one character at the start is longer than limit: the piece is that character, once it is all there.
  const characterEnd = sequenceLength(bytes[0] ?? 0);
  if (characterEnd <= bytes.length) return characterEnd;
  return final ? bytes.length : 0;
}

/** The length of the UTF-8 sequence a lead byte starts; 1 for ASCII and for bytes that start none. */
function sequenceLength(lead: number): number {
  if (lead >= 0xf0 && lead <= 0xf7) return 4;
  if (lead >= 0xe0) return lead <= 0xef ? 3 : 1;
  if (lead >= 0xc0) return 2;
  return 1;
}
