/**
 * The sections of a report computed from what generation read at one snapshot: the counts (from
 * the rollups), the runs of the period and the one before, the runs that succeeded on a retry,
 * and the alert transitions. Pure, so every number is a function of those inputs.
 */
import { RUN_STATUSES, TERMINAL_RUN_STATUSES, type RunStatus } from '../status.ts';
import {
  REPORT_MAX_RUN_ROWS,
  type AlertSummary,
  type ErrorCount,
  type FailingWorkflow,
  type FiredAlert,
  type FlakyWorkflow,
  type ReportRunRow,
  type StatusDistribution,
  type WorkflowChanges,
  type WorkflowPerformance,
  type WorkflowRef,
} from './report-content.ts';

/** A run of the period as of the snapshot. */
export interface ReportRun {
  id: string;
  projectId: string;
  workflowId: string;
  status: RunStatus;
  trigger: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
  error: string | null;
  retryOfId: string | null;
}

/** The runs of a workflow with one status in the previous period: what newly failing and recovered compare with. */
export interface WorkflowStatusRow {
  workflowId: string;
  status: RunStatus;
  count: number;
  /** When the latest of them was created. */
  latest: Date;
}

/** One alert transition to FIRING or RESOLVED. */
export interface AlertTransition {
  instanceId: string;
  to: string;
  at: Date;
  ruleName: string | null;
  workflowId: string | null;
  projectId: string;
}

export interface Names {
  workflow(id: string): { name: string; projectId: string };
  project(id: string): string;
}

export const TOP_FAILING_MAX = 10;
export const COMMON_ERRORS_MAX = 3;
export const ALERTS_LISTED_MAX = 200;
const ERROR_TEXT_MAX_CHARS = 200;

export function distributionOf(counts: ReadonlyMap<RunStatus, number>): StatusDistribution {
  const total = RUN_STATUSES.reduce((sum, status) => sum + (counts.get(status) ?? 0), 0);
  return { total, statuses: RUN_STATUSES.map((status) => ({ status, count: counts.get(status) ?? 0, share: total === 0 ? 0 : (counts.get(status) ?? 0) / total })) };
}

/** The mean per period of several distributions (the baseline), each count a mean, not rounded. */
export function meanDistribution(distributions: readonly StatusDistribution[]): StatusDistribution {
  const counts = new Map<RunStatus, number>();
  for (const distribution of distributions) for (const entry of distribution.statuses) counts.set(entry.status, (counts.get(entry.status) ?? 0) + entry.count / distributions.length);
  return distributionOf(counts);
}

function refOf(workflowId: string, names: Names): WorkflowRef {
  const workflow = names.workflow(workflowId);
  return { workflowId, workflowName: workflow.name, projectId: workflow.projectId, projectName: names.project(workflow.projectId) };
}

function byWorkflow<T extends { workflowId: string }>(runs: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const run of runs) {
    const group = groups.get(run.workflowId);
    if (group) group.push(run);
    else groups.set(run.workflowId, [run]);
  }
  return groups;
}

function isFinished(status: RunStatus): boolean {
  return TERMINAL_RUN_STATUSES.has(status);
}

/** The nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(fraction * sorted.length));
  return sorted[rank - 1] ?? null;
}

function compareRefs(a: WorkflowRef, b: WorkflowRef): number {
  return a.projectName.localeCompare(b.projectName) || a.workflowName.localeCompare(b.workflowName) || a.workflowId.localeCompare(b.workflowId);
}

/** Per workflow: runs, success rate among finished runs, p50/p95 duration, a success rate per bucket. Runs ordered by createdAt. */
export function workflowPerformance(runs: readonly ReportRun[], boundaries: readonly Date[], names: Names): WorkflowPerformance[] {
  const rows: WorkflowPerformance[] = [];
  for (const [workflowId, ofWorkflow] of byWorkflow(runs)) {
    const finished = ofWorkflow.filter((run) => isFinished(run.status));
    const succeeded = ofWorkflow.filter((run) => run.status === 'SUCCEEDED').length;
    const durations = finished.flatMap((run) => (run.durationMs === null ? [] : [run.durationMs])).sort((a, b) => a - b);
    const sparkline: (number | null)[] = [];
    let index = 0;
    for (let bucket = 0; bucket + 1 < boundaries.length; bucket += 1) {
      const end = boundaries[bucket + 1]?.getTime() ?? 0;
      let done = 0;
      let ok = 0;
      for (; index < finished.length && (finished[index]?.createdAt.getTime() ?? 0) < end; index += 1) {
        done += 1;
        if (finished[index]?.status === 'SUCCEEDED') ok += 1;
      }
      sparkline.push(done === 0 ? null : ok / done);
    }
    rows.push({
      ...refOf(workflowId, names),
      runs: ofWorkflow.length,
      succeeded,
      successRate: finished.length === 0 ? null : succeeded / finished.length,
      p50DurationMs: percentile(durations, 0.5),
      p95DurationMs: percentile(durations, 0.95),
      successRateSparkline: sparkline,
    });
  }
  return rows.sort(compareRefs);
}

function errorKey(error: string | null): string {
  const firstLine = (error ?? '').split('\n', 1)[0]?.trim() ?? '';
  return firstLine.length === 0 ? '(no error message)' : firstLine.slice(0, ERROR_TEXT_MAX_CHARS);
}

