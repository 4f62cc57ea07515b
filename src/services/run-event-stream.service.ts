import { filter, pipe } from '@graphql-yoga/subscription';
import { canReadProject, type Principal } from '../auth/principal.ts';
import { AppError } from '../domain/errors.ts';
import type { RunFilterSpec } from '../domain/run-filter.ts';
import { matchesRunEvent } from '../domain/run-event-filter.ts';
import type { RunEventBus } from '../events/run-event-bus.ts';
import type { RunEventMessage } from '../events/run-event-message.ts';

// Judging these needs the run row, not just the event; they arrive with the live-history work.
const NOT_YET_SUPPORTED = ['workflowNames', 'triggers', 'createdAfter', 'createdBefore', 'search', 'includeArchived'] as const;

export class RunEventStreamService {
  constructor(private readonly deps: { bus: RunEventBus }) {}

  /** Live events matching the filter, each checked against what the subscriber may read. */
  subscribe(principal: Principal, runFilter: RunFilterSpec, afterSeq: string | null): AsyncIterable<RunEventMessage> {
    const unsupported = NOT_YET_SUPPORTED.filter((field) => runFilter[field] !== undefined && runFilter[field] !== null);
    if (unsupported.length > 0) {
      throw new AppError(
        'BAD_USER_INPUT',
        `runEvents does not support filter.${unsupported.join(', filter.')} yet; supported: projectIds, workflowIds, statuses`,
        { argument: 'filter' },
      );
    }
    if (afterSeq !== null) {
      throw new AppError('BAD_USER_INPUT', 'runEvents does not resume from afterSeq yet; subscribe without it and refetch', {
        argument: 'afterSeq',
      });
    }
    const unreadable = (runFilter.projectIds ?? []).filter((projectId) => !canReadProject(principal, projectId));
    if (unreadable.length > 0) {
      throw new AppError('FORBIDDEN', `You may not read project ${unreadable.join(', ')}`, { argument: 'filter.projectIds' });
    }
    return pipe(
      this.deps.bus.subscribe(),
      filter((event: RunEventMessage) => canReadProject(principal, event.projectId) && matchesRunEvent(runFilter, event)),
    );
  }
}
