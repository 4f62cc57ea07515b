import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { isTimeBucket, MAX_TREND_POINTS, trendPoints, type TimeBucket } from '../../domain/time-buckets.ts';
import type { GraphQLContext } from '../context.ts';
import { COUNTS_COMPLEXITY } from '../connection-cost.ts';
import { TimeBucketEnum } from '../enums.ts';
import { RunFilter } from '../run/run.inputs.ts';
import { TrendPoint } from './trend-point.type.ts';

@Resolver(() => TrendPoint)
export class TrendPointResolver {
  @Query(() => [TrendPoint], {
    description: 'Runs created per time bucket in [from, to), by status; every bucket present',
    // One read over the range, then one point built per bucket.
    complexity: ({ args }) => COUNTS_COMPLEXITY + trendPointsOf(args),
  })
  runStatusTrend(
    @Ctx() { principal, services }: GraphQLContext,
    @Arg('bucket', () => TimeBucketEnum) bucket: TimeBucket,
    @Arg('from', () => Date) from: Date,
    @Arg('to', () => Date) to: Date,
    @Arg('filter', () => RunFilter, { nullable: true }) filter?: RunFilter | null,
    @Arg('snapshot', () => String, { nullable: true }) snapshot?: string | null,
  ): Promise<TrendPoint[]> {
    return services.history.statusTrend(principal, filter ?? null, { bucket, from, to }, snapshot ?? null);
  }
}

/** The points a trend's arguments ask for, up to the most the service answers: it refuses the others itself, with the reason. */
function trendPointsOf(args: Record<string, unknown>): number {
  const { bucket, from, to } = args;
  if (!isTimeBucket(bucket) || !(from instanceof Date) || !(to instanceof Date) || from >= to) return 1;
  return Math.min(trendPoints(from.getTime(), to.getTime(), bucket), MAX_TREND_POINTS);
}
