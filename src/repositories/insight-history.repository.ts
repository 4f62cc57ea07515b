import type { Db } from '../db/client.ts';
import type { DetectorHistory } from '../domain/insight/workflow-detectors.ts';
import { runStatusOf, TERMINAL_RUN_STATUSES, type RunStatus } from '../domain/status.ts';
import { runTriggerOf, type RunTrigger } from '../domain/vocabulary.ts';

/** A run created, or a run that ended, as the detectors are told of it. */
export interface RunChange {
  seq: bigint;
  runId: string;
  projectId: string;
  workflowId: string;
  trigger: RunTrigger;
  change: 'CREATED' | 'ENDED';
  createdAt: Date;
  /** Of an ended run: when, its status, and its duration when it ran. */
  at: Date;
  status: string;
  durationMs: number | null;
}

/** A step of an ended run: its last attempt. */
export interface EndedStep {
  name: string;
  status: string;
  attempt: number;
  durationMs: number | null;
}

const TERMINAL = [...TERMINAL_RUN_STATUSES];
// The latest finished runs a workflow's detectors start from: the widest window any of them keeps.
const WARM_RUNS = 300;
const HOUR_MS = 3_600_000;

/** What anomaly detection reads of the history: the feed of run creations and ends, and each workflow's recent past. */
export class InsightHistoryRepository {
  constructor(private readonly deps: { db: Db }) {}

  /** Runs created or ended after `afterSeq`, in seq order (seqs become visible in commit order, so none is skipped). */
  async runChangesAfter(afterSeq: bigint, limit: number): Promise<RunChange[]> {
    const events = await this.deps.db.runEvent.findMany({
      where: { seq: { gt: afterSeq }, kind: 'RUN', OR: [{ from: null }, { to: { in: TERMINAL } }] },
      orderBy: { seq: 'asc' },
      take: limit,
      select: { seq: true, runId: true, projectId: true, workflowId: true, from: true, to: true, at: true, run: { select: { trigger: true, createdAt: true, durationMs: true } } },
    });
    return events.map((event) => ({
      seq: event.seq,
      runId: event.runId,
      projectId: event.projectId,
      workflowId: event.workflowId,
      trigger: runTriggerOf(event.run.trigger, `run ${event.runId}`),
      change: event.from === null ? 'CREATED' : 'ENDED',
      createdAt: event.run.createdAt,
      at: event.at,
      status: event.to,
      durationMs: event.run.durationMs,
    }));
  }

  /** The steps of these runs, by run. */
  async stepsOf(runIds: readonly string[]): Promise<Map<string, EndedStep[]>> {
    const rows = await this.deps.db.stepRun.findMany({ where: { runId: { in: [...runIds] } }, select: { runId: true, name: true, status: true, attempt: true, startedAt: true, finishedAt: true }, orderBy: { position: 'asc' } });
    const steps = new Map<string, EndedStep[]>();
    for (const row of rows) {
      const list = steps.get(row.runId) ?? [];
      list.push({ name: row.name, status: row.status, attempt: row.attempt, durationMs: row.startedAt && row.finishedAt ? row.finishedAt.getTime() - row.startedAt.getTime() : null });
      steps.set(row.runId, list);
    }
    return steps;
  }

  /** Durations of each step's successful runs in the latest `runs` succeeded runs of each workflow, oldest first, by workflow then step. */
  async recentStepDurations(workflowIds: readonly string[], runs: number): Promise<Map<string, Map<string, number[]>>> {
    const durations = new Map<string, Map<string, number[]>>();
    for (const workflowId of workflowIds) {
      const latest = await this.deps.db.run.findMany({ where: { workflowId, status: 'SUCCEEDED' }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: runs, select: { id: true } });
      const steps = await this.stepsOf(latest.reverse().map((run) => run.id));
      const byStep = new Map<string, number[]>();
      for (const run of latest) {
        for (const step of steps.get(run.id) ?? []) {
          if (step.status !== 'SUCCEEDED' || step.durationMs === null) continue;
          byStep.set(step.name, [...(byStep.get(step.name) ?? []), step.durationMs]);
        }
      }
      durations.set(workflowId, byStep);
    }
    return durations;
  }