/** Workflows with failed runs, most failures first (at most TOP_FAILING_MAX). */
export function topFailing(runs: readonly ReportRun[], names: Names): FailingWorkflow[] {
  const rows: FailingWorkflow[] = [];
  for (const [workflowId, ofWorkflow] of byWorkflow(runs)) {
    const failed = ofWorkflow.filter((run) => run.status === 'FAILED');
    const first = failed[0];
    const last = failed.at(-1);
    if (!first || !last) continue;
    const finished = ofWorkflow.filter((run) => isFinished(run.status));
    let streak = 0;
    for (let index = finished.length - 1; index >= 0 && finished[index]?.status === 'FAILED'; index -= 1) streak += 1;
    const errors = new Map<string, number>();
    for (const run of failed) errors.set(errorKey(run.error), (errors.get(errorKey(run.error)) ?? 0) + 1);
    const commonErrors: ErrorCount[] = [...errors.entries()]
      .map(([message, count]) => ({ message, count }))
      .sort((a, b) => b.count - a.count || a.message.localeCompare(b.message))
      .slice(0, COMMON_ERRORS_MAX);
    rows.push({ ...refOf(workflowId, names), failures: failed.length, currentStreak: streak, firstFailureAt: first.createdAt.toISOString(), lastFailureAt: last.createdAt.toISOString(), commonErrors });
  }
  return rows.sort((a, b) => b.failures - a.failures || compareRefs(a, b)).slice(0, TOP_FAILING_MAX);
}

/** Newly failing and recovered against the previous period; flaky: succeeded after a failed step attempt or as a retry of a run. */
export function workflowChanges(runs: readonly ReportRun[], earlier: readonly WorkflowStatusRow[], succeededOnRetry: ReadonlySet<string>, names: Names): WorkflowChanges {
  const before = byWorkflow(earlier);
  const newlyFailing: WorkflowRef[] = [];
  const recovered: WorkflowRef[] = [];
  const flaky: FlakyWorkflow[] = [];
  for (const [workflowId, ofWorkflow] of byWorkflow(runs)) {
    const previous = before.get(workflowId) ?? [];
    if (ofWorkflow.some((run) => run.status === 'FAILED') && !previous.some((row) => row.status === 'FAILED' && row.count > 0)) newlyFailing.push(refOf(workflowId, names));
    const lastBefore = previous.filter((row) => isFinished(row.status)).reduce<WorkflowStatusRow | null>((latest, row) => (latest === null || row.latest.getTime() > latest.latest.getTime() ? row : latest), null);
    const lastNow = ofWorkflow.filter((run) => isFinished(run.status)).at(-1);
    if (lastBefore?.status === 'FAILED' && lastNow?.status === 'SUCCEEDED') recovered.push(refOf(workflowId, names));
    const retried = ofWorkflow.filter((run) => run.status === 'SUCCEEDED' && (succeededOnRetry.has(run.id) || run.retryOfId !== null)).length;
    if (retried > 0) flaky.push({ ...refOf(workflowId, names), succeededOnRetry: retried, runs: ofWorkflow.length });
  }
  return { newlyFailing: newlyFailing.sort(compareRefs), recovered: recovered.sort(compareRefs), flaky: flaky.sort((a, b) => b.succeededOnRetry - a.succeededOnRetry || compareRefs(a, b)) };
}

/** Alerts that fired in [from, to), each with when it resolved (later events included), and the median time to resolve. */
export function alertSummary(transitions: readonly AlertTransition[], from: Date, to: Date, names: { workflowName(id: string): string | null; project(id: string): string }): AlertSummary {
  const fired: FiredAlert[] = [];
  const open = new Map<string, FiredAlert>();
  for (const transition of [...transitions].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    if (transition.to === 'FIRING') {
      if (transition.at.getTime() < from.getTime() || transition.at.getTime() >= to.getTime()) continue;
      const alert: FiredAlert = {
        alertId: transition.instanceId,
        ruleName: transition.ruleName ?? '(deleted rule)',
        workflowName: transition.workflowId === null ? null : names.workflowName(transition.workflowId),
        projectName: names.project(transition.projectId),
        firedAt: transition.at.toISOString(),
        resolvedAt: null,
      };
      fired.push(alert);
      open.set(transition.instanceId, alert);
    } else if (transition.to === 'RESOLVED') {
      const alert = open.get(transition.instanceId);
      if (alert) {
        alert.resolvedAt = transition.at.toISOString();
        open.delete(transition.instanceId);
      }
    }
  }
  const times = fired.flatMap((alert) => (alert.resolvedAt === null ? [] : [Date.parse(alert.resolvedAt) - Date.parse(alert.firedAt)])).sort((a, b) => a - b);
  return { fired: fired.length, resolved: times.length, medianTimeToResolveMs: percentile(times, 0.5), alerts: fired.slice(0, ALERTS_LISTED_MAX) };
}

/** The runs as rows, the first REPORT_MAX_RUN_ROWS of them. */
export function runRows(runs: readonly ReportRun[], names: Names): { rows: ReportRunRow[]; truncated: boolean } {
  const rows = runs.slice(0, REPORT_MAX_RUN_ROWS).map((run) => ({
    ...refOf(run.workflowId, names),
    runId: run.id,
    status: run.status,
    trigger: run.trigger,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    durationMs: run.durationMs,
    error: run.error,
  }));
  return { rows, truncated: runs.length > REPORT_MAX_RUN_ROWS };
}
