import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { IncidentAttributeKind } from '../../domain/insight/incidents.ts';
import { IncidentAttributeKindEnum } from '../enums.ts';

@ObjectType({ description: 'A failed run that belongs to an incident' })
export class IncidentMember {
  @Field(() => ID)
  runId!: string;

  @Field(() => ID)
  projectId!: string;

  @Field(() => ID)
  workflowId!: string;

  @Field({ description: 'When it failed' })
  at!: Date;

  @Field(() => String, { nullable: true, description: 'The fingerprint of its error: the message with numbers, ids, paths and hex normalised away' })
  error!: string | null;

  @Field(() => String, { nullable: true, description: 'The step whose failure failed the run' })
  failedStep!: string | null;

  @Field()
  trigger!: string;

  @Field(() => String, { nullable: true, description: 'The executor that ran it' })
  worker!: string | null;

  @Field(() => [String], { description: 'Its workflow’s tags' })
  tags!: string[];
}

@ObjectType({ description: 'An attribute the members share, ranked by lift: how many times more often the members carry it than the other runs that finished in the same window' })
export class IncidentAttribute {
  @Field(() => IncidentAttributeKindEnum)
  kind!: IncidentAttributeKind;

  @Field()
  value!: string;

  @Field(() => Int, { description: 'Members that carry it' })
  members!: number;

  @Field(() => Float, { description: 'The share of the members that carry it' })
  memberShare!: number;

  @Field(() => Float, { description: 'The share of the window’s other runs that carry it (Laplace-smoothed)' })
  otherShare!: number;

  @Field(() => Float, { description: 'memberShare / otherShare: above 1, the members carry it more than usual' })
  lift!: number;
}

@ObjectType({
  description:
    'Failures of several workflows in at least two projects that clustered in a short window. You see it only through its members in projects you may read: members, counts and lifts are computed from those projects alone',
})
export class Incident {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'Its latest change in the incidentEvents feed (a decimal string): resume after it with afterSeq' })
  seq!: string;

  @Field({ description: 'When the cluster became unlikely and the incident was opened' })
  openedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it was closed, after a quiet spell with no member failure; null while open' })
  closedAt!: Date | null;

  @Field({ description: 'The first failure among the members you see' })
  start!: Date;

  @Field({ description: 'The latest failure among the members you see' })
  lastFailureAt!: Date;

  @Field(() => [ID], { description: 'The projects of the members you see' })
  projectIds!: string[];

  @Field(() => [ID], { description: 'The workflows of the members you see' })
  workflowIds!: string[];

  @Field(() => Int, { description: 'How many members you see' })
  memberCount!: number;

  @Field(() => [IncidentMember], { description: 'The member runs you may read, oldest first' })
  members!: IncidentMember[];

  @Field(() => [IncidentAttribute], { description: 'The attributes the members you see share, highest lift first' })
  attributes!: IncidentAttribute[];
}

@InputType({ description: 'Which incidents: touching the projects you may read (or these), newest opened first' })
export class IncidentFilter {
  @Field(() => [ID], { nullable: true })
  projectIds?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only the open one; false: only closed ones; absent: both' })
  open?: boolean | null;

  @Field(() => Date, { nullable: true, description: 'Opened at or after' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Opened before (page back by passing the oldest openedAt you have)' })
  to?: Date | null;
}
