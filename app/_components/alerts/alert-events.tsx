import type { AlertRowFragment } from '../../_gql/graphql.ts';
import { ALERT_STATE_LABELS } from '../../_lib/alert-filters.ts';
import { formatDateTime } from '../../_lib/format.ts';

/** An alert's transitions, newest first, as the server keeps them. */
export function AlertEvents({ events }: { events: AlertRowFragment['events'] }) {
  if (events.length === 0) return <p className="muted">No transitions recorded.</p>;
  return (
    <ol className="history alert-events">
      {events.map((event) => (
        <li key={event.seq} className="history__item">
          <time dateTime={event.at}>{formatDateTime(event.at)}</time> {event.from ? ALERT_STATE_LABELS[event.from] : 'New'} → {ALERT_STATE_LABELS[event.to]}
          {event.actor && <span className="history__actor"> by {event.actor}</span>}
          {event.message && <span className="muted"> — {event.message}</span>}
        </li>
      ))}
    </ol>
  );
}
