import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context.ts';
import { COUNTS_COMPLEXITY } from '../connection-cost.ts';
import { WorkflowStats } from './workflow-stats.type.ts';

@Resolver(() => WorkflowStats)
export class WorkflowStatsResolver {
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
