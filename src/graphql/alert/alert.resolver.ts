import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { AlertState } from '../../domain/alerts/alert-notice.ts';
import type { AlertView } from '../../services/alerts/alert.service.ts';
import type { AlertEventFeedItem } from '../../services/alerts/alert-feed.ts';
import { AlertStateEnum } from '../enums.ts';
import type { GraphQLContext } from '../context.ts';
import { alertRuleView } from '../alert-rule/alert-rule.mappers.ts';
import { AlertRule } from '../alert-rule/alert-rule.type.ts';
import { Alert, AlertEvent, AlertFilter } from './alert.type.ts';

/** An alert event as the API shows it. */
export function alertEventView(event: Exclude<AlertEventFeedItem, { resync: string }>): AlertEvent {
  return { ...event, seq: String(event.seq), alertId: event.instanceId };
}

@Resolver(() => Alert)
export class AlertResolver {
  @Query(() => [Alert], { description: 'Alerts of the projects you may read: FIRING first, then PENDING, then resolved, most recently changed first' })
  alerts(
    @Arg('filter', () => AlertFilter, { nullable: true }) filter: AlertFilter | null,
    @Arg('first', () => Int, { defaultValue: 100, description: '1 to 500' }) first: number,
    @Ctx() { principal, services }: GraphQLContext,
  ): Promise<AlertView[]> {
    return services.alerts.list(principal, filter ?? {}, first);
  }

  @Mutation(() => Alert, { description: 'Takes a FIRING alert in hand (OPERATOR of its project): recorded with you as the actor; its reminders stop until it fires again' })
  acknowledgeAlert(@Arg('id', () => ID) id: string, @Ctx() { principal, services }: GraphQLContext): Promise<AlertView> {
    return services.alerts.acknowledge(principal, id);
  }

  @FieldResolver(() => ID, { description: 'The workflow the alert is about' })
  workflowId(@Root() alert: AlertView): string {
    return alert.groupKey;
  }

  @FieldResolver(() => AlertStateEnum)
  state(@Root() alert: AlertView): AlertState {
    return alert.progress.state;
  }

  @FieldResolver(() => String, { description: 'What the rule found at its last evaluation' })
  summary(@Root() alert: AlertView): string {
    return alert.progress.summary;
  }

  @FieldResolver(() => Date, { nullable: true, description: 'When its condition began to hold, in this episode' })
  activeSince(@Root() alert: AlertView): Date | null {
    return alert.progress.activeSince;
  }

  @FieldResolver(() => Date, { nullable: true })
  firedAt(@Root() alert: AlertView): Date | null {
    return alert.progress.firedAt;
  }

  @FieldResolver(() => Date, { nullable: true })
  resolvedAt(@Root() alert: AlertView): Date | null {
    return alert.progress.resolvedAt;
  }

  @FieldResolver(() => AlertRule)
  rule(@Root() alert: AlertView): AlertRule {
    return alertRuleView(alert.rule);
  }

  @FieldResolver(() => [AlertEvent], { description: 'Its transitions, newest first (the last 200)' })
  async events(@Root() alert: AlertView, @Ctx() { services }: GraphQLContext): Promise<AlertEvent[]> {
    return (await services.alerts.events(alert)).map(alertEventView);
  }
}
