import { Arg, Ctx, Query, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { GraphQLContext } from '../context.ts';
import { COUNTS_COMPLEXITY } from '../connection-cost.ts';
import { RunFilter } from '../run/run.inputs.ts';
import { StatusCounts } from './status-counts.type.ts';

@Resolver(() => StatusCounts)
export class StatusCountsResolver {
  @Query(() => StatusCounts, { description: 'Exact counts per status of the runs a filter selects', complexity: ({ childComplexity }) => COUNTS_COMPLEXITY + childComplexity })
  runStatusCounts(
    @Ctx() { principal, services }: GraphQLContext,
    @Arg('filter', () => RunFilter, { nullable: true }) filter?: RunFilter | null,
    @Arg('snapshot', () => String, { nullable: true }) snapshot?: string | null,
  ): Promise<StatusCounts> {
    return services.history.statusCounts(principal, filter ?? null, snapshot ?? null);
  }

  @Subscription(() => StatusCounts, {
    description: "The filter's counts now, then again when they change (at most every STATUS_COUNTS_INTERVAL_MS), each with its snapshot",
    subscribe: ({ args, context }: SubscribeResolverData<unknown, { filter?: RunFilter | null }, GraphQLContext>) =>
      context.services.runEvents.statusCounts(context.principal, args.filter ?? {}),
  })
  statusCounts(@Root() counts: StatusCounts, @Arg('filter', () => RunFilter, { nullable: true }) _filter?: RunFilter | null): StatusCounts {
    return counts;
  }
}
