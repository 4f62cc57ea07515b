import { Arg, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { GraphQLContext } from '../context.ts';
import { RunFilter } from '../run/run.inputs.ts';
import { StatusCounts } from './status-counts.type.ts';

@Resolver(() => StatusCounts)
export class StatusCountsResolver {
  @Subscription(() => StatusCounts, {
    description: "The filter's counts now, then again when they change (at most every STATUS_COUNTS_INTERVAL_MS), each with its snapshot",
    subscribe: ({ args, context }: SubscribeResolverData<unknown, { filter?: RunFilter | null }, GraphQLContext>) =>
      context.services.runEvents.statusCounts(context.principal, args.filter ?? {}),
  })
  statusCounts(@Root() counts: StatusCounts, @Arg('filter', () => RunFilter, { nullable: true }) _filter?: RunFilter | null): StatusCounts {
    return counts;
  }
}
