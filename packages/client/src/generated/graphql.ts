/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** An alert rule to create (no id) or replace (its id); every field is checked and every wrong one named in one error */
export type AlertRuleInput = {
  /** ANOMALY: the kinds of anomaly that fire it; every kind when absent or empty */
  anomalyKinds?: Array<AnomalyKind> | null | undefined;
  /** DURATION_OVER: 5 to 1000 successful runs; default 20 */
  baselineRuns?: number | null | undefined;
  /** Contact points of the project, at most 20 */
  contactPointIds?: Array<string | number> | null | undefined;
  /** CONSECUTIVE_FAILURES: 2 to 1000 */
  count?: number | null | undefined;
  /** Default true */
  enabled?: boolean | null | undefined;
  /** DURATION_OVER: 1 to 100 (× the p95 of recent successful runs) */
  factor?: number | null | undefined;
  /** Default 0 */
  forSeconds?: number | null | undefined;
  /** MISSING_SUCCESS: 0 to 10080 minutes; default 10 */
  graceMinutes?: number | null | undefined;
  /** Default 30; up to 3600 */
  groupWaitSeconds?: number | null | undefined;
  id?: string | number | null | undefined;
  /** Default 0 */
  keepFiringForSeconds?: number | null | undefined;
  kind: AlertRuleKind;
  /** DURATION_OVER: 1 to 604800 seconds; with or instead of factor (it wins) */
  limitSeconds?: number | null | undefined;
  /** STATUS_SWING: 0.01 to 1; default 0.2 */
  minDelta?: number | null | undefined;
  /** FAILURE_RATE: default 5 */
  minRuns?: number | null | undefined;
  /** 1 to 120 characters, unique in the project */
  name: string;
  projectId: string | number;
  /** Default 14400 (4 hours); 0: no reminders */
  repeatIntervalSeconds?: number | null | undefined;
  /** FAILURE_RATE: 0 to threshold; default 0.8 × threshold */
  resolveThreshold?: number | null | undefined;
  /** Any of FAILED, ABORTED, REJECTED, PARTIALLY_SUCCEEDED (STATUS_SWING: any status); default FAILED */
  statuses?: Array<RunStatus> | null | undefined;
  /** FAILURE_RATE: 0 to 0.99 */
  threshold?: number | null | undefined;
  triggers?: Array<RunTrigger> | null | undefined;
  /** FAILURE_RATE: 1 to 10080 minutes; STATUS_SWING: 5 to 1440 */
  windowMinutes?: number | null | undefined;
  workflowIds?: Array<string | number> | null | undefined;
  workflowNames?: Array<string> | null | undefined;
};

/** What an alert rule watches */
export type AlertRuleKind =
  | 'ANOMALY'
  /** The last `count` finished runs of a workflow all failed */
  | 'CONSECUTIVE_FAILURES'
  /** The latest finished run, or a run still running, took longer than `limitSeconds` or `factor` × the p95 of the last `baselineRuns` successful runs */
  | 'DURATION_OVER'
  /** The lower bound of the 95% Wilson interval of the failure rate over the window exceeds `threshold` (with at least `minRuns` runs) */
  | 'FAILURE_RATE'
  | 'INCIDENT'
  /** Schedule-aware: no success since the last expected cron fire, once its usual duration and `graceMinutes` have passed */
  | 'MISSING_SUCCESS'
  /** The latest finished run of a workflow failed (statuses: FAILED by default) */
  | 'RUN_FAILED'
  /** The latest finished run of a workflow succeeded after one that did not (Dagu’s mailOn.success) */
  | 'RUN_SUCCEEDED'
  /** The share of `statuses` over the window departs by `minDelta` from the same hours of the same weekdays over the last 4 weeks, and the departure is unlikely under that baseline (binomial tail, p < 0.001) */
  | 'STATUS_SWING';

/** Where an alert stands in its lifecycle */
export type AlertState =
  /** Its condition held long enough: notified */
  | 'FIRING'
  /** Its condition has not held */
  | 'INACTIVE'
  /** Its condition holds, not yet for the rule’s `for` */
  | 'PENDING'
  /** It fired, and its condition stopped holding */
  | 'RESOLVED';

/** What a detector found: a duration spike, a burst of failures, a drop of volume, a missed cron fire, a lasting fall of the success rate, or flakiness */
export type AnomalyKind =
  | 'DURATION_SPIKE'
  | 'FAILURE_BURST'
  | 'FLAKY'
  | 'LEVEL_SHIFT'
  | 'MISSED_SCHEDULE'
  | 'VOLUME_DROP';

/** Where an archived period stands */
export type ArchiveState =
  /** Its runs are archived; nothing moves */
  | 'ARCHIVED'
  /** Runs are moving into it; those of its committed batches are archived */
  | 'MOVING'
  /** Its runs are back in the live store, where the scheduled archival leaves them (archiveNow moves them again) */
  | 'RESTORED'
  /** Its runs are moving back to the live store */
  | 'RESTORING';

/** A contact point to create (no id) or replace (its id): WEBHOOK and SLACK take url, EMAIL takes email */
export type ContactPointInput = {
  email?: EmailSettingsInput | null | undefined;
  /** Replace this contact point; left out: create one */
  id?: string | number | null | undefined;
  kind: ContactPointKind;
  /** 1 to 100 characters, unique in the project */
  name: string;
  projectId: string | number;
  /** WEBHOOK: its signing key ("whsec_" and the base64 of 24 to 64 random bytes, required); EMAIL: the SMTP password. Left out or null: the secret stays as it was (unless the kind changes); an empty string removes it. Never returned */
  secret?: string | null | undefined;
  /** WEBHOOK and SLACK: the http(s) URL to POST to */
  url?: string | null | undefined;
};

/** How a contact point delivers */
export type ContactPointKind =
  /** An email over SMTP */
  | 'EMAIL'
  /** A Slack-compatible incoming webhook message (text and blocks) */
  | 'SLACK'
  /** A JSON POST signed per the Standard Webhooks specification (webhook-id, webhook-timestamp, webhook-signature) */
  | 'WEBHOOK';

