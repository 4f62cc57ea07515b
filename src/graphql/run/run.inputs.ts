import { Field, ID, InputType } from 'type-graphql';
import type { RunFilterSpec } from '../../domain/run-filter.ts';
import type { RunStatus } from '../../domain/status.ts';
import type { RunTrigger } from '../../domain/vocabulary.ts';
import { RunStatusEnum, RunTriggerEnum } from '../enums.ts';

@InputType({ description: 'Which runs to include; every field narrows, lists mean "any of"' })
export class RunFilter implements RunFilterSpec {
  @Field(() => [ID], { nullable: true, description: 'Default: every project the caller may read' })
  projectIds?: string[] | null;

  @Field(() => [ID], { nullable: true })
  workflowIds?: string[] | null;

  @Field(() => [String], { nullable: true })
  workflowNames?: string[] | null;

  @Field(() => [RunStatusEnum], { nullable: true, description: 'Any of these statuses' })
  statuses?: RunStatus[] | null;

  @Field(() => [RunTriggerEnum], { nullable: true })
  triggers?: RunTrigger[] | null;

  @Field(() => Date, { nullable: true, description: 'Inclusive' })
  createdAfter?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Exclusive' })
  createdBefore?: Date | null;

  @Field(() => String, { nullable: true, description: 'Part of a workflow name or run id' })
  search?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Include runs moved to the archive (default false)' })
  includeArchived?: boolean | null;
}
