import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context.ts';
import { Project } from './project.type.ts';

@Resolver(() => Project)
export class ProjectResolver {
  @Query(() => [Project], { description: 'Every project the caller may read' })
  projects(@Ctx() { principal, services }: GraphQLContext): Promise<Project[]> {
    return services.projects.listReadable(principal);
  }

  @Mutation(() => Project, { description: 'Instance admins only' })
  createProject(@Arg('slug') slug: string, @Ctx() { principal, services }: GraphQLContext, @Arg('name', () => String, { nullable: true }) name?: string): Promise<Project> {
    return services.access.createProject(principal, { slug, name });
  }
}
