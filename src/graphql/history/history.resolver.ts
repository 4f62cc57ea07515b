import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { isTimeBucket, MAX_TREND_POINTS, trendPoints, type TimeBucket } from '../../domain/time-buckets.ts';
import type { GraphQLContext } from '../context.ts';
import { TimeBucketEnum } from '../enums.ts';
import { RunFilter } from '../run/run.inputs.ts';
import { MAX_PAGE_SIZE } from '../../domain/cursor.ts';
import { connectionComplexity, sizeForCost } from '../connection-cost.ts';
import { RunConnection } from './run-connection.type.ts';
import { StatusCount, StatusCounts, TrendPoint } from './status-counts.type.ts';
import { WorkflowStats } from './workflow-stats.type.ts';

const PAGE_COMPLEXITY = 50;

/**
 * What one count of a filter costs: it reads a rollup row per hour and status of its range (all
 * of history when the range is open), plus the partial edge hours and the events after its
 * snapshot. Weighted so that the aliases a limit admits cannot keep the database busy for long.
 */
export const COUNTS_COMPLEXITY = 100;

@Resolver(() => RunConnection)
export class HistoryResolver {
  @Query(() => RunConnection, {
    description: 'Runs newest first, exact as of a snapshot; page with first/after or last/before (at most 500)',
    // Up to the largest page: the service refuses a larger one itself, naming the argument.
    complexity: connectionComplexity((args) => sizeForCost(args.first ?? args.last, PAGE_COMPLEXITY, MAX_PAGE_SIZE)),
  })
  runs(
    @Ctx() { principal, services }: GraphQLContext,
    @Arg('filter', () => RunFilter, { nullable: true }) filter?: RunFilter | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('last', () => Int, { nullable: true }) last?: number | null,
    @Arg('before', () => String, { nullable: true }) before?: string | null,
    @Arg('snapshot', () => String, { nullable: true, description: 'Answer as of this event seq (from an earlier answer)' }) snapshot?: string | null,
  ): Promise<RunConnection> {
    return services.history.runsPage(principal, filter ?? null, { first, after, last, before, snapshot });
  }

  @FieldResolver(() => Int, { description: 'How many runs the whole filter selects at this snapshot', complexity: COUNTS_COMPLEXITY })
  async totalCount(@Root() connection: RunConnection): Promise<number> {
    return (await connection.counts()).total;
  }

  @FieldResolver(() => [StatusCount], { description: 'The same runs by status (the statuses the filter allows)', complexity: ({ childComplexity }) => COUNTS_COMPLEXITY + childComplexity })
  async statusCounts(@Root() connection: RunConnection): Promise<StatusCount[]> {
    return (await connection.counts()).byStatus;
  }

  @Query(() => StatusCounts, { description: 'Exact counts per status of the runs a filter selects', complexity: ({ childComplexity }) => COUNTS_COMPLEXITY + childComplexity })
  runStatusCounts(
    @Ctx() { principal, services }: GraphQLContext,
    @Arg('filter', () => RunFilter, { nullable: true }) filter?: RunFilter | null,
    @Arg('snapshot', () => String, { nullable: true }) snapshot?: string | null,
  ): Promise<StatusCounts> {
    return services.history.statusCounts(principal, filter ?? null, snapshot ?? null);
  }

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

  @Query(() => WorkflowStats, {
    description: 'Runs per status, success rate and p50/p95 duration of a workflow (default: all time)',
    complexity: ({ childComplexity }) => 2 * COUNTS_COMPLEXITY + childComplexity,
  })
  workflowStats(
    @Ctx() { principal, services }: GraphQLContext,
    @Arg('workflowId', () => ID) workflowId: string,
    @Arg('from', () => Date, { nullable: true }) from?: Date | null,
    @Arg('to', () => Date, { nullable: true }) to?: Date | null,
  ): Promise<WorkflowStats> {
    return services.history.workflowStats(principal, workflowId, from ?? null, to ?? null);
  }
}

/** The points a trend's arguments ask for, up to the most the service answers: it refuses the others itself, with the reason. */
function trendPointsOf(args: Record<string, unknown>): number {
  const { bucket, from, to } = args;
  if (!isTimeBucket(bucket) || !(from instanceof Date) || !(to instanceof Date) || from >= to) return 1;
  return Math.min(trendPoints(from.getTime(), to.getTime(), bucket), MAX_TREND_POINTS);
}
