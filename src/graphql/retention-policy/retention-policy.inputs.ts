import { Field, ID, InputType, Int } from 'type-graphql';
import type { RetentionPolicyChange } from '../../domain/retention/retention-change.ts';

@InputType({
  description:
    'The policy of one level, replacing what it set before: a workflow (workflowId), a project (projectId) or the instance’s defaults (neither). ' +
    'A field left out or null inherits from the level below',
})
export class RetentionPolicyInput implements RetentionPolicyChange {
  @Field(() => ID, { nullable: true, description: 'Set the policy of this project (needs ADMIN in it)' })
  projectId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Set the policy of this workflow (needs ADMIN in its project); fields its definition sets are refused' })
  workflowId?: string | null;

  @Field(() => Int, { nullable: true, description: '0 to 36500 days' })
  hotDays?: number | null;

  @Field(() => Int, { nullable: true, description: '1 to 36500 days; or archiveForever' })
  archiveDays?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Keep archived periods forever (instead of archiveDays)' })
  archiveForever?: boolean | null;

  @Field(() => Int, { nullable: true, description: '0 to 100000 runs' })
  keepLastRuns?: number | null;

  @Field(() => Int, { nullable: true, description: '0 to 36500 days' })
  keepFailedForDays?: number | null;
}
