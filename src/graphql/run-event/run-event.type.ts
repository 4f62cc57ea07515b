import { Field, ObjectType } from 'type-graphql';
import { RunEventKindEnum } from '../enums.ts';

@ObjectType({ description: 'One change of status of a run or of one of its steps: the history itself' })
export class RunEvent {
  @Field({ description: 'Global, strictly increasing position in the event log (a decimal string)' })
  seq!: string;

  @Field(() => Date, { description: 'When the change happened' })
  at!: string;

  @Field(() => RunEventKindEnum)
  kind!: string;

  @Field(() => String, { nullable: true, description: 'The status before; null for the event that created the run' })
  from!: string | null;

  @Field()
  to!: string;

  @Field(() => String, { nullable: true })
  message!: string | null;

  @Field(() => String, { nullable: true, description: 'Who caused the change, when a person or token did' })
  actor!: string | null;

  runId!: string;
  stepRunId!: string | null;
}
