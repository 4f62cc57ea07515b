import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { IncidentView } from '../../domain/insight/incident-view.ts';
import { AppError } from '../../domain/errors.ts';
import type { IncidentFeedItem } from '../../services/insight/incident.service.ts';
import type { GraphQLContext } from '../context.ts';
import { Run } from '../run/run.type.ts';
import { Workflow } from '../workflow/workflow.type.ts';
import { Incident, IncidentFilter, IncidentMember } from './incident.type.ts';

const incidentView = (incident: IncidentView): Incident => ({ ...incident, seq: incident.seq.toString(), memberCount: incident.members.length });

interface IncidentEventsArgs {
  projectIds?: string[] | null;
  afterSeq?: string | null;
}

@Resolver(() => Incident)
export class IncidentResolver {
  @Query(() => [Incident], { description: 'Incidents touching the projects you may read (or the filter’s), newest opened first; each shows only its members in projects you may read' })
  async incidents(
    @Arg('filter', () => IncidentFilter, { nullable: true }) filter: IncidentFilter | null,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Ctx() { principal, services }: GraphQLContext,
  ): Promise<Incident[]> {
    return (await services.incidents.list(principal, filter ?? {}, first)).map(incidentView);
  }

  @Query(() => Incident, { description: 'One incident as you may see it; NOT_FOUND when none of its members is in a project you may read' })
  async incident(@Arg('id', () => ID) id: string, @Ctx() { principal, services }: GraphQLContext): Promise<Incident> {
    return incidentView(await services.incidents.get(principal, id));
  }

  @Subscription(() => Incident, {
    description: 'Every incident opened, grown or closed that touches the projects you may read (or these), in seq order, as you may see it; afterSeq resumes with no gap and no duplicate (RESYNC when too far behind)',
    subscribe: ({ args, context }: SubscribeResolverData<unknown, IncidentEventsArgs, GraphQLContext>) =>
      context.services.incidentEvents.subscribe(context.principal, args.projectIds ?? null, args.afterSeq ?? null),
  })
  incidentEvents(
    @Root() item: IncidentFeedItem,
    @Ctx() { principal, services }: GraphQLContext,
    @Arg('projectIds', () => [ID], { nullable: true }) _projectIds?: string[],
    @Arg('afterSeq', () => String, { nullable: true }) _afterSeq?: string,
  ): Incident {
    if ('resync' in item) throw new AppError('RESYNC', item.resync);
    const view = services.incidents.view(principal, item);
    // The feed passes only incidents touching a readable project; access may have been taken away since.
    if (view === null) throw new AppError('RESYNC', `Incident ${item.id} is no longer in a project you may read: refetch`);
    return incidentView(view);
  }
}

@Resolver(() => IncidentMember)
export class IncidentMemberResolver {
  @FieldResolver(() => Run, { nullable: true, description: 'The run; null once it is archived or deleted' })
  run(@Root() member: IncidentMember, @Ctx() { loaders }: GraphQLContext): Promise<Run | null> {
    return loaders.runById.load(member.runId);
  }

  @FieldResolver(() => Workflow, { nullable: true, description: 'Its workflow; null once deleted' })
  workflow(@Root() member: IncidentMember, @Ctx() { loaders }: GraphQLContext): Promise<Workflow | null> {
    return loaders.workflowById.load(member.workflowId);
  }
}
