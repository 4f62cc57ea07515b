import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';

export function stepLogPath(dataDir: string, runId: string, stepName: string): string {
  return path.join(dataDir, 'logs', runId, `${stepName}.log`);
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

/** Reads `limit` bytes of a log from `offset`; a missing file reads as empty. */
export async function readLogChunk(file: string, offset: number, limit: number): Promise<LogChunkData> {
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
    const length = Math.max(0, Math.min(limit, size - start));
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, start);
    return { content: buffer.subarray(0, bytesRead).toString('utf8'), offset: start, nextOffset: start + bytesRead, size };
  } finally {
    await handle.close();
  }
}
