import { Field, ID, InputType, ObjectType } from 'type-graphql';
import type { AlertState } from '../../domain/alerts/alert-notice.ts';
import { AlertStateEnum } from '../enums.ts';

@ObjectType({ description: 'One alert of a rule: the rule’s condition about one workflow, through its lifecycle' })
export class Alert {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  projectId!: string;

  @Field(() => ID)
  ruleId!: string;

  @Field(() => String, { nullable: true, description: 'Who acknowledged it while it fires (reminders stop until it fires again)' })
  acknowledgedBy!: string | null;

  @Field(() => Date, { nullable: true })
  acknowledgedAt!: Date | null;

  @Field()
  updatedAt!: Date;
}

@ObjectType({ description: 'A transition of an alert, in the order recorded' })
export class AlertEvent {
  @Field({ description: 'Decimal: it outgrows a 32-bit Int' })
  seq!: string;

  @Field(() => ID)
  alertId!: string;

  @Field(() => ID)
  ruleId!: string;

  @Field(() => ID)
  projectId!: string;

  @Field(() => AlertStateEnum, { nullable: true })
  from!: AlertState | null;

  @Field(() => AlertStateEnum)
  to!: AlertState;

  @Field()
  at!: Date;

  @Field(() => String, { nullable: true })
  message!: string | null;

  @Field(() => String, { nullable: true, description: 'Who did it (an acknowledgement); null for the evaluator' })
  actor!: string | null;
}

@InputType({ description: 'Which alerts: every project you may read, states other than INACTIVE, every rule, unless narrowed' })
export class AlertFilter {
  @Field(() => [ID], { nullable: true })
  projectIds?: string[] | null;

  @Field(() => [AlertStateEnum], { nullable: true })
  states?: AlertState[] | null;

  @Field(() => [ID], { nullable: true })
  ruleIds?: string[] | null;
}
