import type { Db } from '../db/client.ts';
import type { FinishedRun } from '../domain/alerts/alert-conditions.ts';
import type { ReplayedRun } from '../domain/alerts/alert-preview.ts';
import type { AlertSelector } from '../domain/alerts/alert-rule.ts';
import { runStatusOf, TERMINAL_RUN_STATUSES, type RunStatus } from '../domain/status.ts';
import { runTriggerOf, type RunTrigger } from '../domain/vocabulary.ts';
import { RUN_EVENT_COUNTER } from './run-event.repository.ts';

/** A run's end as the alert evaluator reads it from the event feed. */
export interface RunEnd {
  seq: bigint;
  runId: string;
  projectId: string;
  workflowId: string;
  workflowName: string;
  trigger: RunTrigger;
}

const TERMINAL = [...TERMINAL_RUN_STATUSES];

/** What alert conditions read of the run history: the feed of run ends, a workflow's latest runs, and its window counts. */
export class AlertHistoryRepository {
  constructor(private readonly deps: { db: Db }) {}

  /** The highest committed run event seq: where a new evaluator begins. */
  async headSeq(): Promise<bigint> {
    return (await this.deps.db.eventCounter.findUnique({ where: { name: RUN_EVENT_COUNTER } }))?.value ?? 0n;
  }

  /** Runs that ended after `afterSeq`, in seq order (seqs become visible in commit order, so none is skipped). */
  async runEndsAfter(afterSeq: bigint, limit: number): Promise<RunEnd[]> {
    const events = await this.deps.db.runEvent.findMany({
      where: { seq: { gt: afterSeq }, kind: 'RUN', to: { in: TERMINAL } },
      orderBy: { seq: 'asc' },
      take: limit,
      select: { seq: true, runId: true, projectId: true, workflowId: true, run: { select: { trigger: true, workflow: { select: { name: true } } } } },
    });
    return events.map((event) => ({
      seq: event.seq,
      runId: event.runId,
      projectId: event.projectId,
      workflowId: event.workflowId,
      workflowName: event.run.workflow.name,
      trigger: runTriggerOf(event.run.trigger, `run ${event.runId}`),
    }));
  }

