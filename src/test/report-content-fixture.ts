/**
 * A report with every section filled, for the renderers' tests and the README's screenshot:
 * a week in Europe/Berlin, names and errors that try to break out of HTML and CSV, and more
 * runs than the HTML lists and one PDF page holds.
 */
import type { ReportContent, ReportRunRow, StatusDistribution, WorkflowRef } from '../domain/reports/report-content';
import { RUN_STATUSES, type RunStatus } from '../domain/status';

export function distribution(counts: Partial<Record<RunStatus, number>>): StatusDistribution {
  const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
  return {
    total,
    statuses: RUN_STATUSES.map((status) => {
      const count = counts[status] ?? 0;
      return { status, count, share: total === 0 ? 0 : count / total };
    }),
  };
}

export const HOSTILE_WORKFLOW_NAME = '<script>alert("pwned")</script>';
export const HOSTILE_ERROR = '<img src=x onerror="alert(1)"> exit 1 & "quoted"';
export const FORMULA_WORKFLOW_NAME = '=HYPERLINK("http://evil.example","click")';

const project = { projectId: 'prj_1', projectName: 'Data & Billing' };
const nightly: WorkflowRef = { ...project, workflowId: 'wf_nightly', workflowName: 'nightly-etl' };
const hostile: WorkflowRef = { ...project, workflowId: 'wf_hostile', workflowName: HOSTILE_WORKFLOW_NAME };
const formula: WorkflowRef = { ...project, workflowId: 'wf_formula', workflowName: FORMULA_WORKFLOW_NAME };
/** A name beyond Latin-1, as users write them. */
export const UNICODE_PROJECT_NAME = 'Finanzen Zürich – Łódź – Москва';
const invoices: WorkflowRef = { projectId: 'prj_2', projectName: UNICODE_PROJECT_NAME, workflowId: 'wf_invoices', workflowName: 'send-invoices' };

/** The counts of the period: 60% succeeded, 30% failed. */
export const FIXTURE_COUNTS = { RUNNING: 2, SUCCEEDED: 120, PARTIALLY_SUCCEEDED: 8, FAILED: 60, ABORTED: 6, REJECTED: 4 } as const;

/** A run created at 2026-12-01T10:30:00Z, which is 11:30 on Berlin's wall clock. */
export const FIXTURE_RUN_CREATED_AT = '2026-12-01T10:30:00.000Z';
export const FIXTURE_RUN_ROWS = 45;

function runRow(index: number): ReportRunRow {
  const workflows = [nightly, hostile, formula, invoices];
  const workflow = workflows[index % workflows.length] ?? nightly;
  const failed = index % 3 === 0;
  const createdAt = new Date(Date.parse(FIXTURE_RUN_CREATED_AT) + index * 3_600_000).toISOString();
  return {
    ...workflow,
    runId: `run_${String(index).padStart(4, '0')}`,
    status: failed ? 'FAILED' : 'SUCCEEDED',
    trigger: index % 2 === 0 ? 'SCHEDULE' : 'MANUAL',
    createdAt,
    startedAt: new Date(Date.parse(createdAt) + 1_000).toISOString(),
    finishedAt: new Date(Date.parse(createdAt) + 61_000).toISOString(),
    durationMs: 60_000,
    error: failed ? (index % 2 === 0 ? HOSTILE_ERROR : '-1 rows affected; @admin see =SUM(A1)') : null,
  };
}

export function reportFixture(): ReportContent {
  return {
    reportId: 'rep_fixture',
    definitionId: 'def_weekly',
    definitionName: 'Weekly status',
    generatedAt: '2026-12-07T06:00:05.000Z',
    snapshot: '918273',
    period: { from: '2026-11-29T23:00:00.000Z', to: '2026-12-06T23:00:00.000Z', timeZone: 'Europe/Berlin', label: 'Week of 2026-11-30' },
    projects: [project, { projectId: invoices.projectId, projectName: invoices.projectName }],
    statusDistribution: distribution(FIXTURE_COUNTS),
    periodChange: {
      previous: distribution({ SUCCEEDED: 140, PARTIALLY_SUCCEEDED: 6, FAILED: 35, ABORTED: 9, REJECTED: 2 }),
      baseline: distribution({ SUCCEEDED: 131.5, PARTIALLY_SUCCEEDED: 5.25, FAILED: 28.75, ABORTED: 7, REJECTED: 3.5 }),
    },
    workflowPerformance: [
      { ...nightly, runs: 84, succeeded: 70, successRate: 70 / 83, p50DurationMs: 252_000, p95DurationMs: 1_140_000, successRateSparkline: [1, 0.92, 0.85, null, 0.6, 0.75, 0.9] },
      { ...hostile, runs: 60, succeeded: 20, successRate: 20 / 60, p50DurationMs: 3_400, p95DurationMs: 18_900, successRateSparkline: [0.5, 0.4, 0.2, 0.1, 0.3, 0.35, 0.45] },
      { ...formula, runs: 30, succeeded: 18, successRate: 0.6, p50DurationMs: 850, p95DurationMs: 2_100, successRateSparkline: [0.7, 0.5, null, 0.6, null, null, null] },
      { ...invoices, runs: 26, succeeded: 12, successRate: 12 / 26, p50DurationMs: 45_000, p95DurationMs: 95_000, successRateSparkline: [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8] },
    ],
    topFailing: [
      {
        ...hostile,
        failures: 40,
        currentStreak: 6,
        firstFailureAt: '2026-11-30T01:15:00.000Z',
        lastFailureAt: '2026-12-06T21:40:00.000Z',
        commonErrors: [
          { message: HOSTILE_ERROR, count: 31 },
          { message: 'connection reset by peer', count: 7 },
          { message: 'timeout after 300 s', count: 2 },
        ],
      },
      { ...invoices, failures: 14, currentStreak: 0, firstFailureAt: '2026-12-01T08:00:00.000Z', lastFailureAt: '2026-12-04T08:00:00.000Z', commonErrors: [{ message: 'SMTP 451 try again later', count: 14 }] },
    ],
    workflowChanges: {
      newlyFailing: [hostile],
      recovered: [nightly],
      flaky: [{ ...invoices, succeededOnRetry: 5, runs: 26 }],
    },
    alerts: {
      fired: 3,
      resolved: 2,
      medianTimeToResolveMs: 2_700_000,
      alerts: [
        { alertId: 'al_1', ruleName: 'Failure rate > 20%', workflowName: HOSTILE_WORKFLOW_NAME, projectName: project.projectName, firedAt: '2026-12-02T09:00:00.000Z', resolvedAt: '2026-12-02T09:30:00.000Z' },
        { alertId: 'al_2', ruleName: 'Run stuck', workflowName: null, projectName: invoices.projectName, firedAt: '2026-12-03T14:00:00.000Z', resolvedAt: '2026-12-03T15:00:00.000Z' },
        { alertId: 'al_3', ruleName: 'Failure streak', workflowName: invoices.workflowName, projectName: invoices.projectName, firedAt: '2026-12-06T20:00:00.000Z', resolvedAt: null },
      ],
    },
    runs: { rows: Array.from({ length: FIXTURE_RUN_ROWS }, (_, index) => runRow(index)), count: FIXTURE_RUN_ROWS, truncated: false },
  };
}
