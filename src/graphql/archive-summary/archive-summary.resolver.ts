import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { ArchiveSummary as ArchiveSummaryData } from '../../domain/retention/archive-plan.ts';
import type { GraphQLContext } from '../context.ts';
import { ArchiveSummary } from './archive-summary.type.ts';

/**
 * A dry run counts the runs it would move along the runs' indexes (no rollup knows a policy's
 * edges): weighted so that one operation holds a few of them, not dozens.
 */
const ARCHIVE_COMPLEXITY = 2_000;

@Resolver(() => ArchiveSummary)
export class ArchiveSummaryResolver {
  @Mutation(() => ArchiveSummary, {
    description:
      'Moves the runs past their retention policy out of the live store: of one project (its ADMIN) or of every project (an instance admin, projectId left out). ' +
      'dryRun: true answers exactly what would move, per project and status, and moves nothing; without it exactly that moves, a batch at a time ' +
      '(CONFLICT while another archival or restore runs)',
    complexity: ({ childComplexity }) => ARCHIVE_COMPLEXITY + childComplexity,
  })
  archiveNow(
    @Ctx() { principal, services }: GraphQLContext,
    @Arg('projectId', () => ID, { nullable: true }) projectId?: string | null,
    @Arg('dryRun', () => Boolean, { nullable: true, description: 'Default false' }) dryRun?: boolean | null,
  ): Promise<ArchiveSummaryData> {
    return services.archive.archiveNow(principal, projectId ?? null, dryRun ?? false);
  }
}
