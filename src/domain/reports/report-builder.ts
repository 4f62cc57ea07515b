/**
 * The sections of a report computed from what generation read at one snapshot: the counts (from
 * the rollups), the runs of the period and the one before, the runs that succeeded on a retry,
 * and the alert transitions. Pure, so every number is a function of those inputs.
 */
import { RUN_STATUSES, TERMINAL_RUN_STATUSES, type RunStatus } from '../status.ts';
import {
  REPORT_LISTED_RUN_ROWS,
  REPORT_MAX_RUN_ROWS,
  type AlertSummary,
  type ErrorCount,
  type FailingWorkflow,
  type FiredAlert,
  type FlakyWorkflow,
  type ReportRunRow,
  type ReportRuns,
  type StatusDistribution,
  type WorkflowChanges,
  type WorkflowPerformance,
  type WorkflowRef,
} from './report-content.ts';

/** A run of the period as of the snapshot. */
/** A run of the runs section, its times in epoch milliseconds (rows are many: no Date each). */
export interface ReportRun {
  id: string;
  workflowId: string;
  status: RunStatus;
  trigger: string;
  createdAtMs: number;
  startedAtMs: number | null;
  finishedAtMs: number | null;
  durationMs: number | null;
  error: string | null;
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

/** Runs of a workflow with one status created in one sparkline bucket (its index), and when the latest was created. */
export interface BucketCell {
  workflowId: string;
  bucket: number;
  status: RunStatus;
  count: number;
  latest: Date;
}

/** The cells summed over buckets: the period's runs per workflow and status. */
export function statusesOfCells(cells: readonly BucketCell[]): WorkflowStatusRow[] {
  const rows = new Map<string, WorkflowStatusRow>();
  for (const cell of cells) {
    const key = `${cell.workflowId} ${cell.status}`;
    const found = rows.get(key);
    if (!found) rows.set(key, { workflowId: cell.workflowId, status: cell.status, count: cell.count, latest: cell.latest });
    else rows.set(key, { ...found, count: found.count + cell.count, latest: cell.latest.getTime() > found.latest.getTime() ? cell.latest : found.latest });
  }
  return [...rows.values()];
}

/** A FAILED run of the period: what top failing lists. */
export interface FailedRun {
  workflowId: string;
  createdAt: Date;
  error: string | null;
}

/** The p50 and p95 duration of a workflow's finished runs. */
export interface DurationPercentiles {
  p50: number;
  p95: number;
}

/** Per workflow: runs, success rate among finished runs, p50/p95 duration, a success rate per bucket. */
export function workflowPerformance(cells: readonly BucketCell[], buckets: number, durations: ReadonlyMap<string, DurationPercentiles>, names: Names): WorkflowPerformance[] {
  const rows: WorkflowPerformance[] = [];
  for (const [workflowId, ofWorkflow] of byWorkflow(cells)) {
    const finished = Array.from({ length: buckets }, () => 0);
    const ok = Array.from({ length: buckets }, () => 0);
    let runs = 0;
    for (const cell of ofWorkflow) {
      runs += cell.count;
      if (!isFinished(cell.status)) continue;
      finished[cell.bucket] = (finished[cell.bucket] ?? 0) + cell.count;
      if (cell.status === 'SUCCEEDED') ok[cell.bucket] = (ok[cell.bucket] ?? 0) + cell.count;
    }
    const succeeded = ok.reduce((sum, count) => sum + count, 0);
    const done = finished.reduce((sum, count) => sum + count, 0);
    const percentiles = durations.get(workflowId);
    rows.push({
      ...refOf(workflowId, names),
      runs,
      succeeded,
      successRate: done === 0 ? null : succeeded / done,
      p50DurationMs: percentiles?.p50 ?? null,
      p95DurationMs: percentiles?.p95 ?? null,
      successRateSparkline: finished.map((count, index) => (count === 0 ? null : (ok[index] ?? 0) / count)),
    });
  }
  return rows.sort(compareRefs);
}

function errorKey(error: string | null): string {
  const firstLine = (error ?? '').split('\n', 1)[0]?.trim() ?? '';
  return firstLine.length === 0 ? '(no error message)' : firstLine.slice(0, ERROR_TEXT_MAX_CHARS);
}

/** The latest finished run of each workflow that did not fail, from its counts per status (for the current streak). */
function latestNotFailed(statuses: readonly WorkflowStatusRow[]): Map<string, number> {
  const latest = new Map<string, number>();
  for (const row of statuses) {
    if (!isFinished(row.status) || row.status === 'FAILED') continue;
    latest.set(row.workflowId, Math.max(latest.get(row.workflowId) ?? -Infinity, row.latest.getTime()));
  }
  return latest;
}

/**
 * Workflows with failed runs, most failures first (at most TOP_FAILING_MAX). `failed` in
 * (createdAt) order; `statuses`: the period's runs per workflow and status, for the streak.
 */
export function topFailing(failed: readonly FailedRun[], statuses: readonly WorkflowStatusRow[], names: Names): FailingWorkflow[] {
  const notFailed = latestNotFailed(statuses);
  const rows: FailingWorkflow[] = [];
  for (const [workflowId, ofWorkflow] of byWorkflow(failed)) {
    const first = ofWorkflow[0];
    const last = ofWorkflow.at(-1);
    if (!first || !last) continue;
    const since = notFailed.get(workflowId) ?? -Infinity;
    const errors = new Map<string, number>();
    for (const run of ofWorkflow) errors.set(errorKey(run.error), (errors.get(errorKey(run.error)) ?? 0) + 1);
    const commonErrors: ErrorCount[] = [...errors.entries()]
      .map(([message, count]) => ({ message, count }))
      .sort((a, b) => b.count - a.count || a.message.localeCompare(b.message))
      .slice(0, COMMON_ERRORS_MAX);
    rows.push({
      ...refOf(workflowId, names),
      failures: ofWorkflow.length,
      currentStreak: ofWorkflow.filter((run) => run.createdAt.getTime() > since).length,
      firstFailureAt: first.createdAt.toISOString(),
      lastFailureAt: last.createdAt.toISOString(),
      commonErrors,
    });
  }
  return rows.sort((a, b) => b.failures - a.failures || compareRefs(a, b)).slice(0, TOP_FAILING_MAX);
}

/** The status of each workflow's latest finished run, from its counts per status. */
function lastFinished(statuses: readonly WorkflowStatusRow[]): Map<string, WorkflowStatusRow> {
  const last = new Map<string, WorkflowStatusRow>();
  for (const row of statuses) {
    if (!isFinished(row.status)) continue;
    const found = last.get(row.workflowId);
    if (!found || row.latest.getTime() > found.latest.getTime()) last.set(row.workflowId, row);
  }
  return last;
}

/**
 * Newly failing and recovered against the previous period, from both periods' runs per workflow
 * and status; flaky: the workflows' runs that succeeded after a failed step attempt or as a retry.
 */
export function workflowChanges(now: readonly WorkflowStatusRow[], earlier: readonly WorkflowStatusRow[], flakyRuns: ReadonlyMap<string, number>, names: Names): WorkflowChanges {
  const failedBefore = new Set(earlier.filter((row) => row.status === 'FAILED' && row.count > 0).map((row) => row.workflowId));
  const lastBefore = lastFinished(earlier);
  const lastNow = lastFinished(now);
  const runs = new Map<string, number>();
  for (const row of now) runs.set(row.workflowId, (runs.get(row.workflowId) ?? 0) + row.count);
  const newlyFailing = [...new Set(now.filter((row) => row.status === 'FAILED' && row.count > 0 && !failedBefore.has(row.workflowId)).map((row) => row.workflowId))].map((id) => refOf(id, names));
  const recovered = [...lastNow.values()].filter((row) => row.status === 'SUCCEEDED' && lastBefore.get(row.workflowId)?.status === 'FAILED').map((row) => refOf(row.workflowId, names));
  const flaky: FlakyWorkflow[] = [...flakyRuns.entries()].filter(([, count]) => count > 0).map(([workflowId, count]) => ({ ...refOf(workflowId, names), succeededOnRetry: count, runs: runs.get(workflowId) ?? count }));
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

/** The runs as rows, the first REPORT_MAX_RUN_ROWS of the `total` the period has. */
const DAY_MS = 86_400_000;
// From 1970 to 9999, where the ISO form is YYYY-MM-DDTHH:MM:SS.mmmZ throughout.
const ISO_TO_MS = 253_402_300_800_000;

const two = (value: number) => (value < 10 ? `0${value}` : `${value}`);
const three = (value: number) => (value < 10 ? `00${value}` : value < 100 ? `0${value}` : `${value}`);

/**
 * Date.prototype.toISOString for many timestamps of a few days: each day's date part is made
 * once, the time of day by arithmetic (a hundred thousand rows hold three timestamps each).
 */
export function isoTimestamps(): (ms: number) => string {
  const days = new Map<number, string>();
  return (ms) => {
    if (!Number.isInteger(ms) || ms < 0 || ms >= ISO_TO_MS) return new Date(ms).toISOString();
    const day = Math.floor(ms / DAY_MS);
    let date = days.get(day);
    if (date === undefined) {
      date = new Date(day * DAY_MS).toISOString().slice(0, 11);
      days.set(day, date);
    }
    let rest = ms - day * DAY_MS;
    const hours = Math.floor(rest / 3_600_000);
    rest -= hours * 3_600_000;
    const minutes = Math.floor(rest / 60_000);
    rest -= minutes * 60_000;
    const seconds = Math.floor(rest / 1_000);
    return `${date}${two(hours)}:${two(minutes)}:${two(seconds)}.${three(rest - seconds * 1_000)}Z`;
  };
}

/** A run as a row of the runs section; every format writes it from this object, its keys in this order. */
export function runRowOf(run: ReportRun, ref: WorkflowRef, iso: (ms: number) => string): ReportRunRow {
  return {
    workflowId: ref.workflowId,
    workflowName: ref.workflowName,
    projectId: ref.projectId,
    projectName: ref.projectName,
    runId: run.id,
    status: run.status,
    trigger: run.trigger,
    createdAt: iso(run.createdAtMs),
    startedAt: run.startedAtMs === null ? null : iso(run.startedAtMs),
    finishedAt: run.finishedAtMs === null ? null : iso(run.finishedAtMs),
    durationMs: run.durationMs,
    error: run.error,
  };
}

/** The names of workflows as the runs section writes them, each workflow looked up once (a hundred thousand rows name a few). */
export function workflowRefs(names: Names): (workflowId: string) => WorkflowRef {
  const refs = new Map<string, WorkflowRef>();
  return (workflowId) => {
    let ref = refs.get(workflowId);
    if (!ref) {
      ref = refOf(workflowId, names);
      refs.set(workflowId, ref);
    }
    return ref;
  };
}

/**
 * The runs section from the first runs of the period: all it holds (up to REPORT_MAX_RUN_ROWS), or
 * only the first listed ones (`listedOnly`, for a report stored in neither CSV nor JSON), its
 * count then following from the period's total.
 */
export function runRows(runs: readonly ReportRun[], names: Names, total: number, listedOnly: boolean): ReportRuns {
  const refOfWorkflow = workflowRefs(names);
  const iso = isoTimestamps();
  const rows = runs.slice(0, REPORT_MAX_RUN_ROWS).map((run) => runRowOf(run, refOfWorkflow(run.workflowId), iso));
  const count = listedOnly ? Math.min(total, REPORT_MAX_RUN_ROWS) : rows.length;
  return { rows, count, truncated: total > count };
}

/**
 * The runs section of a report whose CSV and JSON got their `held` runs as text (RunsText): the
 * first runs listed as rows for the other formats, the count those hold.
 */
export function runRowsBesideText(listed: readonly ReportRun[], names: Names, total: number, held: number): ReportRuns {
  const { rows } = runRows(listed.slice(0, REPORT_LISTED_RUN_ROWS), names, total, true);
  return { rows, count: held, truncated: total > held };
}
