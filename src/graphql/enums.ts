import { registerEnumType } from 'type-graphql';
import { ALERT_STATES, type AlertState } from '../domain/alerts/alert-notice.ts';
import { ALERT_RULE_KINDS, type AlertRuleKind } from '../domain/alerts/alert-rule.ts';
import { ARCHIVE_STATES, type ArchiveState } from '../domain/archive/archive-period.ts';
import { ANOMALY_KINDS, type AnomalyKind } from '../domain/insight/anomaly.ts';
import { INCIDENT_ATTRIBUTE_KINDS, type IncidentAttributeKind } from '../domain/insight/incidents.ts';
import { AGGREGATE_DIMENSIONS, type AggregateDimension } from '../domain/insight/runs-aggregate.ts';
import { RETENTION_SCOPES, RETENTION_SOURCES, type RetentionScope, type RetentionSource } from '../domain/retention/retention-policy.ts';
import { RUN_STATUSES, STEP_STATUSES, type RunStatus, type StepStatus } from '../domain/status.ts';
import { TIME_BUCKETS, type TimeBucket } from '../domain/time-buckets.ts';
import { ROLES, RUN_EVENT_KINDS, RUN_TRIGGERS, type Role, type RunEventKind, type RunTrigger } from '../domain/vocabulary.ts';

export function enumObject<T extends string>(values: readonly T[]): { [K in T]: K } {
  return Object.fromEntries(values.map((value) => [value, value])) as { [K in T]: K };
}

export const RunStatusEnum: { [K in RunStatus]: K } = enumObject(RUN_STATUSES);
export const StepStatusEnum: { [K in StepStatus]: K } = enumObject(STEP_STATUSES);
export const RunTriggerEnum: { [K in RunTrigger]: K } = enumObject(RUN_TRIGGERS);
export const TimeBucketEnum: { [K in TimeBucket]: K } = enumObject(TIME_BUCKETS);
export const RoleEnum: { [K in Role]: K } = enumObject(ROLES);
export const RunEventKindEnum: { [K in RunEventKind]: K } = enumObject(RUN_EVENT_KINDS);
export const RetentionScopeEnum: { [K in RetentionScope]: K } = enumObject(RETENTION_SCOPES);
export const RetentionSourceEnum: { [K in RetentionSource]: K } = enumObject(RETENTION_SOURCES);
export const ArchiveStateEnum: { [K in ArchiveState]: K } = enumObject(ARCHIVE_STATES);
export const AlertStateEnum: { [K in AlertState]: K } = enumObject(ALERT_STATES);
export const AlertRuleKindEnum: { [K in AlertRuleKind]: K } = enumObject(ALERT_RULE_KINDS);
export const AnomalyKindEnum: { [K in AnomalyKind]: K } = enumObject(ANOMALY_KINDS);
export const IncidentAttributeKindEnum: { [K in IncidentAttributeKind]: K } = enumObject(INCIDENT_ATTRIBUTE_KINDS);
export const AggregateDimensionEnum: { [K in AggregateDimension]: K } = enumObject(AGGREGATE_DIMENSIONS);

registerEnumType(RunStatusEnum, { name: 'RunStatus', description: 'Status of a run, in Dagu vocabulary' });
registerEnumType(StepStatusEnum, { name: 'StepStatus', description: 'Status of one step of a run' });
registerEnumType(RunTriggerEnum, { name: 'RunTrigger', description: 'What started a run' });
registerEnumType(TimeBucketEnum, { name: 'TimeBucket', description: 'Width of one point of a trend' });
registerEnumType(RoleEnum, { name: 'Role', description: 'A member’s role in a project' });
registerEnumType(RunEventKindEnum, { name: 'RunEventKind', description: 'Whether an event changed a run or one of its steps' });
registerEnumType(RetentionScopeEnum, { name: 'RetentionScope', description: 'Where a retention policy is set: the instance’s defaults, a project, or one workflow' });
registerEnumType(AlertStateEnum, {
  name: 'AlertState',
  description: 'Where an alert stands in its lifecycle',
  valuesConfig: {
    INACTIVE: { description: 'Its condition has not held' },
    PENDING: { description: 'Its condition holds, not yet for the rule’s `for`' },
    FIRING: { description: 'Its condition held long enough: notified' },
    RESOLVED: { description: 'It fired, and its condition stopped holding' },
  },
});
registerEnumType(AlertRuleKindEnum, {
  name: 'AlertRuleKind',
  description: 'What an alert rule watches',
  valuesConfig: {
    RUN_FAILED: { description: 'The latest finished run of a workflow failed (statuses: FAILED by default)' },
    RUN_SUCCEEDED: { description: 'The latest finished run of a workflow succeeded after one that did not (Dagu’s mailOn.success)' },
    CONSECUTIVE_FAILURES: { description: 'The last `count` finished runs of a workflow all failed' },
    FAILURE_RATE: { description: 'The lower bound of the 95% Wilson interval of the failure rate over the window exceeds `threshold` (with at least `minRuns` runs)' },
    STATUS_SWING: { description: 'The share of `statuses` over the window departs by `minDelta` from the same hours of the same weekdays over the last 4 weeks, and the departure is unlikely under that baseline (binomial tail, p < 0.001)' },
    MISSING_SUCCESS: { description: 'Schedule-aware: no success since the last expected cron fire, once its usual duration and `graceMinutes` have passed' },
    DURATION_OVER: { description: 'The latest finished run, or a run still running, took longer than `limitSeconds` or `factor` × the p95 of the last `baselineRuns` successful runs' },
  },
});
registerEnumType(ArchiveStateEnum, {
  name: 'ArchiveState',
  description: 'Where an archived period stands',
  valuesConfig: {
    MOVING: { description: 'Runs are moving into it; those of its committed batches are archived' },
    ARCHIVED: { description: 'Its runs are archived; nothing moves' },
    RESTORING: { description: 'Its runs are moving back to the live store' },
    RESTORED: { description: 'Its runs are back in the live store, where the scheduled archival leaves them (archiveNow moves them again)' },
  },
});
registerEnumType(RetentionSourceEnum, {
  name: 'RetentionSource',
  description: 'Where a retention value in force comes from',
  valuesConfig: {
    SETTING: { description: 'The RETENTION_* settings of the server (or their defaults)' },
    INSTANCE: { description: 'The instance’s defaults, set by an instance admin' },
    PROJECT: { description: 'The project’s policy, set by its ADMIN' },
    WORKFLOW: { description: 'The workflow’s own policy, set by an ADMIN of its project' },
    WORKFLOW_DEFINITION: { description: 'The workflow’s definition: Dagu’s histRetentionDays or histRetentionRuns' },
  },
});
registerEnumType(AnomalyKindEnum, { name: 'AnomalyKind', description: 'What a detector found: a duration spike, a burst of failures, a drop of volume, a missed cron fire, a lasting fall of the success rate, or flakiness' });
registerEnumType(AggregateDimensionEnum, { name: 'AggregateDimension', description: 'What runsAggregate groups runs by: their project, workflow, status, trigger, or the fingerprint of their error (numbers, ids, paths and hex taken out)' });
registerEnumType(IncidentAttributeKindEnum, { name: 'IncidentAttributeKind', description: 'What incident members may share: an error fingerprint, the failed step, the worker, the trigger or a workflow tag' });
