import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context.ts';
import { CreateUserInput } from './user.inputs.ts';
import { User } from './user.type.ts';

/** Users and their passwords: each call is checked by AccessService through src/auth. */
@Resolver(() => User)
export class UserResolver {
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

  @Mutation(() => Boolean, { description: 'Sets your own email address, where reports you are a recipient of are mailed; null removes it' })
  async changeEmail(@Arg('email', () => String, { nullable: true }) email: string | null, @Ctx() { principal, services }: GraphQLContext): Promise<boolean> {
    await services.access.setEmail(principal, { username: principal.username, email });
    return true;
  }
}
