import type { Principal } from '../auth/principal.ts';
import type { LogChunkData } from '../domain/log/log-piece.ts';
import { ChangeSignal } from '../events/change-signal.ts';
import type { SequencedRunEventFeed } from '../events/sequenced-feed.ts';
import { checkLogOffset, type ReadableStep, type RunQueryService } from './run-query.service.ts';
import type { StepLogService } from './step-log.service.ts';

const CHUNK_BYTES = 64 * 1024;
// A signal lost on its way (no Redis between the processes, or Redis down): look again this often regardless.
const RECHECK_MS = 2_000;

export type FollowedChunk = LogChunkData & { complete: boolean };

interface FollowerDeps {
  runQueries: RunQueryService;
  feed: SequencedRunEventFeed;
  stepLogs: StepLogService;
}

/**
 * A step's log as it grows: what is there from `offset`, then each new piece as it is
 * shipped, until the step has finished and everything was sent. It reads the database's copy,
 * so it follows a step run by any process; it wakes when the log grows (a signal from whichever
 * process writes it) or the run has an event, so a follower costs nothing while the step is quiet.
 */
export class StepLogFollower {
  constructor(private readonly deps: FollowerDeps) {}

  /** Checks access at once (NOT_FOUND as for reading the log once), then streams. */
  async follow(principal: Principal, runId: string, stepName: string, offset: number): Promise<AsyncGenerator<FollowedChunk>> {
    checkLogOffset(offset);
    return this.chunks(await this.deps.runQueries.readableStep(principal, runId, stepName), offset);
  }

  private async *chunks(readable: ReadableStep, offset: number): AsyncGenerator<FollowedChunk> {
    const runId = readable.run.id;
    const stepRunId = readable.step.id;
    const changed = new ChangeSignal();
    const stopListening = await this.deps.feed.listen((event) => {
      if (event.runId === runId) changed.notify();
    });
    const stopSignals = this.deps.stepLogs.onAppend(stepRunId, () => changed.notify());
    const recheck = setInterval(() => changed.notify(), RECHECK_MS);
    try {
      let position = offset;
      for (;;) {
        changed.clear();
        const finished = readable.run.archived || (await this.deps.runQueries.stepEnded(runId, readable.step.name));
        const chunk = await this.deps.runQueries.readLog(readable, position, CHUNK_BYTES, finished);
        const complete = finished && chunk.nextOffset >= chunk.size;
        if (chunk.content !== '' || complete) yield { ...chunk, complete };
        if (complete) return;
        // Read on while there is more; the part of a character still being written waits for the rest.
        const progressed = chunk.nextOffset > position;
        position = chunk.nextOffset;
        if (progressed && position < chunk.size) continue;
        if (!(await changed.next())) return;
      }
    } finally {
      clearInterval(recheck);
      stopSignals();
      stopListening();
      changed.close();
    }
  }
}
