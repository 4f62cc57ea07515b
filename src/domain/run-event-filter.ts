import type { RunStatus } from './status.ts';

/** The part of a RunFilter that can be judged from a RunEvent alone. */
export interface RunEventFilter {
  projectIds?: readonly string[] | null;
  workflowIds?: readonly string[] | null;
  statuses?: readonly RunStatus[] | null;
}

export interface FilterableRunEvent {
  kind: 'RUN' | 'STEP';
  projectId: string;
  workflowId: string;
  to: string;
}

/** Status filters speak of runs, so they keep the RUN events that move a run INTO one of them. */
export function matchesRunEvent(filter: RunEventFilter, event: FilterableRunEvent): boolean {
  if (filter.projectIds?.length && !filter.projectIds.includes(event.projectId)) return false;
  if (filter.workflowIds?.length && !filter.workflowIds.includes(event.workflowId)) return false;
  if (filter.statuses?.length) {
    return event.kind === 'RUN' && (filter.statuses as readonly string[]).includes(event.to);
  }
  return true;
}
