import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { MAX_PAGE_SIZE } from '../../domain/cursor.ts';
import type { GraphQLContext } from '../context.ts';
import { connectionComplexity, COUNTS_COMPLEXITY, sizeForCost } from '../connection-cost.ts';
import { RunFilter } from '../run/run.inputs.ts';
import { StatusCount } from '../status-counts/status-counts.type.ts';
import { RunConnection } from './run-connection.type.ts';

const PAGE_COMPLEXITY = 50;

@Resolver(() => RunConnection)
export class RunConnectionResolver {
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

  @FieldResolver(() => Int, {
    description: 'How many runs the whole filter selects at this snapshot: the runs its pages show (archived runs only with includeArchived)',
    complexity: COUNTS_COMPLEXITY,
  })
  async totalCount(@Root() connection: RunConnection): Promise<number> {
    return (await connection.counts()).total;
  }

  @FieldResolver(() => Int, {
    description: 'How many of the runs the filter selects are archived: left out of pages and of totalCount unless includeArchived, counted in both with it',
    complexity: COUNTS_COMPLEXITY,
  })
  async archivedCount(@Root() connection: RunConnection): Promise<number> {
    return connection.countArchived();
  }

  @FieldResolver(() => [StatusCount], { description: 'The same runs by status (the statuses the filter allows)', complexity: ({ childComplexity }) => COUNTS_COMPLEXITY + childComplexity })
  async statusCounts(@Root() connection: RunConnection): Promise<StatusCount[]> {
    return (await connection.counts()).byStatus;
  }
}
