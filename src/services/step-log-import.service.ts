import { mkdir, open, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { isTerminalStepStatus } from '../domain/status.ts';
import type { StepLogChunkRepository } from '../repositories/step-log-chunk.repository.ts';
import type { StepRunRepository } from '../repositories/step-run.repository.ts';
import { SHIP_MAX_BYTES } from './step-log-writer.ts';

// Written once every file of DATA_DIR/logs is in the database: later starts skip the walk.
const DONE_MARKER = '.in-database';

/**
 * Logs written before logs went to the database were only files on the disk of the process
 * that ran their step: this copies them into the database once, so they stay readable (and
 * readable from every process) after the upgrade. Only finished steps whose log the database
 * does not hold yet are copied; the walk costs what the files cost, once.
 */
export class StepLogImportService {
  constructor(private readonly deps: { dataDir: string; steps: StepRunRepository; logChunks: StepLogChunkRepository; logger: Logger }) {}

  /** Copies what is left to copy; null when an earlier start finished the job. */
  async importOnce(): Promise<{ steps: number; bytes: number } | null> {
    const logs = path.join(this.deps.dataDir, 'logs');
    const runs = await readdir(logs, { withFileTypes: true }).catch((error: unknown) => {
      // By its code: fs errors are not `instanceof Error` of another module realm (a vm context, a test file).
      if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT') return [];
      throw error;
    });
    if (runs.some((entry) => entry.name === DONE_MARKER)) return null;
    const copied = { steps: 0, bytes: 0 };
    for (const run of runs) {
      if (!run.isDirectory()) continue;
      for (const file of await readdir(path.join(logs, run.name))) {
        if (!file.endsWith('.log')) continue;
        const step = await this.deps.steps.findByRunAndName(run.name, file.slice(0, -'.log'.length));
        if (!step || !isTerminalStepStatus(step.status) || (await this.deps.logChunks.size(step.id)) > 0) continue;
        copied.bytes += await this.copy(path.join(logs, run.name, file), step.id);
        copied.steps += 1;
      }
    }
    await mkdir(logs, { recursive: true });
    await writeFile(path.join(logs, DONE_MARKER), '');
    if (copied.steps > 0) this.deps.logger.info(copied, 'step_log.imported');
    return copied;
  }

  /** The file into the database a statement at a time (SHIP_MAX_BYTES): a large file never sits in memory whole. */
  private async copy(file: string, stepRunId: string): Promise<number> {
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(SHIP_MAX_BYTES);
      let offset = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
        if (bytesRead === 0) return offset;
        await this.deps.logChunks.append(stepRunId, offset, buffer.subarray(0, bytesRead));
        offset += bytesRead;
      }
    } finally {
      await handle.close();
    }
  }
}
