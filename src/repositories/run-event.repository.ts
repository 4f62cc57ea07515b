import type { Db } from '../db/client.ts';
import type { RunEvent } from '../generated/sqlite/client.ts';

export type RunEventRecord = RunEvent;

/** The EventCounter row that allocates RunEvent seqs; its value is the head snapshot. */
export const RUN_EVENT_COUNTER = 'runEvent';

export class RunEventRepository {
  constructor(private readonly deps: { db: Db }) {}

  listByRunIds(runIds: readonly string[]): Promise<RunEventRecord[]> {
    return this.deps.db.runEvent.findMany({ where: { runId: { in: [...runIds] } }, orderBy: { seq: 'asc' } });
  }
}
