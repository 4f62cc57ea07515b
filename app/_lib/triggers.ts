/**
 * The one table of run triggers: their order and labels. The filter chips, the runs table and
 * the run page all read it, so a trigger is written the same way everywhere.
 */
import type { RunTrigger } from '../_gql/graphql.ts';

export const RUN_TRIGGERS: Record<RunTrigger, { label: string }> = {
  SCHEDULER: { label: 'Schedule' },
  MANUAL: { label: 'Manual' },
  WEBHOOK: { label: 'Webhook' },
  SUBDAG: { label: 'Sub-workflow' },
  RETRY: { label: 'Retry' },
  API: { label: 'API' },
};

/** The display order: how runs usually start first. */
export const RUN_TRIGGER_ORDER = Object.keys(RUN_TRIGGERS) as RunTrigger[];

export function isRunTrigger(value: string): value is RunTrigger {
  return Object.hasOwn(RUN_TRIGGERS, value);
}

export function triggerLabel(trigger: RunTrigger): string {
  return RUN_TRIGGERS[trigger].label;
}
