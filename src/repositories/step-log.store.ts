import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';

/**
 * The copy of each step's log on the disk of the process that ran it: one file per step under
 * DATA_DIR/logs/<runId>/, named to the step as DAG_RUN_LOG_FILE. Readers read the database's copy
 * (StepLogChunkRepository), which every process sees.
 */
export class StepLogStore {
  constructor(private readonly deps: { dataDir: string }) {}

  /** The step's log file; recorded on its StepRun and handed to the step as DAG_RUN_LOG_FILE. */
  pathOf(runId: string, stepName: string): string {
    return path.join(this.deps.dataDir, 'logs', runId, `${stepName}.log`);
  }

  /** Appends to the step's log file (a retry appends to the attempts before it). */
  openFile(runId: string, stepName: string): WriteStream {
    const file = this.pathOf(runId, stepName);
    mkdirSync(path.dirname(file), { recursive: true });
    return createWriteStream(file, { flags: 'a' });
  }
}
