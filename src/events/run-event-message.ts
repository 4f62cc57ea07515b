import type { RunEventKind } from '../domain/vocabulary.ts';

/** What the bus carries for one recorded RunEvent: small, serialisable, complete. */
export interface RunEventMessage {
  seq: string;
  at: string;
  kind: RunEventKind;
  runId: string;
  stepRunId: string | null;
  projectId: string;
  workflowId: string;
  from: string | null;
  to: string;
  message: string | null;
  actor: string | null;
}
