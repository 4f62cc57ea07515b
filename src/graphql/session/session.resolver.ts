import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context.ts';
import { toViewer } from '../viewer/viewer.mappers.ts';
import { Viewer } from '../viewer/viewer.type.ts';
import { LoginResult } from './session.type.ts';

/** Signing in and out with the session cookie, and who the caller is. */
@Resolver()
export class SessionResolver {
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
