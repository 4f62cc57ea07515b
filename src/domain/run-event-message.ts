import { isRunStatus, isTerminalRunStatus } from './status.ts';
import { runEventKindOf, type RunEventKind } from './vocabulary.ts';

/** One RunEvent row as recorded: the status history itself (DESIGN.md "Data model"). */
export interface RecordedRunEvent {
  seq: bigint;
  at: Date;
  kind: string;
  runId: string;
  stepRunId: string | null;
  projectId: string;
  workflowId: string;
  from: string | null;
  to: string;
  message: string | null;
  actor: string | null;
}

/** What the bus carries for one recorded RunEvent: small, serialisable, complete. */
export interface RunEventMessage extends Omit<RecordedRunEvent, 'seq' | 'at' | 'kind'> {
  seq: string;
  at: string;
  kind: RunEventKind;
  /** Of the run: filters judge an event by its run's trigger and creation time too. */
  trigger: string;
  runCreatedAt: string;
}

export function toRunEventMessage(event: RecordedRunEvent, run: { trigger: string; createdAt: Date }): RunEventMessage {
  return {
    seq: event.seq.toString(),
    at: event.at.toISOString(),
    kind: runEventKindOf(event.kind, `event ${event.seq} of run ${event.runId}`),
    runId: event.runId,
    stepRunId: event.stepRunId,
    projectId: event.projectId,
    workflowId: event.workflowId,
    from: event.from,
    to: event.to,
    message: event.message,
    actor: event.actor,
    trigger: run.trigger,
    runCreatedAt: run.createdAt.toISOString(),
  };
}

/** A run reached a terminal status: what alert evaluation follows. */
export function isRunEnd(event: Pick<RunEventMessage, 'kind' | 'to'>): boolean {
  return event.kind === 'RUN' && isRunStatus(event.to) && isTerminalRunStatus(event.to);
}

/** A run was created or reached a terminal status: what anomaly detection follows. */
export function isRunCreationOrEnd(event: Pick<RunEventMessage, 'kind' | 'from' | 'to'>): boolean {
  return (event.kind === 'RUN' && event.from === null) || isRunEnd(event);
}
