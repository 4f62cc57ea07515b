import type { WriteStream } from 'node:fs';
import type { Logger } from 'pino';
import type { StepLogSignals } from '../events/step-log-signals.ts';
import type { StepLogChunkRepository } from '../repositories/step-log-chunk.repository.ts';

/** The most bytes one statement ships: a step that writes faster than the database takes waits in several. */
export const SHIP_MAX_BYTES = 1024 * 1024;

export interface StepLogWriterDeps {
  chunks: StepLogChunkRepository;
  signals: StepLogSignals;
  logger: Logger;
  file: WriteStream;
  stepRunId: string;
  /** Bytes of this attempt's output kept; the rest is dropped with a note. */
  maxBytes: number;
  /** How long output may wait before it is shipped: one statement per this interval however chatty the step. */
  flushMs: number;
}

/**
 * Takes a step's stdout and stderr up to a byte cap (past it: a note of the truncation, once,
 * and the rest dropped, while the pipes keep draining so the step never blocks). What it keeps
 * goes to the step's file at once and to the database in batches: after `flushMs`, or at once
 * when SHIP_MAX_BYTES wait; one statement in flight at a time, so output that arrives meanwhile
 * joins the next. Memory is bounded by the cap. A failed statement is tried again at the next
 * flush; offsets advance only with what was stored, so the database's log never has a gap.
 */
export class StepLogWriter {
  private written = 0;
  private truncated = false;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** The log's size in the database, read when the first piece is shipped (earlier attempts wrote before it). */
  private shipped: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private shipping: Promise<void> | null = null;
  private closing = false;

  constructor(private readonly deps: StepLogWriterDeps) {
    // The file is this disk's copy and the database's the one readers read: a file that cannot
    // be opened or written (a full disk) loses the copy, not the server.
    deps.file.on('error', (error) => deps.logger.warn({ err: error, stepRunId: deps.stepRunId }, 'step_log.file_failed'));
  }

  write(chunk: Buffer): void {
    if (this.truncated) return;
    const room = this.deps.maxBytes - this.written;
    if (chunk.length <= room) {
      this.keep(chunk);
      this.written += chunk.length;
      return;
    }
    this.keep(chunk.subarray(0, Math.max(room, 0)));
    this.keep(Buffer.from(`\n[runtrail: log truncated at ${this.deps.maxBytes} bytes]\n`));
    this.written = this.deps.maxBytes;
    this.truncated = true;
  }

  /** Ships what waits and closes the file; resolves once the database holds all it could store. */
  async close(): Promise<void> {
    this.closing = true;
    this.cancelTimer();
    await this.shipping;
    if (this.pendingBytes > 0 && !(await this.shipPending())) {
      this.deps.logger.error({ stepRunId: this.deps.stepRunId, bytes: this.pendingBytes }, 'step_log.not_shipped');
    }
    await new Promise((resolve) => this.deps.file.end(resolve));
  }

  private keep(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.deps.file.write(bytes);
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= SHIP_MAX_BYTES) this.ship();
    else this.timer ??= setTimeout(() => this.ship(), this.deps.flushMs);
  }

  private ship(): void {
    this.cancelTimer();
    if (this.shipping) return;
    this.shipping = this.shipPending().then((stored) => {
      this.shipping = null;
      if (this.pendingBytes === 0 || this.closing) return;
      if (stored && this.pendingBytes >= SHIP_MAX_BYTES) this.ship();
      else this.timer ??= setTimeout(() => this.ship(), this.deps.flushMs);
    });
  }

  /** Ships what waits, a statement at a time; false when the database refused (what is left waits). */
  private async shipPending(): Promise<boolean> {
    while (this.pendingBytes > 0) {
      const piece = this.takePiece();
      try {
        const offset = this.shipped ?? (await this.deps.chunks.size(this.deps.stepRunId));
        await this.deps.chunks.append(this.deps.stepRunId, offset, piece);
        this.shipped = offset + piece.length;
      } catch (error) {
        this.pending.unshift(piece);
        this.pendingBytes += piece.length;
        this.deps.logger.warn({ err: error, stepRunId: this.deps.stepRunId }, 'step_log.ship_failed');
        return false;
      }
      this.deps.signals.announce(this.deps.stepRunId);
    }
    return true;
  }

  /** Up to SHIP_MAX_BYTES from the front of what waits. */
  private takePiece(): Buffer {
    const parts: Buffer[] = [];
    let size = 0;
    while (size < SHIP_MAX_BYTES) {
      const next = this.pending.shift();
      if (next === undefined) break;
      const part = next.subarray(0, SHIP_MAX_BYTES - size);
      if (part.length < next.length) this.pending.unshift(next.subarray(part.length));
      parts.push(part);
      size += part.length;
    }
    this.pendingBytes -= size;
    return parts.length === 1 && parts[0] ? parts[0] : Buffer.concat(parts, size);
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
