import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { StepStatus } from '../../domain/status.ts';
import { StepStatusEnum } from '../enums.ts';

@ObjectType({ description: 'One step of one run' })
export class StepRun {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => StepStatusEnum)
  status!: StepStatus;

  @Field(() => Date, { nullable: true })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;

  @Field(() => Int, { nullable: true })
  exitCode!: number | null;

  @Field(() => Int, { description: 'How many times the step was started (retries included)' })
  attempt!: number;

  @Field(() => String, { nullable: true })
  error!: string | null;
}
