import { Field, ObjectType } from 'type-graphql';
import { StatusCount } from '../status-counts/status-counts.type.ts';

@ObjectType({ description: 'Runs created in one time bucket, by their status as of the snapshot' })
export class TrendPoint {
  @Field({ description: 'Start of the bucket (UTC; weeks start on Monday)' })
  start!: Date;

  @Field(() => [StatusCount], { description: 'The statuses with at least one run in this bucket' })
  counts!: StatusCount[];
}