/** The SMTP server and addresses of an EMAIL contact point */
export type EmailSettingsInput = {
  from: string;
  host: string;
  /** 587 or 25 (STARTTLS when offered), 465 with secure: true */
  port: number;
  /** TLS from the first byte (port 465) */
  secure: boolean;
  /** Put before every subject, e.g. "[runtrail]"; left out or null: none */
  subjectPrefix?: string | null | undefined;
  /** 1 to 50 addresses */
  to: Array<string>;
  /** The SMTP user; null: no authentication (its password is the contact point’s secret) */
  user?: string | null | undefined;
};

/** A report definition to create (no id) or replace (its id) */
export type ReportDefinitionInput = {
  /** At most 10 contact points of the report’s projects */
  contactPointIds?: Array<string | number> | null | undefined;
  /** Default true */
  enabled?: boolean | null | undefined;
  filter?: ReportRunFilterInput | null | undefined;
  /** Left out: HTML and JSON */
  formats?: Array<ReportFormat> | null | undefined;
  /** Replace this definition; left out: create one */
  id?: string | number | null | undefined;
  /** 1 to 100 characters */
  name: string;
  periodKind: ReportPeriodKind;
  /** 1 to 20 projects; ADMIN in each to save, VIEWER in each to preview */
  projectIds: Array<string | number>;
  /** At most 50 users, each able to read every project of the report */
  recipientIds?: Array<string | number> | null | undefined;
  /** A five-field cron expression (e.g. "0 6 * * 1"), firing at most every 15 minutes */
  schedule: string;
  /** Left out: every section */
  sections?: Array<ReportSection> | null | undefined;
  /** Default false */
  skipIfEmpty?: boolean | null | undefined;
  /** An IANA time zone, e.g. "Europe/Berlin" */
  timeZone: string;
  /** ROLLING only: 1 to 744 hours */
  windowHours?: number | null | undefined;
};

/** Where the delivery of a report through its contact points stands */
export type ReportDeliveryState =
  /** Every contact point took it */
  | 'DELIVERED'
  /** Given up after 5 tries */
  | 'FAILED'
  /** Nothing to deliver: no contact point, or skipped */
  | 'NONE'
  /** To be delivered by the leader (tried again after a failure) */
  | 'PENDING';

/** A format a report is stored and delivered in */
export type ReportFormat =
  | 'CSV'
  | 'HTML'
  | 'JSON'
  | 'PDF';

/** What generated a report: its schedule (on time or catching up) or a person (runReportNow, the CLI) */
export type ReportOrigin =
  | 'MANUAL'
  | 'SCHEDULE';

/** The period a report covers, in its definition’s time zone */
export type ReportPeriodKind =
  /** The full local day before the one the report fires on */
  | 'PREVIOUS_DAY'
  /** The full calendar month before the one it fires in */
  | 'PREVIOUS_MONTH'
  /** The full Monday-to-Monday week before the one it fires in */
  | 'PREVIOUS_WEEK'
  /** The windowHours before the fire */
  | 'ROLLING';

/** Which runs a report counts; left out or empty: any */
export type ReportRunFilterInput = {
  statuses?: Array<RunStatus> | null | undefined;
  triggers?: Array<RunTrigger> | null | undefined;
  /** At most 100 */
  workflowIds?: Array<string | number> | null | undefined;
  /** At most 100, each 1 to 200 characters */
  workflowNames?: Array<string> | null | undefined;
};

/** A part of a report */
export type ReportSection =
  /** Alerts fired in the period and their time to resolve */
  | 'ALERTS'
  /** The distribution of the previous period and the mean of the 4 before it */
  | 'PERIOD_CHANGE'
  /** The runs of the period as rows (at most 100,000) */
  | 'RUNS'
  /** Runs per status, with shares (a pie chart) */
  | 'STATUS_DISTRIBUTION'
  /** Workflows with the most failures: current streak, first and last failure, commonest errors */
  | 'TOP_FAILING'
  /** Newly failing, recovered, and flaky (succeeded after a failed attempt) workflows */
  | 'WORKFLOW_CHANGES'
  /** Per workflow: success rate, p50/p95 duration, a sparkline of the success rate */
  | 'WORKFLOW_PERFORMANCE';

/** What became of a report’s period */
export type ReportState =
  /** Generated, its files stored */
  | 'READY'
  /** No runs and skipIfEmpty: recorded, nothing generated or sent */
  | 'SKIPPED';

/** The policy of one level, replacing what it set before: a workflow (workflowId), a project (projectId) or the instance’s defaults (neither). A field left out or null inherits from the level below */
export type RetentionPolicyInput = {
  /** 1 to 36500 days; or archiveForever */
  archiveDays?: number | null | undefined;
  /** Keep archived periods forever (instead of archiveDays) */
  archiveForever?: boolean | null | undefined;
  /** 0 to 36500 days */
  hotDays?: number | null | undefined;
  /** 0 to 36500 days */
  keepFailedForDays?: number | null | undefined;
  /** 0 to 100000 runs */
  keepLastRuns?: number | null | undefined;
  /** Set the policy of this project (needs ADMIN in it) */
  projectId?: string | number | null | undefined;
  /** Set the policy of this workflow (needs ADMIN in its project); fields its definition sets are refused */
  workflowId?: string | number | null | undefined;
};

/** Where a retention policy is set: the instance’s defaults, a project, or one workflow */
export type RetentionScope =
  | 'INSTANCE'
  | 'PROJECT'
  | 'WORKFLOW';

/** Whether an event changed a run or one of its steps */
export type RunEventKind =
  | 'RUN'
  | 'STEP';

/** Which runs to include; every field narrows, lists mean "any of" */
export type RunFilter = {
  /** Inclusive */
  createdAfter?: string | Date | null | undefined;
  /** Exclusive */
  createdBefore?: string | Date | null | undefined;
  /** Include runs moved to the archive (default false) */
  includeArchived?: boolean | null | undefined;
  /** Default: every project the caller may read */
  projectIds?: Array<string | number> | null | undefined;
  /** Part of a workflow name or run id */
  search?: string | null | undefined;
  /** Any of these statuses */
  statuses?: Array<RunStatus> | null | undefined;
  triggers?: Array<RunTrigger> | null | undefined;
  workflowIds?: Array<string | number> | null | undefined;
  workflowNames?: Array<string> | null | undefined;
};

/** Status of a run, in Dagu vocabulary */
export type RunStatus =
  | 'ABORTED'
  | 'FAILED'
  | 'PARTIALLY_SUCCEEDED'
  | 'QUEUED'
  | 'REJECTED'
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'WAITING';

