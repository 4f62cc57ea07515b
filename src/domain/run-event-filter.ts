import { selectsRunApartFromStatus, type RunSelection } from './history/run-selection.ts';

/** What a subscription filter judges an event by: the event, and its run's fixed fields. */
export interface SelectableRunEvent {
  kind: string;
  runId: string;
  projectId: string;
  workflowId: string;
  to: string;
  trigger: string;
  runCreatedAt: string;
}

/**
 * An event is streamed when its run is selected; a status filter speaks of runs, so it keeps
 * the RUN events that move a run INTO one of the statuses (and no STEP events).
 */
export function selectsRunEvent(selection: RunSelection, event: SelectableRunEvent): boolean {
  const run = { id: event.runId, projectId: event.projectId, workflowId: event.workflowId, trigger: event.trigger, createdAt: new Date(event.runCreatedAt) };
  if (!selectsRunApartFromStatus(selection, run)) return false;
  return selection.statuses === null || (event.kind === 'RUN' && (selection.statuses as readonly string[]).includes(event.to));
}
