import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { RunStatus } from '../../domain/status.ts';
import type { RunTrigger } from '../../domain/vocabulary.ts';
import { RunStatusEnum, RunTriggerEnum } from '../enums.ts';

@InputType({ description: 'Which runs runsAggregate counts: of the projects you may read (or of these, each of which you must be able to read)' })
export class AggregateFilter {
  @Field(() => [ID], { nullable: true })
  projectIds?: string[] | null;

  @Field(() => [ID], { nullable: true })
  workflowIds?: string[] | null;

  @Field(() => [RunStatusEnum], { nullable: true })
  statuses?: RunStatus[] | null;

  @Field(() => [RunTriggerEnum], { nullable: true })
  triggers?: RunTrigger[] | null;
}

@ObjectType({ description: 'The runs of one group: the dimensions not grouped by are null' })
export class AggregateGroup {
  @Field(() => ID, { nullable: true })
  projectId!: string | null;

  @Field(() => ID, { nullable: true })
  workflowId!: string | null;

  @Field(() => RunStatusEnum, { nullable: true })
  status!: RunStatus | null;

  @Field(() => RunTriggerEnum, { nullable: true })
  trigger!: RunTrigger | null;

  @Field(() => String, { nullable: true, description: 'With ERROR: the fingerprint of the runs’ error (null for runs without one)' })
  error!: string | null;

  @Field(() => Date, { nullable: true, description: 'With a bucket: the start of the bucket of creation time (UTC)' })
  bucketStart!: Date | null;

  @Field(() => Int)
  count!: number;
}
