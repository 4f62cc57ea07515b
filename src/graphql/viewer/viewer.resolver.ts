import { Ctx, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context.ts';
import { Viewer } from './viewer.type.ts';

@Resolver(() => Viewer)
export class ViewerResolver {
  @Query(() => Viewer, { description: 'The authenticated caller' })
  viewer(@Ctx() { principal }: GraphQLContext): Viewer {
    return {
      id: principal.userId,
      username: principal.username,
      displayName: principal.displayName,
      isAdmin: principal.isAdmin,
      memberships: [...principal.roles].map(([projectId, role]) => ({ projectId, role })),
    };
  }
}
