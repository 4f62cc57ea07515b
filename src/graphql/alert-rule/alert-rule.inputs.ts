import { Field, Float, ID, InputType, Int } from 'type-graphql';
import type { RunStatus } from '../../domain/status.ts';
import type { RunTrigger } from '../../domain/vocabulary.ts';
import { AlertRuleKindEnum, AnomalyKindEnum, RunStatusEnum, RunTriggerEnum } from '../enums.ts';
import type { AlertRuleChange, AlertRuleKind } from '../../domain/alerts/alert-rule.ts';
import type { AnomalyKind } from '../../domain/insight/anomaly.ts';

@InputType({ description: 'An alert rule to create (no id) or replace (its id); every field is checked and every wrong one named in one error' })
export class AlertRuleInput implements AlertRuleChange {
  @Field(() => ID, { nullable: true })
  id?: string | null;

  @Field(() => ID)
  projectId!: string;

  @Field({ description: '1 to 120 characters, unique in the project' })
  name!: string;

  @Field(() => AlertRuleKindEnum)
  kind!: AlertRuleKind;

  @Field(() => [ID], { nullable: true })
  workflowIds?: string[] | null;

  @Field(() => [String], { nullable: true })
  workflowNames?: string[] | null;

  @Field(() => [RunTriggerEnum], { nullable: true })
  triggers?: RunTrigger[] | null;

  @Field(() => [RunStatusEnum], { nullable: true, description: 'Any of FAILED, ABORTED, REJECTED, PARTIALLY_SUCCEEDED (STATUS_SWING: any status); default FAILED' })
  statuses?: RunStatus[] | null;

  @Field(() => Int, { nullable: true, description: 'CONSECUTIVE_FAILURES: 2 to 1000' })
  count?: number | null;

  @Field(() => Int, { nullable: true, description: 'FAILURE_RATE: 1 to 10080 minutes; STATUS_SWING: 5 to 1440' })
  windowMinutes?: number | null;

  @Field(() => Float, { nullable: true, description: 'FAILURE_RATE: 0 to 0.99' })
  threshold?: number | null;

  @Field(() => Float, { nullable: true, description: 'FAILURE_RATE: 0 to threshold; default 0.8 × threshold' })
  resolveThreshold?: number | null;

  @Field(() => Int, { nullable: true, description: 'FAILURE_RATE: default 5' })
  minRuns?: number | null;

  @Field(() => Float, { nullable: true, description: 'DURATION_OVER: 1 to 100 (× the p95 of recent successful runs)' })
  factor?: number | null;

  @Field(() => Int, { nullable: true, description: 'DURATION_OVER: 1 to 604800 seconds; with or instead of factor (it wins)' })
  limitSeconds?: number | null;

  @Field(() => Int, { nullable: true, description: 'DURATION_OVER: 5 to 1000 successful runs; default 20' })
  baselineRuns?: number | null;

  @Field(() => Float, { nullable: true, description: 'STATUS_SWING: 0.01 to 1; default 0.2' })
  minDelta?: number | null;

  @Field(() => Int, { nullable: true, description: 'MISSING_SUCCESS: 0 to 10080 minutes; default 10' })
  graceMinutes?: number | null;

  @Field(() => [AnomalyKindEnum], { nullable: true, description: 'ANOMALY: the kinds of anomaly that fire it; every kind when absent or empty' })
  anomalyKinds?: AnomalyKind[] | null;

  @Field(() => Int, { nullable: true, description: 'Default 0' })
  forSeconds?: number | null;

  @Field(() => Int, { nullable: true, description: 'Default 0' })
  keepFiringForSeconds?: number | null;

  @Field(() => Int, { nullable: true, description: 'Default 14400 (4 hours); 0: no reminders' })
  repeatIntervalSeconds?: number | null;

  @Field(() => Int, { nullable: true, description: 'Default 30; up to 3600' })
  groupWaitSeconds?: number | null;

  @Field(() => [ID], { nullable: true, description: 'Contact points of the project, at most 20' })
  contactPointIds?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Default true' })
  enabled?: boolean | null;
}
