import { Field, Int, ObjectType } from 'type-graphql';
import type { RunStatus } from '../../domain/status.ts';
import { RunStatusEnum } from '../enums.ts';

@ObjectType({ description: 'How many runs have one status' })
export class StatusCount {
  @Field(() => RunStatusEnum)
  status!: RunStatus;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: 'Exact counts of the runs a filter selects, as of a snapshot' })
export class StatusCounts {
  @Field(() => Int)
  total!: number;

  @Field(() => [StatusCount], { description: "Every status the filter allows (all of them without a status filter), zeros included" })
  byStatus!: StatusCount[];

  @Field({ description: 'The event seq these counts are exact at (a decimal string)' })
  snapshot!: string;
}
