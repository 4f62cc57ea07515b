import type { ReadSession } from '../db/history-reader.ts';
import type { Logger } from 'pino';
import { logPiece, UTF8_MAX_BYTES, type LogChunkData } from '../domain/log/log-piece.ts';
import type { StepLogSignals } from '../events/step-log-signals.ts';
import type { StepLogChunkRepository } from '../repositories/step-log-chunk.repository.ts';
import type { StepLogStore } from '../repositories/step-log.store.ts';
import { StepLogWriter } from './step-log-writer.ts';

export interface StepLogTarget {
  runId: string;
  stepRunId: string;
  stepName: string;
}

/**
 * Steps' logs: written by the engine that runs the step (to its own disk and to the database),
 * read from the database, so every process sharing it serves every log.
 */
export class StepLogService {
  constructor(
    private readonly deps: {
      stepLogs: StepLogStore;
      logChunks: StepLogChunkRepository;
      logSignals: StepLogSignals;
      logger: Logger;
      settings: { stepLogMaxBytes: number; stepLogFlushMs: number };
    },
  ) {}

  /** The file named to the step as DAG_RUN_LOG_FILE. */
  pathOf(target: StepLogTarget): string {
    return this.deps.stepLogs.pathOf(target.runId, target.stepName);
  }

  /** A writer for one attempt of the step: appends after what earlier attempts wrote. */
  open(target: StepLogTarget): StepLogWriter {
    return new StepLogWriter({
      chunks: this.deps.logChunks,
      signals: this.deps.logSignals,
      logger: this.deps.logger,
      file: this.deps.stepLogs.openFile(target.runId, target.stepName),
      stepRunId: target.stepRunId,
      maxBytes: this.deps.settings.stepLogMaxBytes,
      flushMs: this.deps.settings.stepLogFlushMs,
    });
  }

  /** About `limit` bytes of the step's log from `offset`, on a UTF-8 boundary (see logPiece); a log not written yet reads as empty. From `archive` for a step of an archived run. */
  async read(stepRunId: string, offset: number, limit: number, options: { ended: boolean }, archive: ReadSession | null = null): Promise<LogChunkData> {
    // The size first: the log only grows, so every byte below it is there when the bytes are read.
    const size = await this.deps.logChunks.size(stepRunId, archive);
    if (size === 0) return { content: '', offset, nextOffset: offset, size };
    const start = Math.min(offset, size);
    const end = Math.min(start + limit + UTF8_MAX_BYTES - 1, size);
    const bytes = await this.deps.logChunks.read(stepRunId, start, end, archive);
    return logPiece(bytes, start, limit, size, options);
  }

  /** Wakes `listener` whenever the step run's log grows, in whichever process it is written. */
  onAppend(stepRunId: string, listener: () => void): () => void {
    return this.deps.logSignals.onAppend((grown) => {
      if (grown === stepRunId) listener();
    });
  }
}
