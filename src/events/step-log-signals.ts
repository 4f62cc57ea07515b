import { EventEmitter } from 'node:events';

/**
 * "The log of this step run grew": wakes whoever follows it, in this process or (through Redis)
 * in any other. A signal lost on the way costs latency only: followers look again every few seconds.
 */
export interface StepLogSignals {
  announce(stepRunId: string): void;
  onAppend(listener: (stepRunId: string) => void): () => void;
  close(): Promise<void>;
}

/** One process: the engine's writers wake the followers of the same process. */
export class InProcessStepLogSignals implements StepLogSignals {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per follower: as many as there are open log subscriptions.
    this.emitter.setMaxListeners(0);
  }

  announce(stepRunId: string): void {
    this.emitter.emit('append', stepRunId);
  }

  onAppend(listener: (stepRunId: string) => void): () => void {
    this.emitter.on('append', listener);
    return () => this.emitter.off('append', listener);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}