/** What started a run */
export type RunTrigger =
  | 'API'
  | 'MANUAL'
  | 'RETRY'
  | 'SCHEDULER'
  | 'SUBDAG'
  | 'WEBHOOK';

/** A silence to create: every wrong field is named in one error */
export type SilenceInput = {
  /** 1 to 1000 characters saying why */
  comment: string;
  /** After startsAt and now, at most 90 days after startsAt */
  endsAt: string | Date;
  projectId: string | number;
  ruleIds?: Array<string | number> | null | undefined;
  /** Default: now */
  startsAt?: string | Date | null | undefined;
  workflowIds?: Array<string | number> | null | undefined;
  workflowNames?: Array<string> | null | undefined;
};

/** Status of one step of a run */
export type StepStatus =
  | 'ABORTED'
  | 'FAILED'
  | 'NOT_STARTED'
  | 'PARTIALLY_SUCCEEDED'
  | 'REJECTED'
  | 'RUNNING'
  | 'SKIPPED'
  | 'SUCCEEDED'
  | 'WAITING';

export type ClientRunSummaryFragment = { id: string, status: RunStatus, trigger: RunTrigger, attempt: number, params: unknown, error: string | null, queuedReason: string | null, archived: boolean, createdAt: string & { readonly ' $dateTime': true }, startedAt: string & { readonly ' $dateTime': true } | null, finishedAt: string & { readonly ' $dateTime': true } | null, durationMs: number | null, project: { id: string, slug: string }, workflow: { id: string, name: string }, retryOf: { id: string } | null };

export type ClientRunFragment = { id: string, status: RunStatus, trigger: RunTrigger, attempt: number, params: unknown, error: string | null, queuedReason: string | null, archived: boolean, createdAt: string & { readonly ' $dateTime': true }, startedAt: string & { readonly ' $dateTime': true } | null, finishedAt: string & { readonly ' $dateTime': true } | null, durationMs: number | null, steps: Array<{ id: string, name: string, status: StepStatus, attempt: number, exitCode: number | null, error: string | null, startedAt: string & { readonly ' $dateTime': true } | null, finishedAt: string & { readonly ' $dateTime': true } | null }>, project: { id: string, slug: string }, workflow: { id: string, name: string }, retryOf: { id: string } | null };

export type ClientWorkflowFragment = { id: string, projectId: string, name: string, description: string | null, enabled: boolean, schedule: string | null, tags: Array<string>, source: string, loadError: string | null, nextFireAt: string & { readonly ' $dateTime': true } | null, lastFiredAt: string & { readonly ' $dateTime': true } | null, createdAt: string & { readonly ' $dateTime': true }, updatedAt: string & { readonly ' $dateTime': true } };

export type ClientStatusCountsFragment = { total: number, snapshot: string, byStatus: Array<{ status: RunStatus, count: number }> };

export type ClientSaveWorkflowMutationVariables = Exact<{
  projectId: string | number;
  yaml: string;
}>;


export type ClientSaveWorkflowMutation = { saveWorkflow: { id: string, projectId: string, name: string, description: string | null, enabled: boolean, schedule: string | null, tags: Array<string>, source: string, loadError: string | null, nextFireAt: string & { readonly ' $dateTime': true } | null, lastFiredAt: string & { readonly ' $dateTime': true } | null, createdAt: string & { readonly ' $dateTime': true }, updatedAt: string & { readonly ' $dateTime': true } } };

export type ClientDeleteWorkflowMutationVariables = Exact<{
  id: string | number;
}>;


export type ClientDeleteWorkflowMutation = { deleteWorkflow: boolean };

export type ClientSetWorkflowEnabledMutationVariables = Exact<{
  id: string | number;
  enabled: boolean;
}>;


export type ClientSetWorkflowEnabledMutation = { setWorkflowEnabled: { id: string, projectId: string, name: string, description: string | null, enabled: boolean, schedule: string | null, tags: Array<string>, source: string, loadError: string | null, nextFireAt: string & { readonly ' $dateTime': true } | null, lastFiredAt: string & { readonly ' $dateTime': true } | null, createdAt: string & { readonly ' $dateTime': true }, updatedAt: string & { readonly ' $dateTime': true } } };

export type ClientTriggerRunMutationVariables = Exact<{
  workflowId: string | number;
  params?: unknown;
}>;


export type ClientTriggerRunMutation = { triggerRun: { id: string, status: RunStatus, trigger: RunTrigger, attempt: number, params: unknown, error: string | null, queuedReason: string | null, archived: boolean, createdAt: string & { readonly ' $dateTime': true }, startedAt: string & { readonly ' $dateTime': true } | null, finishedAt: string & { readonly ' $dateTime': true } | null, durationMs: number | null, steps: Array<{ id: string, name: string, status: StepStatus, attempt: number, exitCode: number | null, error: string | null, startedAt: string & { readonly ' $dateTime': true } | null, finishedAt: string & { readonly ' $dateTime': true } | null }>, project: { id: string, slug: string }, workflow: { id: string, name: string }, retryOf: { id: string } | null } };

export type ClientCancelRunMutationVariables = Exact<{
  id: string | number;
}>;


export type ClientCancelRunMutation = { cancelRun: { id: string, status: RunStatus, trigger: RunTrigger, attempt: number, params: unknown, error: string | null, queuedReason: string | null, archived: boolean, createdAt: string & { readonly ' $dateTime': true }, startedAt: string & { readonly ' $dateTime': true } | null, finishedAt: string & { readonly ' $dateTime': true } | null, durationMs: number | null, steps: Array<{ id: string, name: string, status: StepStatus, attempt: number, exitCode: number | null, error: string | null, startedAt: string & { readonly ' $dateTime': true } | null, finishedAt: string & { readonly ' $dateTime': true } | null }>, project: { id: string, slug: string }, workflow: { id: string, name: string }, retryOf: { id: string } | null } };

export type ClientRetryRunMutationVariables = Exact<{
  id: string | number;
  fromFailedStep?: boolean | null | undefined;
  fromStep?: string | null | undefined;
}>;


