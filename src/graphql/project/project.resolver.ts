import { Ctx, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context.ts';
import { Project } from './project.type.ts';

@Resolver(() => Project)
export class ProjectResolver {
  @Query(() => [Project], { description: 'Every project the caller may read' })
  projects(@Ctx() { principal, services }: GraphQLContext): Promise<Project[]> {
    return services.projects.listReadable(principal);
  }
}
