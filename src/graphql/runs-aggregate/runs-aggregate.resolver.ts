import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { AggregateDimension } from '../../domain/insight/runs-aggregate.ts';
import type { TimeBucket } from '../../domain/time-buckets.ts';
import type { GraphQLContext } from '../context.ts';
import { AggregateDimensionEnum, TimeBucketEnum } from '../enums.ts';
import { AggregateFilter, AggregateGroup } from './runs-aggregate.type.ts';

@Resolver()
export class RunsAggregateResolver {
  @Query(() => [AggregateGroup], {
    description:
      'Exact counts of the runs created in [from, to), grouped across every project you may read (or the filter’s), per bucket of creation time when one is given; from the rollups (ranges on whole UTC hours, whole days for DAY and WEEK), and from the runs themselves, archived ones too, when grouped by ERROR. Biggest groups first within each bucket',
  })
  async runsAggregate(
    @Arg('filter', () => AggregateFilter, { nullable: true }) filter: AggregateFilter | null,
    @Arg('groupBy', () => [AggregateDimensionEnum]) groupBy: AggregateDimension[],
    @Arg('bucket', () => TimeBucketEnum, { nullable: true }) bucket: TimeBucket | null,
    @Arg('from') from: Date,
    @Arg('to') to: Date,
    @Ctx() { principal, services }: GraphQLContext,
  ): Promise<AggregateGroup[]> {
    const groups = await services.aggregates.aggregate(principal, { ...filter, groupBy, bucket, from, to });
    return groups.map((group) => ({ ...group, bucketStart: group.bucketStart === null ? null : new Date(group.bucketStart) }));
  }
}
