import { graphql } from '../../_gql/index.ts';
import type { RunHistoryEventFragment } from '../../_gql/graphql.ts';
import { DateTime } from '../date-time.tsx';
import { statusLabel } from '../../_lib/statuses.ts';

/** One line of a run's status history, loaded with the run and pushed live as it happens. */
export const RUN_HISTORY_EVENT = graphql(`
  fragment RunHistoryEvent on RunEvent {
    seq
    at
    kind
    from
    to
    message
    actor
    step {
      id
      name
    }
  }
`);

/** A run's status history, as the run page shows it. */
export const RUN_HISTORY = graphql(`
  fragment RunHistory on Run {
    events {
      ...RunHistoryEvent
    }
  }
`);

/** Every status change of a run and of its steps, oldest first, with who made it. */
export function RunHistory({ events }: { events: readonly RunHistoryEventFragment[] }) {
  return (
    <ol className="history" aria-label="Status changes, oldest first">
      {events.map((event) => (
        <li key={event.seq} className="history__item">
          <DateTime iso={event.at} className="muted" />
          <span>
            {event.step ? `Step ${event.step.name}` : 'Run'}: {statusLabel(event.from) ?? 'created'} → {statusLabel(event.to)}
          </span>
          {event.actor && <span className="history__actor">by {event.actor}</span>}
          {event.message && <span className="muted history__message">{event.message}</span>}
        </li>
      ))}
    </ol>
  );
}
