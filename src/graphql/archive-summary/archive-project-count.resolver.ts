import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../context.ts';
import { Project } from '../project/project.type.ts';
import { required } from '../required.ts';
import { ArchiveProjectCount } from './archive-summary.type.ts';

@Resolver(() => ArchiveProjectCount)
export class ArchiveProjectCountResolver {
  @FieldResolver(() => Project)
  project(@Root() count: ArchiveProjectCount, @Ctx() { loaders }: GraphQLContext): Promise<Project> {
    return required(loaders.projectById.load(count.projectId), `Project ${count.projectId} of an archive summary`);
  }
}
