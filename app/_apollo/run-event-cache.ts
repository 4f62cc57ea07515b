import type { ApolloCache } from '@apollo/client';
import { RUN_HISTORY } from '../_components/run/run-history.tsx';
import { RUN_STEPS, STEP_ROW } from '../_components/run/step-timeline.tsx';
import { LIVE_RUN, type LiveRunEvent } from './live.ts';

/**
 * Writes what a run event carries into the normalized cache, without a request: the run's
 * fields, its step's fields, and the event as the newest line of the run's history wherever
 * that history is loaded. Returns false when the event names a step the cached run does not
 * list: a new row that only a refetch can bring.
 */
export function writeRunEvent(cache: ApolloCache, event: LiveRunEvent): boolean {
  const run = cache.identify({ __typename: 'Run', id: event.run.id });
  cache.writeFragment({ id: run, fragment: LIVE_RUN, fragmentName: 'LiveRun', data: event.run });
  if (event.step) {
    const stepId = event.step.id;
    const listed = cache.readFragment({ id: run, fragment: RUN_STEPS, fragmentName: 'RunSteps' });
    if (listed && !listed.steps.some((step) => step.id === stepId)) return false;
    cache.writeFragment({ id: cache.identify({ __typename: 'StepRun', id: stepId }), fragment: STEP_ROW, fragmentName: 'StepRow', data: event.step });
  }
  cache.updateFragment({ id: run, fragment: RUN_HISTORY, fragmentName: 'RunHistory' }, (history) =>
    history === null || history.events.some((each) => each.seq === event.seq) ? history : { events: [...history.events, event] },
  );
  return true;
}
