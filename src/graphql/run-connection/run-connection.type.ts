import { Field, ObjectType } from 'type-graphql';
import type { StatusCountsData } from '../../domain/history/status-counts.ts';
import { edgesComplexity } from '../connection-cost.ts';
import { PageInfo } from '../common/page-info.type.ts';
import { Run } from '../run/run.type.ts';

@ObjectType()
export class RunEdge {
  @Field()
  cursor!: string;

  @Field(() => Run)
  node!: Run;
}

@ObjectType({ description: 'A page of runs, newest first, with the counts of the whole filter at the same snapshot' })
export class RunConnection {
  @Field(() => [RunEdge], { complexity: edgesComplexity })
  edges!: RunEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field({ description: 'The event seq this page is exact at; cursors carry it to the next pages' })
  snapshot!: string;

  /** Computed only when totalCount or statusCounts is asked for. */
  counts!: () => Promise<StatusCountsData>;
  /** How many of the filter's runs are archived; computed only when archivedCount is asked for. */
  countArchived!: () => Promise<number>;
}
