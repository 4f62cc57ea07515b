import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Role } from '../../domain/vocabulary.ts';
import type { GraphQLContext } from '../context.ts';
import { RoleEnum } from '../enums.ts';
import { Project } from '../project/project.type.ts';
import { Viewer } from '../viewer/viewer.type.ts';
import { toApiToken, toMember, toViewer } from './access.mappers.ts';
import { ApiToken, CreatedToken, CreateTokenInput, CreateUserInput, LoginResult, Member, User } from './access.types.ts';

/** Projects, users, memberships, tokens and sessions: each call is checked by AccessService through src/auth. */
@Resolver()
export class AccessResolver {
  @Mutation(() => Project, { description: 'Instance admins only' })
  createProject(@Arg('slug') slug: string, @Ctx() { principal, services }: GraphQLContext, @Arg('name', () => String, { nullable: true }) name?: string): Promise<Project> {
    return services.access.createProject(principal, { slug, name });
  }

  @Mutation(() => User, { description: 'Instance admins only' })
  createUser(@Arg('input') input: CreateUserInput, @Ctx() { principal, services }: GraphQLContext): Promise<User> {
    return services.access.createUser(principal, input);
  }

  @Mutation(() => Boolean, { description: 'Changes your own password; the current one is needed once one is set' })
  async changePassword(
    @Arg('newPassword') newPassword: string,
    @Ctx() { principal, services }: GraphQLContext,
    @Arg('currentPassword', () => String, { nullable: true }) currentPassword?: string,
  ): Promise<boolean> {
    await services.access.setPassword(principal, { username: principal.username, newPassword, currentPassword });
    return true;
  }

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

  @Query(() => [ApiToken], { description: 'Your own API tokens, or with projectId that project’s tokens (ADMIN there)' })
  async tokens(@Ctx() { principal, services }: GraphQLContext, @Arg('projectId', () => ID, { nullable: true }) projectId?: string): Promise<ApiToken[]> {
    return (await services.access.tokens(principal, projectId ?? null)).map(toApiToken);
  }

  @Mutation(() => CreatedToken, { description: 'Returns the secret once; it is stored only as a hash' })
  async createToken(@Arg('input') input: CreateTokenInput, @Ctx() { principal, services }: GraphQLContext): Promise<CreatedToken> {
    const created = await services.access.createToken(principal, principal.userId, input);
    return { token: toApiToken(created.token), secret: created.secret };
  }

  @Mutation(() => ApiToken, { description: 'Takes effect at once, on open WebSockets too' })
  async revokeToken(@Arg('id', () => ID) id: string, @Ctx() { principal, services }: GraphQLContext): Promise<ApiToken> {
    return toApiToken(await services.access.revokeToken(principal, id));
  }

  @Mutation(() => LoginResult, { description: 'Signs in and sets the httpOnly session cookie (HTTP only). Rate-limited per address' })
  async login(@Arg('username') username: string, @Arg('password') password: string, @Ctx() { services, session }: GraphQLContext): Promise<LoginResult> {
    const issued = await services.auth.login(username, password, session.address);
    session.startSession(issued.secret, issued.expiresAt);
    return { viewer: toViewer(issued.principal), expiresAt: issued.expiresAt };
  }

  @Mutation(() => Boolean, { description: 'Ends the cookie session and clears the cookie; true when a session ended' })
  async logout(@Ctx() { principal, services, session }: GraphQLContext): Promise<boolean> {
    const ended = await services.auth.endSession(principal);
    session.endSession();
    return ended;
  }

  @Query(() => Viewer, { description: 'The authenticated caller' })
  viewer(@Ctx() { principal }: GraphQLContext): Viewer {
    return toViewer(principal);
  }
}
