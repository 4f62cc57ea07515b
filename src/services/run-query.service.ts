import { canReadProject, type Principal } from '../auth/principal.ts';
import type { RunEventRepository } from '../repositories/run-event.repository.ts';
import type { RunRecord, RunRepository } from '../repositories/run.repository.ts';

export class RunQueryService {
  constructor(private readonly deps: { runs: RunRepository; events: RunEventRepository }) {}

  /** A run of an unreadable project is reported as absent, so ids leak nothing. */
  async findRun(principal: Principal, id: string): Promise<RunRecord | null> {
    const run = await this.deps.runs.findById(id);
    return run && canReadProject(principal, run.projectId) ? run : null;
  }

  /** The highest committed event seq: the snapshot a query made now answers as of. */
  headSnapshot(): Promise<bigint> {
    return this.deps.events.headSeq();
  }
}
