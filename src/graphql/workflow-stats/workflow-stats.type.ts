import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { StatusCount } from '../status-counts/status-counts.type.ts';

@ObjectType({ description: "A workflow's runs created in a time range: outcomes and durations" })
export class WorkflowStats {
  @Field(() => ID)
  workflowId!: string;

  @Field(() => Date, { nullable: true })
  from!: Date | null;

  @Field(() => Date, { nullable: true })
  to!: Date | null;

  @Field(() => Int)
  total!: number;

  @Field(() => [StatusCount])
  byStatus!: StatusCount[];

  @Field(() => Float, { nullable: true, description: 'SUCCEEDED among the finished runs (0 to 1); null when none finished' })
  successRate!: number | null;

  @Field(() => Int, { nullable: true, description: 'Median duration of the finished runs' })
  p50DurationMs!: number | null;

  @Field(() => Int, { nullable: true, description: '95th percentile duration of the finished runs' })
  p95DurationMs!: number | null;

  @Field({ description: 'The event seq these figures are exact at' })
  snapshot!: string;
}
