import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context.ts';
import { AlertRuleInput } from './alert-rule.inputs.ts';
import { alertRuleView } from './alert-rule.mappers.ts';
import { AlertPreview, AlertRule } from './alert-rule.type.ts';

@Resolver(() => AlertRule)
export class AlertRuleResolver {
  @Query(() => [AlertRule], { description: 'The alert rules of a project you may read, by name' })
  async alertRules(@Arg('projectId', () => ID) projectId: string, @Ctx() { principal, services }: GraphQLContext): Promise<AlertRule[]> {
    return (await services.alertRules.listOf(principal, projectId)).map(alertRuleView);
  }

  @Query(() => AlertPreview, {
    description: 'When a rule would have fired and resolved over a past range (at most 90 days, 100,000 runs), replayed from the runs before you save it; evaluations from `from` on, the day before read as history',
  })
  previewAlertRule(
    @Arg('rule', () => AlertRuleInput) rule: AlertRuleInput,
    @Arg('from', () => Date) from: Date,
    @Arg('to', () => Date) to: Date,
    @Ctx() { principal, services }: GraphQLContext,
  ): Promise<AlertPreview> {
    return services.alertPreview.preview(principal, rule, from, to);
  }

  @Mutation(() => AlertRule, { description: 'Creates an alert rule, or replaces the one its id names (ADMIN of the project)' })
  async saveAlertRule(@Arg('input', () => AlertRuleInput) input: AlertRuleInput, @Ctx() { principal, services }: GraphQLContext): Promise<AlertRule> {
    return alertRuleView(await services.alertRules.save(principal, input));
  }

  @Mutation(() => Boolean, { description: 'Deletes an alert rule and its alerts (ADMIN of its project)' })
  deleteAlertRule(@Arg('id', () => ID) id: string, @Ctx() { principal, services }: GraphQLContext): Promise<boolean> {
    return services.alertRules.delete(principal, id);
  }
}
