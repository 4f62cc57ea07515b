import type { Db } from '../db/client.ts';
import { errorFingerprint } from '../domain/insight/error-fingerprint.ts';
import type { IncidentRun } from '../domain/insight/incidents.ts';
import { TERMINAL_RUN_STATUSES } from '../domain/status.ts';

const TERMINAL = [...TERMINAL_RUN_STATUSES];

/** A finished run as incident detection reads it, with its place in the run event feed. */
export interface FinishedRun extends IncidentRun {
  seq: bigint;
}

const runSelect = {
  id: true,
  projectId: true,
  workflowId: true,
  status: true,
  trigger: true,
  error: true,
  leaseOwner: true,
  finishedAt: true,
  workflow: { select: { tags: true } },
  steps: { where: { status: 'FAILED' }, select: { name: true }, orderBy: { position: 'asc' }, take: 1 },
} as const;

interface RunRow {
  id: string;
  projectId: string;
  workflowId: string;
  status: string;
  trigger: string;
  error: string | null;
  leaseOwner: string | null;
  workflow: { tags: unknown };
  steps: { name: string }[];
}

/** What incident detection reads of the history: runs as they finish, and the recent past a new leader starts from. */
export class IncidentHistoryRepository {
  constructor(private readonly deps: { db: Db }) {}

  /** Runs that finished after `afterSeq` in the run event feed, in seq order. */
  async finishedAfter(afterSeq: bigint, limit: number): Promise<FinishedRun[]> {
    const events = await this.deps.db.runEvent.findMany({
      where: { seq: { gt: afterSeq }, kind: 'RUN', to: { in: TERMINAL } },
      orderBy: { seq: 'asc' },
      take: limit,
      select: { seq: true, at: true, run: { select: runSelect } },
    });
    return events.map((event) => ({ ...incidentRunOf(event.run, event.at), seq: event.seq }));
  }

  /** The latest `limit` runs created since `since` that have finished, in the order they finished. */
  async finishedSince(since: Date, limit: number): Promise<IncidentRun[]> {
    const runs = await this.deps.db.run.findMany({
      where: { createdAt: { gte: since }, status: { in: TERMINAL } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
      select: runSelect,
    });
    return runs.flatMap((run) => (run.finishedAt === null ? [] : [incidentRunOf(run, run.finishedAt)])).sort((a, b) => a.at - b.at);
  }
}

function incidentRunOf(run: RunRow, at: Date): IncidentRun {
  return {
    runId: run.id,
    projectId: run.projectId,
    workflowId: run.workflowId,
    at: at.getTime(),
    failed: run.status === 'FAILED',
    error: run.error === null ? null : errorFingerprint(run.error),
    failedStep: run.steps[0]?.name ?? null,
    trigger: run.trigger,
    worker: run.leaseOwner,
    tags: tagsOf(run.workflow.tags, run.workflowId),
  };
}

function tagsOf(tags: unknown, workflowId: string): string[] {
  if (!Array.isArray(tags) || !tags.every((tag): tag is string => typeof tag === 'string')) throw new Error(`The tags of workflow ${workflowId} are not an array of strings`);
  return tags;
}
