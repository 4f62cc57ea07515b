import type { RunStatus, StepStatus } from '../../domain/status.ts';

/*
 * What the services, the engine and the server tell the metrics about as it happens. Each takes
 * one of these in its deps (composition.ts wires the registry's); the no-op ones keep tests and
 * the CLI free of a registry.
 */

/** What a history write was: a run created, a run's status changed, or a step's. */
export type HistoryWriteKind = 'create' | 'run' | 'step';

export interface HistoryWriteObserver {
  /** One change of `kind` committed, `seconds` after it was asked for (waiting for its group commit included). */
  committed(kind: HistoryWriteKind, seconds: number): void;
  /** A run recorded by this process reached a terminal status after running `seconds`. */
  runEnded(status: RunStatus, seconds: number): void;
  /** A step recorded by this process reached a terminal status after running `seconds`. */
  stepEnded(status: StepStatus, seconds: number): void;
}

export interface ExecutorObserver {
  /** One heartbeat (this executor's row and claims renewed), and whether it went through. */
  heartbeat(ok: boolean): void;
  /** A claim this executor held was found taken or finished elsewhere. */
  claimLost(): void;
}

export interface SubscriptionObserver {
  /** A subscription to the root field `field` started streaming; the returned function ends it. */
  opened(field: string): () => void;
  /** One `next` message of a subscription to `field` was handed to its socket. */
  delivered(field: string): void;
}

export const NO_HISTORY_WRITE_OBSERVER: HistoryWriteObserver = { committed: () => {}, runEnded: () => {}, stepEnded: () => {} };
export const NO_EXECUTOR_OBSERVER: ExecutorObserver = { heartbeat: () => {}, claimLost: () => {} };
export const NO_SUBSCRIPTION_OBSERVER: SubscriptionObserver = { opened: () => () => {}, delivered: () => {} };
