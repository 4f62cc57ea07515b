import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { SilenceRecord } from '../../domain/alerts/silence.ts';
import type { AlertView } from '../../services/alerts/alert.service.ts';
import { Alert } from '../alert/alert.type.ts';
import type { GraphQLContext } from '../context.ts';
import { Silence, SilenceInput } from './silence.type.ts';

const silenceView = ({ matchers, ...silence }: SilenceRecord): Silence => ({ ...silence, ...matchers });

@Resolver(() => Silence)
export class SilenceResolver {
  @Query(() => [Silence], { description: 'The silences of a project you may read that have not ended, the soonest to end first' })
  async silences(@Arg('projectId', () => ID) projectId: string, @Ctx() { principal, services }: GraphQLContext): Promise<Silence[]> {
    return (await services.silences.listOf(principal, projectId)).map(silenceView);
  }

  @Query(() => [Alert], { description: 'The alerts of the project (not INACTIVE) that the silence would match, before you save it' })
  previewSilence(@Arg('input', () => SilenceInput) input: SilenceInput, @Ctx() { principal, services }: GraphQLContext): Promise<AlertView[]> {
    return services.silences.preview(principal, input);
  }

  @Mutation(() => Silence, { description: 'Silences alerts of a project (OPERATOR there), recorded with you as the author' })
  async createSilence(@Arg('input', () => SilenceInput) input: SilenceInput, @Ctx() { principal, services }: GraphQLContext): Promise<Silence> {
    return silenceView(await services.silences.create(principal, input));
  }

  @Mutation(() => Silence, { description: 'Ends a silence now (OPERATOR of its project)' })
  async expireSilence(@Arg('id', () => ID) id: string, @Ctx() { principal, services }: GraphQLContext): Promise<Silence> {
    return silenceView(await services.silences.expire(principal, id));
  }
}