export type ClientRetryRunMutation = { retryRun: { id: string, status: RunStatus, trigger: RunTrigger, attempt: number, params: unknown, error: string | null, queuedReason: string | null, archived: boolean, createdAt: string & { readonly ' $dateTime': true }, startedAt: string & { readonly ' $dateTime': true } | null, finishedAt: string & { readonly ' $dateTime': true } | null, durationMs: number | null, steps: Array<{ id: string, name: string, status: StepStatus, attempt: number, exitCode: number | null, error: string | null, startedAt: string & { readonly ' $dateTime': true } | null, finishedAt: string & { readonly ' $dateTime': true } | null }>, project: { id: string, slug: string }, workflow: { id: string, name: string }, retryOf: { id: string } | null } };

export type ClientApproveStepMutationVariables = Exact<{
  runId: string | number;
  step: string;
}>;


export type ClientApproveStepMutation = { approveStep: { id: string, status: RunStatus, trigger: RunTrigger, attempt: number, params: unknown, error: string | null, queuedReason: string | null, archived: boolean, createdAt: string & { readonly ' $dateTime': true }, startedAt: string & { readonly ' $dateTime': true } | null, finishedAt: string & { readonly ' $dateTime': true } | null, durationMs: number | null, steps: Array<{ id: string, name: string, status: StepStatus, attempt: number, exitCode: number | null, error: string | null, startedAt: string & { readonly ' $dateTime': true } | null, finishedAt: string & { readonly ' $dateTime': true } | null }>, project: { id: string, slug: string }, workflow: { id: string, name: string }, retryOf: { id: string } | null } };

export type ClientRejectStepMutationVariables = Exact<{
  runId: string | number;
  step: string;
  reason?: string | null | undefined;
}>;


export type ClientRejectStepMutation = { rejectStep: { id: string, status: RunStatus, trigger: RunTrigger, attempt: number, params: unknown, error: string | null, queuedReason: string | null, archived: boolean, createdAt: string & { readonly ' $dateTime': true }, startedAt: string & { readonly ' $dateTime': true } | null, finishedAt: string & { readonly ' $dateTime': true } | null, durationMs: number | null, steps: Array<{ id: string, name: string, status: StepStatus, attempt: number, exitCode: number | null, error: string | null, startedAt: string & { readonly ' $dateTime': true } | null, finishedAt: string & { readonly ' $dateTime': true } | null }>, project: { id: string, slug: string }, workflow: { id: string, name: string }, retryOf: { id: string } | null } };

export type ClientSetRetentionPolicyMutationVariables = Exact<{
  input: RetentionPolicyInput;
}>;


export type ClientSetRetentionPolicyMutation = { setRetentionPolicy: { scope: RetentionScope, projectId: string | null, workflowId: string | null, hotDays: number, archiveDays: number | null, keepFailedForDays: number, keepLastRuns: number } };

export type ClientArchiveNowMutationVariables = Exact<{
  projectId?: string | number | null | undefined;
  dryRun?: boolean | null | undefined;
}>;


export type ClientArchiveNowMutation = { archiveNow: { dryRun: boolean, cutoff: string & { readonly ' $dateTime': true }, total: number, projects: Array<{ projectId: string, total: number }> } };

export type ClientRestoreArchiveMutationVariables = Exact<{
  id: string | number;
}>;


export type ClientRestoreArchiveMutation = { restoreArchive: { id: string, state: ArchiveState, periodStart: string & { readonly ' $dateTime': true }, periodEnd: string & { readonly ' $dateTime': true }, runs: number, events: number, bytes: number | null, createdAt: string & { readonly ' $dateTime': true }, updatedAt: string & { readonly ' $dateTime': true } } };

export type ClientSaveAlertRuleMutationVariables = Exact<{
  input: AlertRuleInput;
}>;


export type ClientSaveAlertRuleMutation = { saveAlertRule: { id: string, projectId: string, name: string, kind: AlertRuleKind, enabled: boolean, contactPointIds: Array<string>, createdAt: string & { readonly ' $dateTime': true }, updatedAt: string & { readonly ' $dateTime': true } } };

export type ClientDeleteAlertRuleMutationVariables = Exact<{
  id: string | number;
}>;


export type ClientDeleteAlertRuleMutation = { deleteAlertRule: boolean };

export type ClientAcknowledgeAlertMutationVariables = Exact<{
  id: string | number;
}>;


export type ClientAcknowledgeAlertMutation = { acknowledgeAlert: { id: string, projectId: string, ruleId: string, workflowId: string, state: AlertState, summary: string, firedAt: string & { readonly ' $dateTime': true } | null, acknowledgedAt: string & { readonly ' $dateTime': true } | null, acknowledgedBy: string | null, resolvedAt: string & { readonly ' $dateTime': true } | null, updatedAt: string & { readonly ' $dateTime': true } } };

export type ClientCreateSilenceMutationVariables = Exact<{
  input: SilenceInput;
}>;


export type ClientCreateSilenceMutation = { createSilence: { id: string, projectId: string, ruleIds: Array<string>, workflowIds: Array<string>, workflowNames: Array<string>, comment: string, createdBy: string, createdAt: string & { readonly ' $dateTime': true }, startsAt: string & { readonly ' $dateTime': true }, endsAt: string & { readonly ' $dateTime': true } } };

export type ClientExpireSilenceMutationVariables = Exact<{
  id: string | number;
}>;


export type ClientExpireSilenceMutation = { expireSilence: { id: string, projectId: string, ruleIds: Array<string>, workflowIds: Array<string>, workflowNames: Array<string>, comment: string, createdBy: string, createdAt: string & { readonly ' $dateTime': true }, startsAt: string & { readonly ' $dateTime': true }, endsAt: string & { readonly ' $dateTime': true } } };

export type ClientSilenceFragment = { id: string, projectId: string, ruleIds: Array<string>, workflowIds: Array<string>, workflowNames: Array<string>, comment: string, createdBy: string, createdAt: string & { readonly ' $dateTime': true }, startsAt: string & { readonly ' $dateTime': true }, endsAt: string & { readonly ' $dateTime': true } };

export type ClientSaveContactPointMutationVariables = Exact<{
  input: ContactPointInput;
}>;


export type ClientSaveContactPointMutation = { saveContactPoint: { id: string, projectId: string, name: string, kind: ContactPointKind, url: string | null, hasSecret: boolean, createdAt: string & { readonly ' $dateTime': true }, updatedAt: string & { readonly ' $dateTime': true } } };

