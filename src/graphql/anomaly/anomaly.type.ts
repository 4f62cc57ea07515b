import { Field, Float, ID, InputType, ObjectType } from 'type-graphql';
import type { AnomalyKind } from '../../domain/insight/anomaly.ts';
import { AnomalyKindEnum } from '../enums.ts';

@ObjectType({ description: 'An episode a detector found in a workflow’s runs: raised when its series turned abnormal, ended when it was normal again' })
export class Anomaly {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'Its latest change in the anomalyEvents feed (a decimal string): resume after it with afterSeq' })
  seq!: string;

  @Field(() => ID)
  projectId!: string;

  @Field(() => ID)
  workflowId!: string;

  @Field(() => String, { nullable: true, description: 'The step whose durations it is about; null when it is about the workflow’s runs' })
  step!: string | null;

  @Field(() => AnomalyKindEnum)
  kind!: AnomalyKind;

  @Field({ description: 'When the evidence began (the first abnormal observation)' })
  start!: Date;

  @Field({ description: 'When the detector raised it' })
  raisedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the series was normal again; null while it lasts' })
  end!: Date | null;

  @Field(() => Float, { description: 'How unusual, in the detector’s unit: a robust z-score for durations, -log10 of the tail probability for bursts, the CUSUM level for level shifts, standard deviations for volume, misses for schedules, times the threshold for flakiness' })
  score!: number;

  @Field(() => Float, { description: 'What the baseline expected (ms, failures, runs, success rate or share of retried runs)' })
  expected!: number;

  @Field(() => Float, { description: 'What was observed, in the same unit' })
  observed!: number;

  @Field(() => Float, { description: 'The band of normal values, in the same unit' })
  lower!: number;

  @Field(() => Float)
  upper!: number;

  @Field(() => Date, { nullable: true, description: 'When a person dismissed it as expected' })
  dismissedAt!: Date | null;

  @Field(() => String, { nullable: true })
  dismissedBy!: string | null;

  @Field(() => String, { nullable: true })
  dismissReason!: string | null;
}

@InputType({ description: 'Which anomalies: of the projects you may read (or of these), newest raised first' })
export class AnomalyFilter {
  @Field(() => [ID], { nullable: true })
  projectIds?: string[] | null;

  @Field(() => [ID], { nullable: true })
  workflowIds?: string[] | null;

  @Field(() => [AnomalyKindEnum], { nullable: true })
  kinds?: AnomalyKind[] | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only those still open; false: only ended ones; absent: both' })
  open?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Include the ones a person dismissed (default false)' })
  includeDismissed?: boolean | null;

  @Field(() => Date, { nullable: true, description: 'Raised at or after' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Raised before' })
  to?: Date | null;
}
