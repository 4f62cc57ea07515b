import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Role } from '../../domain/vocabulary.ts';
import type { GraphQLContext } from '../context.ts';
import { RoleEnum } from '../enums.ts';
import { toMember } from './member.mappers.ts';
import { Member } from './member.type.ts';

/** The members of a project and their roles: each call is checked by AccessService through src/auth. */
@Resolver(() => Member)
export class MemberResolver {
  @Query(() => [Member], { description: 'The members of a project you may read' })
  async members(@Arg('projectId', () => ID) projectId: string, @Ctx() { principal, services }: GraphQLContext): Promise<Member[]> {
    return (await services.access.members(principal, projectId)).map(toMember);
  }

  @Mutation(() => Member, { description: 'Needs ADMIN in the project' })
  async addMember(
    @Arg('projectId', () => ID) projectId: string,
    @Arg('username') username: string,
    @Arg('role', () => RoleEnum) role: Role,
    @Ctx() { principal, services }: GraphQLContext,
  ): Promise<Member> {
    return toMember(await services.access.addMember(principal, { projectId, username, role }));
  }

  @Mutation(() => Member, { description: 'Needs ADMIN in the project; a project keeps at least one ADMIN' })
  async setMemberRole(
    @Arg('projectId', () => ID) projectId: string,
    @Arg('username') username: string,
    @Arg('role', () => RoleEnum) role: Role,
    @Ctx() { principal, services }: GraphQLContext,
  ): Promise<Member> {
    return toMember(await services.access.setMemberRole(principal, { projectId, username, role }));
  }

  @Mutation(() => Boolean, { description: 'Needs ADMIN in the project; a project keeps at least one ADMIN' })
  removeMember(@Arg('projectId', () => ID) projectId: string, @Arg('username') username: string, @Ctx() { principal, services }: GraphQLContext): Promise<boolean> {
    return services.access.removeMember(principal, { projectId, username });
  }
}