export type ClientTestContactPointMutationVariables = Exact<{
  id: string | number;
}>;


export type ClientTestContactPointMutation = { testContactPoint: { ok: boolean, statusCode: number | null, error: string | null, durationMs: number, notificationId: string } };

export type ClientSaveReportDefinitionMutationVariables = Exact<{
  input: ReportDefinitionInput;
}>;


export type ClientSaveReportDefinitionMutation = { saveReportDefinition: { id: string, name: string, projectIds: Array<string>, periodKind: ReportPeriodKind, schedule: string, timeZone: string, formats: Array<ReportFormat>, sections: Array<ReportSection>, enabled: boolean, nextRunAt: string & { readonly ' $dateTime': true } | null, createdAt: string & { readonly ' $dateTime': true }, updatedAt: string & { readonly ' $dateTime': true } } };

export type ClientDeleteReportDefinitionMutationVariables = Exact<{
  id: string | number;
}>;


export type ClientDeleteReportDefinitionMutation = { deleteReportDefinition: string };

export type ClientRunReportNowMutationVariables = Exact<{
  definitionId: string | number;
  period?: string | null | undefined;
}>;


export type ClientRunReportNowMutation = { runReportNow: { id: string, definitionId: string, state: ReportState, origin: ReportOrigin, periodStart: string & { readonly ' $dateTime': true }, periodEnd: string & { readonly ' $dateTime': true }, snapshot: string, total: number, generatedAt: string & { readonly ' $dateTime': true }, deliveryState: ReportDeliveryState } };

export type ClientDismissAnomalyMutationVariables = Exact<{
  id: string | number;
  reason?: string | null | undefined;
}>;


export type ClientDismissAnomalyMutation = { dismissAnomaly: { id: string, projectId: string, workflowId: string, kind: AnomalyKind, expected: number, observed: number, score: number, raisedAt: string & { readonly ' $dateTime': true }, dismissedAt: string & { readonly ' $dateTime': true } | null, dismissedBy: string | null, dismissReason: string | null } };

export type ClientViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ClientViewerQuery = { viewer: { id: string, username: string, displayName: string, isAdmin: boolean } };

export type ClientProjectsQueryVariables = Exact<{ [key: string]: never; }>;


export type ClientProjectsQuery = { projects: Array<{ id: string, slug: string, name: string, createdAt: string & { readonly ' $dateTime': true } }> };

export type ClientHeadSnapshotQueryVariables = Exact<{ [key: string]: never; }>;


export type ClientHeadSnapshotQuery = { headSnapshot: string };

export type ClientRunsPageQueryVariables = Exact<{
  filter?: RunFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  snapshot?: string | null | undefined;
  withCounts: boolean;
}>;


export type ClientRunsPageQuery = { runs: { snapshot: string, totalCount?: number, statusCounts?: Array<{ status: RunStatus, count: number }>, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, status: RunStatus, trigger: RunTrigger, attempt: number, params: unknown, error: string | null, queuedReason: string | null, archived: boolean, createdAt: string & { readonly ' $dateTime': true }, startedAt: string & { readonly ' $dateTime': true } | null, finishedAt: string & { readonly ' $dateTime': true } | null, durationMs: number | null, project: { id: string, slug: string }, workflow: { id: string, name: string }, retryOf: { id: string } | null } }> } };

export type ClientRunQueryVariables = Exact<{
  id: string | number;
}>;


export type ClientRunQuery = { run: { id: string, status: RunStatus, trigger: RunTrigger, attempt: number, params: unknown, error: string | null, queuedReason: string | null, archived: boolean, createdAt: string & { readonly ' $dateTime': true }, startedAt: string & { readonly ' $dateTime': true } | null, finishedAt: string & { readonly ' $dateTime': true } | null, durationMs: number | null, steps: Array<{ id: string, name: string, status: StepStatus, attempt: number, exitCode: number | null, error: string | null, startedAt: string & { readonly ' $dateTime': true } | null, finishedAt: string & { readonly ' $dateTime': true } | null }>, project: { id: string, slug: string }, workflow: { id: string, name: string }, retryOf: { id: string } | null } | null };

export type ClientRunStatusCountsQueryVariables = Exact<{
  filter?: RunFilter | null | undefined;
  snapshot?: string | null | undefined;
}>;


export type ClientRunStatusCountsQuery = { runStatusCounts: { total: number, snapshot: string, byStatus: Array<{ status: RunStatus, count: number }> } };

export type ClientWorkflowsQueryVariables = Exact<{
  projectId?: string | number | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ClientWorkflowsQuery = { workflows: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, projectId: string, name: string, description: string | null, enabled: boolean, schedule: string | null, tags: Array<string>, source: string, loadError: string | null, nextFireAt: string & { readonly ' $dateTime': true } | null, lastFiredAt: string & { readonly ' $dateTime': true } | null, createdAt: string & { readonly ' $dateTime': true }, updatedAt: string & { readonly ' $dateTime': true } } }> } };

export type ClientRunEventsSubscriptionVariables = Exact<{
  filter?: RunFilter | null | undefined;
  afterSeq?: string | null | undefined;
}>;


export type ClientRunEventsSubscription = { runEvents: { seq: string, at: string & { readonly ' $dateTime': true }, kind: RunEventKind, from: string | null, to: string, message: string | null, actor: string | null, run: { id: string, status: RunStatus, project: { id: string }, workflow: { id: string, name: string } }, step: { id: string, name: string, status: StepStatus } | null } };

export type ClientStatusCountsFeedSubscriptionVariables = Exact<{
  filter?: RunFilter | null | undefined;
}>;


export type ClientStatusCountsFeedSubscription = { statusCounts: { total: number, snapshot: string, byStatus: Array<{ status: RunStatus, count: number }> } };

export type ClientAlertEventsSubscriptionVariables = Exact<{
  projectIds?: Array<string | number> | string | number | null | undefined;
  afterSeq?: string | null | undefined;
}>;