  /** The latest `limit` finished runs of each workflow, oldest first: true where it failed. */
  async latestOutcomes(workflowIds: readonly string[], limit: number): Promise<Map<string, boolean[]>> {
    const outcomes = new Map<string, boolean[]>();
    for (const workflowId of workflowIds) {
      const runs = await this.deps.db.run.findMany({ where: { workflowId, status: { in: TERMINAL } }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit, select: { status: true } });
      outcomes.set(workflowId, runs.reverse().map((run) => run.status === 'FAILED'));
    }
    return outcomes;
  }

  /** Runs created per UTC day and status by each workflow since `since` (the daily rollup), by workflow then day (unix ms). */
  async dailyCounts(workflowIds: readonly string[], since: Date): Promise<Map<string, Map<number, Map<RunStatus, number>>>> {
    const rows = await this.deps.db.statusDayBucket.groupBy({ by: ['workflowId', 'day', 'status'], where: { workflowId: { in: [...workflowIds] }, day: { gte: since } }, _sum: { count: true } });
    const counts = new Map<string, Map<number, Map<RunStatus, number>>>(workflowIds.map((id) => [id, new Map()]));
    for (const row of rows) {
      const days = counts.get(row.workflowId);
      if (days === undefined) continue;
      const day = days.get(row.day.getTime()) ?? new Map<RunStatus, number>();
      const status = runStatusOf(row.status, `the daily rollup of workflow ${row.workflowId}`);
      day.set(status, (day.get(status) ?? 0) + (row._sum.count ?? 0));
      days.set(row.day.getTime(), day);
    }
    return counts;
  }

  /** The workflow's recent past: its latest finished runs with their steps, and its hourly rollups since `since`. */
  async recentPast(workflow: { id: string; createdAt: Date }, since: Date): Promise<DetectorHistory> {
    const runs = await this.deps.db.run.findMany({
      where: { workflowId: workflow.id, finishedAt: { not: null } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: WARM_RUNS,
      select: { id: true, status: true, durationMs: true, finishedAt: true },
    });
    runs.reverse();
    const steps = await this.stepsOf(runs.map((run) => run.id));
    const history: DetectorHistory = { historyStart: workflow.createdAt.getTime(), runDurationsMs: [], stepDurationsMs: new Map(), outcomes: [], hours: [] };
    for (const run of runs) {
      if (run.finishedAt === null) continue;
      const own = steps.get(run.id) ?? [];
      const succeededOnRetry = run.status === 'SUCCEEDED' && own.some((step) => step.status === 'SUCCEEDED' && step.attempt > 1);
      history.outcomes.push({ failed: run.status === 'FAILED', succeededOnRetry, at: run.finishedAt.getTime() });
      if (run.status !== 'SUCCEEDED') continue;
      if (!succeededOnRetry && run.durationMs !== null) history.runDurationsMs.push(run.durationMs);
      for (const step of own) {
        if (step.status !== 'SUCCEEDED' || step.durationMs === null) continue;
        history.stepDurationsMs.set(step.name, [...(history.stepDurationsMs.get(step.name) ?? []), step.durationMs]);
      }
    }
    const buckets = await this.deps.db.statusBucket.groupBy({ by: ['hour', 'status'], where: { workflowId: workflow.id, hour: { gte: since } }, _sum: { count: true }, orderBy: { hour: 'asc' } });
    const hours = new Map<number, DetectorHistory['hours'][number]>();
    for (const bucket of buckets) {
      const hour = Math.floor(bucket.hour.getTime() / HOUR_MS);
      const tally = hours.get(hour) ?? { hour, created: 0, finished: 0, failed: 0 };
      const count = bucket._sum.count ?? 0;
      tally.created += count;
      if (TERMINAL.some((status) => status === bucket.status)) tally.finished += count;
      if (bucket.status === 'FAILED') tally.failed += count;
      hours.set(hour, tally);
    }
    history.hours = [...hours.values()];
    return history;
  }
}
