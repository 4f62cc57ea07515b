import { Arg, ID, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { AppError } from '../../domain/errors.ts';
import type { AlertEventFeedItem } from '../../services/alerts/alert-feed.ts';
import type { GraphQLContext } from '../context.ts';
import { alertEventView } from './alert.resolver.ts';
import { AlertEvent } from './alert.type.ts';

interface AlertEventsArgs {
  projectIds?: string[] | null;
  afterSeq?: string | null;
}

@Resolver(() => AlertEvent)
export class AlertEventResolver {
  @Subscription(() => AlertEvent, {
    description: 'Every alert transition of the projects you may read (or of these), in seq order; afterSeq resumes with no gap and no duplicate (RESYNC when too far behind)',
    subscribe: ({ args, context }: SubscribeResolverData<unknown, AlertEventsArgs, GraphQLContext>) =>
      context.services.alertEvents.subscribe(context.principal, args.projectIds ?? null, args.afterSeq ?? null),
  })
  alertEvents(
    @Root() item: AlertEventFeedItem,
    @Arg('projectIds', () => [ID], { nullable: true }) _projectIds?: string[],
    @Arg('afterSeq', () => String, { nullable: true }) _afterSeq?: string,
  ): AlertEvent {
    if ('resync' in item) throw new AppError('RESYNC', item.resync);
    return alertEventView(item);
  }
}
