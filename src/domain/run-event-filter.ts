import { selectsRunApartFromStatus, type RunSelection, type SelectableRun } from './history/run-selection.ts';

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
  const run = new RunOfEvent(event);
  if (!selectsRunApartFromStatus(selection, run)) return false;
  return selection.statuses === null || (event.kind === 'RUN' && (selection.statuses as readonly string[]).includes(event.to));
}

/** The event's run as a selection sees it; every subscriber judges every event, so the time is parsed only for a filter on it. */
class RunOfEvent implements SelectableRun {
  readonly id: string;
  readonly projectId: string;
  readonly workflowId: string;
  readonly trigger: string;
  private readonly createdAtText: string;

  constructor(event: SelectableRunEvent) {
    this.id = event.runId;
    this.projectId = event.projectId;
    this.workflowId = event.workflowId;
    this.trigger = event.trigger;
    this.createdAtText = event.runCreatedAt;
  }

  get createdAt(): Date {
    return new Date(this.createdAtText);
  }
}
