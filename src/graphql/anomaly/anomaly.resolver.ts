import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { required } from '../required.ts';
import { Workflow } from '../workflow/workflow.type.ts';
import type { AnomalyRecord } from '../../domain/insight/anomaly.ts';
import { AppError } from '../../domain/errors.ts';
import type { AnomalyFeedItem } from '../../services/insight/anomaly.service.ts';
import type { GraphQLContext } from '../context.ts';
import { Anomaly, AnomalyFilter } from './anomaly.type.ts';

const anomalyView = (anomaly: AnomalyRecord): Anomaly => ({ ...anomaly, seq: anomaly.seq.toString() });

interface AnomalyEventsArgs {
  projectIds?: string[] | null;
  afterSeq?: string | null;
}

@Resolver(() => Anomaly)
export class AnomalyResolver {
  @FieldResolver(() => Workflow)
  workflow(@Root() anomaly: Anomaly, @Ctx() { loaders }: GraphQLContext): Promise<Workflow> {
    return required(loaders.workflowById.load(anomaly.workflowId), `Workflow ${anomaly.workflowId} of anomaly ${anomaly.id}`);
  }

  @Query(() => [Anomaly], { description: 'Anomalies found in the runs of the projects you may read (or of the filter’s), newest raised first' })
  async anomalies(
    @Arg('filter', () => AnomalyFilter, { nullable: true }) filter: AnomalyFilter | null,
    @Arg('first', () => Int, { defaultValue: 100 }) first: number,
    @Ctx() { principal, services }: GraphQLContext,
  ): Promise<Anomaly[]> {
    return (await services.anomalies.list(principal, filter ?? {}, first)).map(anomalyView);
  }

  @Mutation(() => Anomaly, { description: 'Marks an anomaly as expected (OPERATOR of its project), recorded with you and the reason; it leaves the default lists' })
  async dismissAnomaly(
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
    @Ctx() { principal, services }: GraphQLContext,
  ): Promise<Anomaly> {
    return anomalyView(await services.anomalies.dismiss(principal, id, reason));
  }

  @Subscription(() => Anomaly, {
    description: 'Every anomaly raised, ended or dismissed in the projects you may read (or in these), in seq order; afterSeq resumes with no gap and no duplicate (RESYNC when too far behind)',
    subscribe: ({ args, context }: SubscribeResolverData<unknown, AnomalyEventsArgs, GraphQLContext>) =>
      context.services.anomalyEvents.subscribe(context.principal, args.projectIds ?? null, args.afterSeq ?? null),
  })
  anomalyEvents(
    @Root() item: AnomalyFeedItem,
    @Arg('projectIds', () => [ID], { nullable: true }) _projectIds?: string[],
    @Arg('afterSeq', () => String, { nullable: true }) _afterSeq?: string,
  ): Anomaly {
    if ('resync' in item) throw new AppError('RESYNC', item.resync);
    return anomalyView(item);
  }
}