export type ClientAlertEventsSubscription = { alertEvents: { seq: string, at: string & { readonly ' $dateTime': true }, alertId: string, ruleId: string, projectId: string, from: AlertState | null, to: AlertState, message: string | null, actor: string | null } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const ClientRunSummaryFragmentDoc = new TypedDocumentString(`
    fragment ClientRunSummary on Run {
  id
  status
  trigger
  attempt
  params
  error
  queuedReason
  archived
  createdAt
  startedAt
  finishedAt
  durationMs
  project {
    id
    slug
  }
  workflow {
    id
    name
  }
  retryOf {
    id
  }
}
    `, {"fragmentName":"ClientRunSummary"}) as unknown as TypedDocumentString<ClientRunSummaryFragment, unknown>;
export const ClientRunFragmentDoc = new TypedDocumentString(`
    fragment ClientRun on Run {
  ...ClientRunSummary
  steps {
    id
    name
    status
    attempt
    exitCode
    error
    startedAt
    finishedAt
  }
}
    fragment ClientRunSummary on Run {
  id
  status
  trigger
  attempt
  params
  error
  queuedReason
  archived
  createdAt
  startedAt
  finishedAt
  durationMs
  project {
    id
    slug
  }
  workflow {
    id
    name
  }
  retryOf {
    id
  }
}`, {"fragmentName":"ClientRun"}) as unknown as TypedDocumentString<ClientRunFragment, unknown>;
export const ClientWorkflowFragmentDoc = new TypedDocumentString(`
    fragment ClientWorkflow on Workflow {
  id
  projectId
  name
  description
  enabled
  schedule
  tags
  source
  loadError
  nextFireAt
  lastFiredAt
  createdAt
  updatedAt
}
    `, {"fragmentName":"ClientWorkflow"}) as unknown as TypedDocumentString<ClientWorkflowFragment, unknown>;
export const ClientStatusCountsFragmentDoc = new TypedDocumentString(`
    fragment ClientStatusCounts on StatusCounts {
  total
  snapshot
  byStatus {
    status
    count
  }
}
    `, {"fragmentName":"ClientStatusCounts"}) as unknown as TypedDocumentString<ClientStatusCountsFragment, unknown>;
export const ClientSilenceFragmentDoc = new TypedDocumentString(`
    fragment ClientSilence on Silence {
  id
  projectId
  ruleIds
  workflowIds
  workflowNames
  comment
  createdBy
  createdAt
  startsAt
  endsAt
}
    `, {"fragmentName":"ClientSilence"}) as unknown as TypedDocumentString<ClientSilenceFragment, unknown>;
export const ClientSaveWorkflowDocument = new TypedDocumentString(`
    mutation ClientSaveWorkflow($projectId: ID!, $yaml: String!) {
  saveWorkflow(projectId: $projectId, yaml: $yaml) {
    ...ClientWorkflow
  }
}
    fragment ClientWorkflow on Workflow {
  id
  projectId
  name
  description
  enabled
  schedule
  tags
  source
  loadError
  nextFireAt
  lastFiredAt
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<ClientSaveWorkflowMutation, ClientSaveWorkflowMutationVariables>;
export const ClientDeleteWorkflowDocument = new TypedDocumentString(`
    mutation ClientDeleteWorkflow($id: ID!) {
  deleteWorkflow(id: $id)
}
    `) as unknown as TypedDocumentString<ClientDeleteWorkflowMutation, ClientDeleteWorkflowMutationVariables>;
export const ClientSetWorkflowEnabledDocument = new TypedDocumentString(`
    mutation ClientSetWorkflowEnabled($id: ID!, $enabled: Boolean!) {
  setWorkflowEnabled(id: $id, enabled: $enabled) {
    ...ClientWorkflow
  }
}
    fragment ClientWorkflow on Workflow {
  id
  projectId
  name
  description
  enabled
  schedule
  tags
  source
  loadError
  nextFireAt
  lastFiredAt
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<ClientSetWorkflowEnabledMutation, ClientSetWorkflowEnabledMutationVariables>;
export const ClientTriggerRunDocument = new TypedDocumentString(`
    mutation ClientTriggerRun($workflowId: ID!, $params: JSON) {
  triggerRun(workflowId: $workflowId, params: $params) {
    ...ClientRun
  }
}
    fragment ClientRunSummary on Run {
  id
  status
  trigger
  attempt
  params
  error
  queuedReason
  archived
  createdAt
  startedAt
  finishedAt
  durationMs
  project {
    id
    slug
  }
  workflow {
    id
    name
  }
  retryOf {
    id
  }
}
fragment ClientRun on Run {
  ...ClientRunSummary
  steps {
    id
    name
    status
    attempt
    exitCode
    error
    startedAt
    finishedAt
  }
}`) as unknown as TypedDocumentString<ClientTriggerRunMutation, ClientTriggerRunMutationVariables>;
export const ClientCancelRunDocument = new TypedDocumentString(`
    mutation ClientCancelRun($id: ID!) {
  cancelRun(id: $id) {
    ...ClientRun
  }
}
    fragment ClientRunSummary on Run {
  id
  status
  trigger
  attempt
  params
  error
  queuedReason
  archived
  createdAt
  startedAt
  finishedAt
  durationMs
  project {
    id
    slug
  }
  workflow {
    id
    name
  }
  retryOf {
    id
  }
}
fragment ClientRun on Run {
  ...ClientRunSummary
  steps {
    id
    name
    status
    attempt
    exitCode
    error
    startedAt
    finishedAt
  }
}`) as unknown as TypedDocumentString<ClientCancelRunMutation, ClientCancelRunMutationVariables>;
export const ClientRetryRunDocument = new TypedDocumentString(`
    mutation ClientRetryRun($id: ID!, $fromFailedStep: Boolean, $fromStep: String) {
  retryRun(id: $id, fromFailedStep: $fromFailedStep, fromStep: $fromStep) {
    ...ClientRun
  }
}
    fragment ClientRunSummary on Run {
  id
  status
  trigger
  attempt
  params
  error
  queuedReason
  archived
  createdAt
  startedAt
  finishedAt
  durationMs
  project {
    id
    slug
  }
  workflow {
    id
    name
  }
  retryOf {
    id
  }
}
fragment ClientRun on Run {
  ...ClientRunSummary
  steps {
    id
    name
    status
    attempt
    exitCode
    error
    startedAt
    finishedAt
  }
}`) as unknown as TypedDocumentString<ClientRetryRunMutation, ClientRetryRunMutationVariables>;
export const ClientApproveStepDocument = new TypedDocumentString(`
    mutation ClientApproveStep($runId: ID!, $step: String!) {
  approveStep(runId: $runId, step: $step) {
    ...ClientRun
  }
}
    fragment ClientRunSummary on Run {
  id
  status
  trigger
  attempt
  params
  error
  queuedReason
  archived
  createdAt
  startedAt
  finishedAt
  durationMs
  project {
    id
    slug
  }
  workflow {
    id
    name
  }
  retryOf {
    id
  }
}
fragment ClientRun on Run {
  ...ClientRunSummary
  steps {
    id
    name
    status
    attempt
    exitCode
    error
    startedAt
    finishedAt
  }
}`) as unknown as TypedDocumentString<ClientApproveStepMutation, ClientApproveStepMutationVariables>;
export const ClientRejectStepDocument = new TypedDocumentString(`
    mutation ClientRejectStep($runId: ID!, $step: String!, $reason: String) {
  rejectStep(runId: $runId, step: $step, reason: $reason) {
    ...ClientRun
  }
}
    fragment ClientRunSummary on Run {
  id
  status
  trigger
  attempt
  params
  error
  queuedReason
  archived
  createdAt
  startedAt
  finishedAt
  durationMs
  project {
    id
    slug
  }
  workflow {
    id
    name
  }
  retryOf {
    id
  }
}
fragment ClientRun on Run {
  ...ClientRunSummary
  steps {
    id
    name
    status
    attempt
    exitCode
    error
    startedAt
    finishedAt
  }
}`) as unknown as TypedDocumentString<ClientRejectStepMutation, ClientRejectStepMutationVariables>;
export const ClientSetRetentionPolicyDocument = new TypedDocumentString(`
    mutation ClientSetRetentionPolicy($input: RetentionPolicyInput!) {
  setRetentionPolicy(input: $input) {
    scope
    projectId
    workflowId
    hotDays
    archiveDays
    keepFailedForDays
    keepLastRuns
  }
}
    `) as unknown as TypedDocumentString<ClientSetRetentionPolicyMutation, ClientSetRetentionPolicyMutationVariables>;
export const ClientArchiveNowDocument = new TypedDocumentString(`
    mutation ClientArchiveNow($projectId: ID, $dryRun: Boolean) {
  archiveNow(projectId: $projectId, dryRun: $dryRun) {
    dryRun
    cutoff
    total
    projects {
      projectId
      total
    }
  }
}
    `) as unknown as TypedDocumentString<ClientArchiveNowMutation, ClientArchiveNowMutationVariables>;
export const ClientRestoreArchiveDocument = new TypedDocumentString(`
    mutation ClientRestoreArchive($id: ID!) {
  restoreArchive(id: $id) {
    id
    state
    periodStart
    periodEnd
    runs
    events
    bytes
    createdAt
    updatedAt
  }
}
    `) as unknown as TypedDocumentString<ClientRestoreArchiveMutation, ClientRestoreArchiveMutationVariables>;
export const ClientSaveAlertRuleDocument = new TypedDocumentString(`
    mutation ClientSaveAlertRule($input: AlertRuleInput!) {
  saveAlertRule(input: $input) {
    id
    projectId
    name
    kind
    enabled
    contactPointIds
    createdAt
    updatedAt
  }
}
    `) as unknown as TypedDocumentString<ClientSaveAlertRuleMutation, ClientSaveAlertRuleMutationVariables>;
export const ClientDeleteAlertRuleDocument = new TypedDocumentString(`
    mutation ClientDeleteAlertRule($id: ID!) {
  deleteAlertRule(id: $id)
}
    `) as unknown as TypedDocumentString<ClientDeleteAlertRuleMutation, ClientDeleteAlertRuleMutationVariables>;
export const ClientAcknowledgeAlertDocument = new TypedDocumentString(`
    mutation ClientAcknowledgeAlert($id: ID!) {
  acknowledgeAlert(id: $id) {
    id
    projectId
    ruleId
    workflowId
    state
    summary
    firedAt
    acknowledgedAt
    acknowledgedBy
    resolvedAt
    updatedAt
  }
}
    `) as unknown as TypedDocumentString<ClientAcknowledgeAlertMutation, ClientAcknowledgeAlertMutationVariables>;
export const ClientCreateSilenceDocument = new TypedDocumentString(`
    mutation ClientCreateSilence($input: SilenceInput!) {
  createSilence(input: $input) {
    ...ClientSilence
  }
}
    fragment ClientSilence on Silence {
  id
  projectId
  ruleIds
  workflowIds
  workflowNames
  comment
  createdBy
  createdAt
  startsAt
  endsAt
}`) as unknown as TypedDocumentString<ClientCreateSilenceMutation, ClientCreateSilenceMutationVariables>;
export const ClientExpireSilenceDocument = new TypedDocumentString(`
    mutation ClientExpireSilence($id: ID!) {
  expireSilence(id: $id) {
    ...ClientSilence
  }
}
    fragment ClientSilence on Silence {
  id
  projectId
  ruleIds
  workflowIds
  workflowNames
  comment
  createdBy
  createdAt
  startsAt
  endsAt
}`) as unknown as TypedDocumentString<ClientExpireSilenceMutation, ClientExpireSilenceMutationVariables>;
export const ClientSaveContactPointDocument = new TypedDocumentString(`
    mutation ClientSaveContactPoint($input: ContactPointInput!) {
  saveContactPoint(input: $input) {
    id
    projectId
    name
    kind
    url
    hasSecret
    createdAt
    updatedAt
  }
}
    `) as unknown as TypedDocumentString<ClientSaveContactPointMutation, ClientSaveContactPointMutationVariables>;
export const ClientTestContactPointDocument = new TypedDocumentString(`
    mutation ClientTestContactPoint($id: ID!) {
  testContactPoint(id: $id) {
    ok
    statusCode
    error
    durationMs
    notificationId
  }
}
    `) as unknown as TypedDocumentString<ClientTestContactPointMutation, ClientTestContactPointMutationVariables>;
export const ClientSaveReportDefinitionDocument = new TypedDocumentString(`
    mutation ClientSaveReportDefinition($input: ReportDefinitionInput!) {
  saveReportDefinition(input: $input) {
    id
    name
    projectIds
    periodKind
    schedule
    timeZone
    formats
    sections
    enabled
    nextRunAt
    createdAt
    updatedAt
  }
}
    `) as unknown as TypedDocumentString<ClientSaveReportDefinitionMutation, ClientSaveReportDefinitionMutationVariables>;
export const ClientDeleteReportDefinitionDocument = new TypedDocumentString(`
    mutation ClientDeleteReportDefinition($id: ID!) {
  deleteReportDefinition(id: $id)
}
    `) as unknown as TypedDocumentString<ClientDeleteReportDefinitionMutation, ClientDeleteReportDefinitionMutationVariables>;
export const ClientRunReportNowDocument = new TypedDocumentString(`
    mutation ClientRunReportNow($definitionId: ID!, $period: String) {
  runReportNow(definitionId: $definitionId, period: $period) {
    id
    definitionId
    state
    origin
    periodStart
    periodEnd
    snapshot
    total
    generatedAt
    deliveryState
  }
}
    `) as unknown as TypedDocumentString<ClientRunReportNowMutation, ClientRunReportNowMutationVariables>;
export const ClientDismissAnomalyDocument = new TypedDocumentString(`
    mutation ClientDismissAnomaly($id: ID!, $reason: String) {
  dismissAnomaly(id: $id, reason: $reason) {
    id
    projectId
    workflowId
    kind
    expected
    observed
    score
    raisedAt
    dismissedAt
    dismissedBy
    dismissReason
  }
}
    `) as unknown as TypedDocumentString<ClientDismissAnomalyMutation, ClientDismissAnomalyMutationVariables>;
export const ClientViewerDocument = new TypedDocumentString(`
    query ClientViewer {
  viewer {
    id
    username
    displayName
    isAdmin
  }
}
    `) as unknown as TypedDocumentString<ClientViewerQuery, ClientViewerQueryVariables>;
export const ClientProjectsDocument = new TypedDocumentString(`
    query ClientProjects {
  projects {
    id
    slug
    name
    createdAt
  }
}
    `) as unknown as TypedDocumentString<ClientProjectsQuery, ClientProjectsQueryVariables>;
export const ClientHeadSnapshotDocument = new TypedDocumentString(`
    query ClientHeadSnapshot {
  headSnapshot
}
    `) as unknown as TypedDocumentString<ClientHeadSnapshotQuery, ClientHeadSnapshotQueryVariables>;
export const ClientRunsPageDocument = new TypedDocumentString(`
    query ClientRunsPage($filter: RunFilter, $first: Int, $after: String, $snapshot: String, $withCounts: Boolean!) {
  runs(filter: $filter, first: $first, after: $after, snapshot: $snapshot) {
    snapshot
    totalCount @include(if: $withCounts)
    statusCounts @include(if: $withCounts) {
      status
      count
    }
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      cursor
      node {
        ...ClientRunSummary
      }
    }
  }
}
    fragment ClientRunSummary on Run {
  id
  status
  trigger
  attempt
  params
  error
  queuedReason
  archived
  createdAt
  startedAt
  finishedAt
  durationMs
  project {
    id
    slug
  }
  workflow {
    id
    name
  }
  retryOf {
    id
  }
}`) as unknown as TypedDocumentString<ClientRunsPageQuery, ClientRunsPageQueryVariables>;
export const ClientRunDocument = new TypedDocumentString(`
    query ClientRun($id: ID!) {
  run(id: $id) {
    ...ClientRun
  }
}
    fragment ClientRunSummary on Run {
  id
  status
  trigger
  attempt
  params
  error
  queuedReason
  archived
  createdAt
  startedAt
  finishedAt
  durationMs
  project {
    id
    slug
  }
  workflow {
    id
    name
  }
  retryOf {
    id
  }
}
fragment ClientRun on Run {
  ...ClientRunSummary
  steps {
    id
    name
    status
    attempt
    exitCode
    error
    startedAt
    finishedAt
  }
}`) as unknown as TypedDocumentString<ClientRunQuery, ClientRunQueryVariables>;
export const ClientRunStatusCountsDocument = new TypedDocumentString(`
    query ClientRunStatusCounts($filter: RunFilter, $snapshot: String) {
  runStatusCounts(filter: $filter, snapshot: $snapshot) {
    ...ClientStatusCounts
  }
}
    fragment ClientStatusCounts on StatusCounts {
  total
  snapshot
  byStatus {
    status
    count
  }
}`) as unknown as TypedDocumentString<ClientRunStatusCountsQuery, ClientRunStatusCountsQueryVariables>;
export const ClientWorkflowsDocument = new TypedDocumentString(`
    query ClientWorkflows($projectId: ID, $first: Int, $after: String) {
  workflows(projectId: $projectId, first: $first, after: $after) {
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        ...ClientWorkflow
      }
    }
  }
}
    fragment ClientWorkflow on Workflow {
  id
  projectId
  name
  description
  enabled
  schedule
  tags
  source
  loadError
  nextFireAt
  lastFiredAt
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<ClientWorkflowsQuery, ClientWorkflowsQueryVariables>;
export const ClientRunEventsDocument = new TypedDocumentString(`
    subscription ClientRunEvents($filter: RunFilter, $afterSeq: String) {
  runEvents(filter: $filter, afterSeq: $afterSeq) {
    seq
    at
    kind
    from
    to
    message
    actor
    run {
      id
      status
      project {
        id
      }
      workflow {
        id
        name
      }
    }
    step {
      id
      name
      status
    }
  }
}
    `) as unknown as TypedDocumentString<ClientRunEventsSubscription, ClientRunEventsSubscriptionVariables>;
export const ClientStatusCountsFeedDocument = new TypedDocumentString(`
    subscription ClientStatusCountsFeed($filter: RunFilter) {
  statusCounts(filter: $filter) {
    ...ClientStatusCounts
  }
}
    fragment ClientStatusCounts on StatusCounts {
  total
  snapshot
  byStatus {
    status
    count
  }
}`) as unknown as TypedDocumentString<ClientStatusCountsFeedSubscription, ClientStatusCountsFeedSubscriptionVariables>;
export const ClientAlertEventsDocument = new TypedDocumentString(`
    subscription ClientAlertEvents($projectIds: [ID!], $afterSeq: String) {
  alertEvents(projectIds: $projectIds, afterSeq: $afterSeq) {
    seq
    at
    alertId
    ruleId
    projectId
    from
    to
    message
    actor
  }
}
    `) as unknown as TypedDocumentString<ClientAlertEventsSubscription, ClientAlertEventsSubscriptionVariables>;