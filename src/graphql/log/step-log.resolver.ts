import { Arg, ID, Int, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { GraphQLContext } from '../context.ts';
import { LogChunk } from './log-chunk.type.ts';

interface StepLogArgs {
  runId: string;
  step: string;
  offset?: number | null;
}

@Resolver(() => LogChunk)
export class StepLogResolver {
  @Subscription(() => LogChunk, {
    description: 'A step log from offset as it grows: each new piece once written; the last has complete = true once the step has finished',
    subscribe: ({ args, context }: SubscribeResolverData<unknown, StepLogArgs, GraphQLContext>) =>
      context.services.logs.follow(context.principal, args.runId, args.step, args.offset ?? 0),
  })
  stepLog(
    @Root() chunk: LogChunk,
    @Arg('runId', () => ID) _runId: string,
    @Arg('step') _step: string,
    @Arg('offset', () => Int, { nullable: true, defaultValue: 0 }) _offset?: number,
  ): LogChunk {
    return chunk;
  }
}
