import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../context.ts';
import { Project } from '../project/project.type.ts';
import { required } from '../required.ts';
import { Membership } from './viewer.type.ts';

@Resolver(() => Membership)
export class MembershipResolver {
  @FieldResolver(() => Project)
  project(@Root() membership: Membership, @Ctx() { loaders }: GraphQLContext): Promise<Project> {
    return required(loaders.projectById.load(membership.projectId), `Project ${membership.projectId} of a membership`);
  }
}
