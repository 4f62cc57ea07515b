import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { ArchiveListing } from '../../domain/archive/archive-period.ts';
import type { GraphQLContext } from '../context.ts';
import { Project } from '../project/project.type.ts';
import { required } from '../required.ts';
import { Archive } from './archive.type.ts';

@Resolver(() => Archive)
export class ArchiveResolver {
  @Query(() => [Archive], {
    description: 'Archived periods, oldest first: one project’s part of each (a reader of the project), or every period whole (an instance admin, projectId left out)',
  })
  archives(@Ctx() { principal, services }: GraphQLContext, @Arg('projectId', () => ID, { nullable: true }) projectId?: string | null): Promise<ArchiveListing[]> {
    return services.archives.list(principal, projectId ?? null);
  }

  @Mutation(() => Archive, {
    description:
      'Moves every run of an archived period back into the live store, a batch at a time (an instance admin); the scheduled archival then leaves them there. CONFLICT while another archival or restore runs',
  })
  restoreArchive(@Arg('id', () => ID) id: string, @Ctx() { principal, services }: GraphQLContext): Promise<ArchiveListing> {
    return services.archives.restore(principal, id);
  }

  @FieldResolver(() => Project, { nullable: true, description: 'The project whose part this is; null for a whole period' })
  async project(@Root() archive: Archive, @Ctx() { loaders }: GraphQLContext): Promise<Project | null> {
    return archive.projectId === null ? null : required(loaders.projectById.load(archive.projectId), `Project ${archive.projectId} of archive ${archive.id}`);
  }
}
