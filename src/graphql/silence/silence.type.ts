import { Field, ID, InputType, ObjectType } from 'type-graphql';
import type { SilenceDraft } from '../../domain/alerts/silence.ts';

@ObjectType({ description: 'Holds back the notifications of the alerts it matches for a while; their transitions are still recorded' })
export class Silence {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  projectId!: string;

  @Field(() => [ID], { description: 'Alerts of these rules (any rule when empty)' })
  ruleIds!: string[];

  @Field(() => [ID], { description: 'Alerts about these workflows (with workflowNames; any workflow when both are empty)' })
  workflowIds!: string[];

  @Field(() => [String])
  workflowNames!: string[];

  @Field()
  startsAt!: Date;

  @Field()
  endsAt!: Date;

  @Field({ description: 'Why, in the author’s words' })
  comment!: string;

  @Field()
  createdBy!: string;

  @Field()
  createdAt!: Date;
}

@InputType({ description: 'A silence to create: every wrong field is named in one error' })
export class SilenceInput implements SilenceDraft {
  @Field(() => ID)
  projectId!: string;

  @Field(() => [ID], { nullable: true })
  ruleIds?: string[] | null;

  @Field(() => [ID], { nullable: true })
  workflowIds?: string[] | null;

  @Field(() => [String], { nullable: true })
  workflowNames?: string[] | null;

  @Field(() => Date, { nullable: true, description: 'Default: now' })
  startsAt?: Date | null;

  @Field({ description: 'After startsAt and now, at most 90 days after startsAt' })
  endsAt!: Date;

  @Field({ description: '1 to 1000 characters saying why' })
  comment!: string;
}