  /**
   * The finished runs of the project's workflows the selector watches, created in [from, until),
   * oldest first, with their workflows' names: at most `limit`.
   */
  async finishedRunsOf(projectId: string, selector: AlertSelector, from: Date, until: Date, limit: number): Promise<(ReplayedRun & { workflowName: string })[]> {
    const anyWorkflow = selector.workflowIds.length === 0 && selector.workflowNames.length === 0;
    const rows = await this.deps.db.run.findMany({
      where: {
        projectId,
        status: { in: TERMINAL },
        createdAt: { gte: from, lt: until },
        ...(selector.triggers.length > 0 ? { trigger: { in: [...selector.triggers] } } : {}),
        ...(anyWorkflow ? {} : { workflow: { OR: [{ id: { in: [...selector.workflowIds] } }, { name: { in: [...selector.workflowNames] } }] } }),
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: limit,
      select: { id: true, workflowId: true, status: true, createdAt: true, finishedAt: true, durationMs: true, workflow: { select: { name: true } } },
    });
    return rows.map((row) => {
      if (!row.finishedAt) throw new Error(`Run ${row.id} ended without a finishedAt`);
      return { id: row.id, workflowId: row.workflowId, workflowName: row.workflow.name, status: runStatusOf(row.status, `run ${row.id}`), createdAt: row.createdAt, finishedAt: row.finishedAt, durationMs: row.durationMs };
    });
  }

  /** The names of these workflows by id; a deleted workflow's stays readable (its history does), one gone with its project is missing. */
  async workflowNames(ids: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.deps.db.workflow.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true } });
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  /** The workflow's latest finished runs of these triggers (any when empty), newest first. */
  async latestFinished(workflowId: string, triggers: readonly RunTrigger[], limit: number): Promise<FinishedRun[]> {
    const rows = await this.deps.db.run.findMany({
      where: { workflowId, status: { in: TERMINAL }, ...(triggers.length > 0 ? { trigger: { in: [...triggers] } } : {}) },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
      select: { id: true, status: true, finishedAt: true, durationMs: true },
    });
    return rows.map((row) => ({ id: row.id, status: runStatusOf(row.status, `run ${row.id}`), finishedAt: row.finishedAt, durationMs: row.durationMs }));
  }

  /** How long the workflow's last successful runs took, newest first, leaving out `exceptRunId` (the run being judged). */
  async successDurations(workflowId: string, triggers: readonly RunTrigger[], limit: number, exceptRunId: string | null): Promise<number[]> {
    const rows = await this.deps.db.run.findMany({
      where: { workflowId, status: 'SUCCEEDED', durationMs: { not: null }, ...(exceptRunId ? { id: { not: exceptRunId } } : {}), ...(triggers.length > 0 ? { trigger: { in: [...triggers] } } : {}) },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
      select: { durationMs: true },
    });
    return rows.flatMap(({ durationMs }) => (durationMs === null ? [] : [durationMs]));
  }

  /** When the workflow's latest successful run was created; null when none succeeded. */
  async latestSuccessAt(workflowId: string): Promise<Date | null> {
    const row = await this.deps.db.run.findFirst({ where: { workflowId, status: 'SUCCEEDED' }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: { createdAt: true } });
    return row?.createdAt ?? null;
  }

  /** The workflow's run that has been running longest, with when it started; null when none runs. */
  async longestRunning(workflowId: string, triggers: readonly RunTrigger[]): Promise<{ id: string; startedAt: Date } | null> {
    const row = await this.deps.db.run.findFirst({
      where: { workflowId, status: 'RUNNING', startedAt: { not: null }, ...(triggers.length > 0 ? { trigger: { in: [...triggers] } } : {}) },
      orderBy: { startedAt: 'asc' },
      select: { id: true, startedAt: true },
    });
    return row?.startedAt ? { id: row.id, startedAt: row.startedAt } : null;
  }

  /** The project's workflows with a run RUNNING now, with their names and the triggers of those runs. */
  async runningWorkflows(projectId: string): Promise<{ id: string; name: string; triggers: RunTrigger[] }[]> {
    const rows = await this.deps.db.run.findMany({
      where: { projectId, status: 'RUNNING' },
      distinct: ['workflowId', 'trigger'],
      select: { workflowId: true, trigger: true, workflow: { select: { name: true } } },
    });
    const byWorkflow = new Map<string, { id: string; name: string; triggers: RunTrigger[] }>();
    for (const row of rows) {
      const entry = byWorkflow.get(row.workflowId) ?? { id: row.workflowId, name: row.workflow.name, triggers: [] };
      entry.triggers.push(runTriggerOf(row.trigger, `a run of workflow ${row.workflowId}`));
      byWorkflow.set(row.workflowId, entry);
    }
    return [...byWorkflow.values()];
  }

  /** How many of the workflow's runs created since `since` (and before `until`, when given) have finished, and how many of them in `failures`. */
  async windowCounts(workflowId: string, triggers: readonly RunTrigger[], since: Date, failures: readonly RunStatus[], until: Date | null = null): Promise<{ runs: number; failures: number }> {
    const groups = await this.deps.db.run.groupBy({
      by: ['status'],
      where: { workflowId, createdAt: { gte: since, ...(until ? { lt: until } : {}) }, status: { in: TERMINAL }, ...(triggers.length > 0 ? { trigger: { in: [...triggers] } } : {}) },
      _count: { _all: true },
    });
    let runs = 0;
    let failed = 0;
    for (const group of groups) {
      runs += group._count._all;
      if (failures.includes(runStatusOf(group.status, `workflow ${workflowId}`))) failed += group._count._all;
    }
    return { runs, failures: failed };
  }
}
