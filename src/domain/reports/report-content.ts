/**
 * What a generated report says, independent of its format: the generator fills it from the
 * rollups and history at one snapshot, and every renderer (HTML, CSV, JSON, PDF) reads only it,
 * so all formats of one report show the same numbers.
 */
import type { RunStatus } from '../status';

export const REPORT_SECTIONS = [
  'STATUS_DISTRIBUTION',
  'PERIOD_CHANGE',
  'WORKFLOW_PERFORMANCE',
  'TOP_FAILING',
  'WORKFLOW_CHANGES',
  'ALERTS',
  'RUNS',
] as const;
export type ReportSection = (typeof REPORT_SECTIONS)[number];

export const REPORT_FORMATS = ['HTML', 'CSV', 'JSON', 'PDF'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportPeriod {
  /** Inclusive start and exclusive end, ISO 8601 instants. */
  from: string;
  to: string;
  /** The zone the period's boundaries were taken in, e.g. `Europe/Berlin`. */
  timeZone: string;
  /** For people, e.g. "Week of 2026-11-30" or "2026-12-06". */
  label: string;
}

export interface StatusShare {
  status: RunStatus;
  count: number;
  /** count / total, 0 when the total is 0. */
  share: number;
}

export interface StatusDistribution {
  total: number;
  /** Every run status, in RUN_STATUSES order, zero counts included. */
  statuses: StatusShare[];
}

export interface PeriodChange {
  previous: StatusDistribution;
  /** The mean per period over the 4 periods before the previous one (a 4-week baseline for a week). */
  baseline: StatusDistribution;
}

export interface WorkflowRef {
  workflowId: string;
  workflowName: string;
  projectId: string;
  projectName: string;
}

export interface WorkflowPerformance extends WorkflowRef {
  runs: number;
  succeeded: number;
  /** Succeeded among finished runs; null when none finished. */
  successRate: number | null;
  /** Durations of finished runs in milliseconds; null when none finished. */
  p50DurationMs: number | null;
  p95DurationMs: number | null;
  /** Success rate per sub-bucket of the period (a day for a week or month, an hour for a day), null where nothing finished. */
  successRateSparkline: (number | null)[];
}

export interface ErrorCount {
  message: string;
  count: number;
}

export interface FailingWorkflow extends WorkflowRef {
  failures: number;
  /** Failed runs in a row at the end of the period. */
  currentStreak: number;
  firstFailureAt: string;
  lastFailureAt: string;
  /** The commonest error messages, most frequent first, at most 3. */
  commonErrors: ErrorCount[];
}

export interface FlakyWorkflow extends WorkflowRef {
  /** Runs that failed a step attempt and then succeeded on retry. */
  succeededOnRetry: number;
  runs: number;
}

export interface WorkflowChanges {
  /** Failed in this period after no failure in the previous one. */
  newlyFailing: WorkflowRef[];
  /** Failed at the end of the previous period and succeeded at the end of this one. */
  recovered: WorkflowRef[];
  flaky: FlakyWorkflow[];
}

export interface FiredAlert {
  alertId: string;
  ruleName: string;
  workflowName: string | null;
  projectName: string;
  firedAt: string;
  resolvedAt: string | null;
}

export interface AlertSummary {
  fired: number;
  resolved: number;
  /** Median of resolvedAt - firedAt over resolved alerts; null when none resolved. */
  medianTimeToResolveMs: number | null;
  alerts: FiredAlert[];
}

export interface ReportRunRow extends WorkflowRef {
  runId: string;
  status: RunStatus;
  trigger: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  error: string | null;
}

export interface ReportRuns {
  /**
   * The first `count` runs; of a report stored in neither CSV nor JSON, only the first
   * REPORT_LISTED_RUN_ROWS of them, as no other format lists more.
   */
  rows: ReportRunRow[];
  /** The runs the report's CSV and JSON hold: every run of the period, at most REPORT_MAX_RUN_ROWS. */
  count: number;
  /** More runs matched than a report holds (REPORT_MAX_RUN_ROWS); the total is in the distribution. */
  truncated: boolean;
}

export interface ReportContent {
  reportId: string;
  definitionId: string;
  definitionName: string;
  generatedAt: string;
  /** The history snapshot every number was read at (decimal string, as in the API). */
  snapshot: string;
  period: ReportPeriod;
  projects: { projectId: string; projectName: string }[];
  /** Present exactly for the sections the definition asked for. */
  statusDistribution?: StatusDistribution;
  periodChange?: PeriodChange;
  workflowPerformance?: WorkflowPerformance[];
  topFailing?: FailingWorkflow[];
  workflowChanges?: WorkflowChanges;
  alerts?: AlertSummary;
  runs?: ReportRuns;
}

export const REPORT_MAX_RUN_ROWS = 100_000;
/** The most runs a format lists in itself rather than in the CSV (the PDF; the HTML lists fewer). */
export const REPORT_LISTED_RUN_ROWS = 100;

/** The formats that hold every run of the period (the others list the first REPORT_LISTED_RUN_ROWS at most). */
export function holdsEveryRun(formats: readonly ReportFormat[]): boolean {
  return formats.includes('CSV') || formats.includes('JSON');
}

/**
 * The runs a report's CSV and JSON hold, as those formats write them (UTF-8, read and written in
 * the history read thread; see report-run-text.ts): the CSV records without the header, the JSON
 * items of content.runs.rows without the brackets. Null for a format the report is not stored in.
 */
export interface RunsText {
  csv: Buffer | null;
  json: Buffer | null;
}

export interface RenderedReport {
  format: ReportFormat;
  contentType: string;
  fileExtension: string;
  bytes: Buffer;
}
