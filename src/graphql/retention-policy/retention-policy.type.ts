import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { RetentionScope, RetentionSource } from '../../domain/retention/retention-policy.ts';
import { RetentionScopeEnum, RetentionSourceEnum } from '../enums.ts';

@ObjectType({ description: 'Which level each value of a retention policy comes from' })
export class RetentionSources {
  @Field(() => RetentionSourceEnum)
  hotDays!: RetentionSource;

  @Field(() => RetentionSourceEnum)
  archiveDays!: RetentionSource;

  @Field(() => RetentionSourceEnum)
  keepLastRuns!: RetentionSource;

  @Field(() => RetentionSourceEnum)
  keepFailedForDays!: RetentionSource;
}

@ObjectType({
  description:
    'How long runs stay in the live store and how long archived ones are kept, in force at one level: each value comes from the ' +
    'highest level that sets it (a workflow’s definition, the workflow, its project, the instance, the server’s settings). Days are 24 hours, counted back from the cut-off of an archival',
})
export class RetentionPolicy {
  @Field(() => RetentionScopeEnum)
  scope!: RetentionScope;

  @Field(() => ID, { nullable: true, description: 'Null for the instance’s defaults' })
  projectId!: string | null;

  @Field(() => ID, { nullable: true, description: 'Set for a workflow’s policy' })
  workflowId!: string | null;

  @Field(() => Int, { description: 'Days a run stays in the live store after its creation; 0: it may leave as soon as it ends' })
  hotDays!: number;

  @Field(() => Int, { nullable: true, description: 'Days an archived period is kept after it left the live store; null: forever' })
  archiveDays!: number | null;

  @Field(() => Int, { description: 'A workflow’s latest runs that never leave the live store, whatever their age or status' })
  keepLastRuns!: number;

  @Field(() => Int, { description: 'FAILED runs stay in the live store at least this many days (ABORTED, REJECTED and PARTIALLY_SUCCEEDED ones do not)' })
  keepFailedForDays!: number;

  @Field(() => RetentionSources)
  sources!: RetentionSources;

  @Field(() => [RetentionPolicy], { description: 'For a project: its workflows that set a policy of their own, through the API or their definition; empty otherwise' })
  workflowOverrides!: RetentionPolicy[];
}
