import { Arg, Ctx, FieldResolver, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { AppError } from '../../domain/errors.ts';
import { isResync, type RunEventStreamItem } from '../../services/run-event-stream.service.ts';
import type { GraphQLContext } from '../context.ts';
import { required } from '../required.ts';
import { RunFilter } from '../run/run.inputs.ts';
import { Run } from '../run/run.type.ts';
import { StepRun } from '../step-run/step-run.type.ts';
import { RunEvent } from './run-event.type.ts';

interface RunEventsArgs {
  filter?: RunFilter | null;
  afterSeq?: string | null;
}

@Resolver(() => RunEvent)
export class RunEventResolver {
  @Subscription(() => RunEvent, {
    description: 'Every recorded status change the caller may read that matches the filter, in seq order',
    subscribe: ({ args, context }: SubscribeResolverData<unknown, RunEventsArgs, GraphQLContext>) =>
      context.services.runEvents.subscribe(context.principal, args.filter ?? {}, args.afterSeq ?? null),
  })
  runEvents(
    @Root() event: RunEventStreamItem,
    @Arg('filter', () => RunFilter, { nullable: true }) _filter?: RunFilter,
    @Arg('afterSeq', () => String, { nullable: true }) _afterSeq?: string,
  ): RunEvent {
    if (isResync(event)) throw new AppError('RESYNC', event.resync);
    return event;
  }

  @FieldResolver(() => Run)
  run(@Root() event: RunEvent, @Ctx() { loaders }: GraphQLContext): Promise<Run> {
    return required(loaders.runById.load(event.runId), `Run ${event.runId} of event ${event.seq}`);
  }

  @FieldResolver(() => StepRun, { nullable: true, description: 'The step, for a STEP event' })
  async step(@Root() event: RunEvent, @Ctx() { loaders }: GraphQLContext): Promise<StepRun | null> {
    return event.stepRunId ? loaders.stepRunById.load(event.stepRunId) : null;
  }
}
