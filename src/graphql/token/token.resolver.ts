import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context.ts';
import { toApiToken } from './token.mappers.ts';
import { CreateTokenInput } from './token.inputs.ts';
import { ApiToken, CreatedToken } from './token.type.ts';

/** API tokens, personal or per project: each call is checked by AccessService through src/auth. */
@Resolver(() => ApiToken)
export class TokenResolver {
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
}
