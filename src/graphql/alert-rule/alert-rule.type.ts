import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import type { AlertRuleKind } from '../../domain/alerts/alert-rule.ts';
import type { RunStatus } from '../../domain/status.ts';
import type { RunTrigger } from '../../domain/vocabulary.ts';
import { AlertRuleKindEnum, AnomalyKindEnum, RunStatusEnum, RunTriggerEnum } from '../enums.ts';
import type { AnomalyKind } from '../../domain/insight/anomaly.ts';

@ObjectType({ description: 'A rule that watches the runs of a project’s workflows and raises an alert per workflow when its condition holds' })
export class AlertRule {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  projectId!: string;

  @Field()
  name!: string;

  @Field(() => AlertRuleKindEnum)
  kind!: AlertRuleKind;

  @Field(() => [ID], { description: 'Workflows watched by id (with workflowNames; every workflow of the project when both are empty)' })
  workflowIds!: string[];

  @Field(() => [String])
  workflowNames!: string[];

  @Field(() => [RunTriggerEnum], { description: 'Runs of these triggers only; every trigger when empty' })
  triggers!: RunTrigger[];

  @Field(() => [RunStatusEnum], { description: 'The ends counted as failures' })
  statuses!: RunStatus[];

  @Field(() => Int, { nullable: true, description: 'CONSECUTIVE_FAILURES: the length of the streak' })
  count!: number | null;

  @Field(() => Int, { nullable: true, description: 'FAILURE_RATE: the window, in minutes' })
  windowMinutes!: number | null;

  @Field(() => Float, { nullable: true, description: 'FAILURE_RATE: fires when the rate’s lower 95% bound exceeds it' })
  threshold!: number | null;

  @Field(() => Float, { nullable: true, description: 'FAILURE_RATE: a firing alert resolves once the bound is at or below it' })
  resolveThreshold!: number | null;

  @Field(() => Int, { nullable: true, description: 'FAILURE_RATE: runs the window needs before the rule judges; STATUS_SWING: runs its baseline needs' })
  minRuns!: number | null;

  @Field(() => Float, { nullable: true, description: 'DURATION_OVER: fires over this × the p95 of recent successful runs' })
  factor!: number | null;

  @Field(() => Int, { nullable: true, description: 'DURATION_OVER: fires over this many seconds (instead of the factor)' })
  limitSeconds!: number | null;

  @Field(() => Int, { nullable: true, description: 'DURATION_OVER: the successful runs the p95 is taken over' })
  baselineRuns!: number | null;

  @Field(() => Int, { nullable: true, description: 'MISSING_SUCCESS: minutes allowed after the expected run’s usual end' })
  graceMinutes!: number | null;

  @Field(() => Float, { nullable: true, description: 'STATUS_SWING: the departure of the share from its baseline that fires' })
  minDelta!: number | null;

  @Field(() => [AnomalyKindEnum], { nullable: true, description: 'ANOMALY: the kinds of anomaly that fire it (every kind when empty)' })
  anomalyKinds!: AnomalyKind[] | null;

  @Field(() => Int, { description: 'Seconds the condition must hold before the alert fires (PENDING meanwhile)' })
  forSeconds!: number;

  @Field(() => Int, { description: 'Seconds a firing alert keeps firing after its condition stopped' })
  keepFiringForSeconds!: number;

  @Field(() => Int, { description: 'Seconds between reminders while an alert fires unacknowledged; 0: none' })
  repeatIntervalSeconds!: number;

  @Field(() => Int, { description: 'Seconds alerts of the rule are gathered into one notification' })
  groupWaitSeconds!: number;

  @Field(() => [ID], { description: 'The contact points its notifications go to' })
  contactPointIds!: string[];

  @Field()
  enabled!: boolean;

  @Field(() => ID, { nullable: true, description: 'The workflow whose file made the rule (its mailOn): change it in that file; null: made through the API' })
  ownerWorkflowId!: string | null;

  @Field(() => String, { nullable: true })
  createdBy!: string | null;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;
}

@ObjectType({ description: 'A time a rule’s alert about a workflow would have fired' })
export class AlertEpisode {
  @Field(() => ID)
  workflowId!: string;

  @Field()
  workflowName!: string;

  @Field()
  firedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'Null: still firing at the end of the range' })
  resolvedAt!: Date | null;

  @Field({ description: 'What the rule found when it fired' })
  summary!: string;
}

@ObjectType({ description: 'What a rule would have done over a past range, replayed from the runs as the evaluator judges them' })
export class AlertPreview {
  @Field(() => [AlertEpisode], { description: 'Oldest first' })
  episodes!: AlertEpisode[];

  @Field(() => Int, { description: 'Finished runs replayed, with the day before the range the conditions read' })
  runsRead!: number;
}
