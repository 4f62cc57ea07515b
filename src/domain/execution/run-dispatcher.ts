/** What a person decided about a step waiting for approval. */
export type ApprovalDecision = { kind: 'approve'; actor: string | null } | { kind: 'reject'; actor: string | null; reason: string | null };

/**
 * The port through which the use cases hand runs to whatever executes them. Services depend on
 * this, never on an executor: the in-process RunEngine implements it today, and a distributed
 * executor can implement it without the services changing.
 */
export interface RunDispatcher {
  /** Wakes the executor: queued runs start as far as the limits allow. Never throws. */
  dispatch(): void;
  /** Aborts the run, running or not yet started; CONFLICT when it has already finished. */
  cancel(runId: string, actor: string | null): Promise<void>;
  /**
   * Records a person's decision about a step waiting for approval, for whichever executor holds
   * the run (now or later) to act on; CONFLICT when the step is not waiting, or was decided already.
   */
  decideApproval(runId: string, step: string, decision: ApprovalDecision): Promise<void>;
  /** Resolves when the run's execution in this process has ended (at once if it has none). */
  settled(runId: string): Promise<void>;
}
