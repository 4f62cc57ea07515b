import type { LiveRunEvent } from './live-run-events-card.tsx';
import { StatusTransition } from './status-transition.tsx';

export function RunEventList({ events }: { events: readonly LiveRunEvent[] }) {
  if (events.length === 0) {
    return <p className="muted">Waiting for runs to change status…</p>;
  }
  return (
    <ol className="event-list">
      {events.map((event) => (
        <li key={event.seq} className="event-list__item">
          <time className="event-list__time" dateTime={event.at}>
            {new Date(event.at).toLocaleTimeString()}
          </time>
          <span className="badge">{event.kind === 'RUN' ? 'Run' : 'Step'}</span>
          <code className="event-list__run">{event.run.id}</code>
          <StatusTransition from={event.from} to={event.to} />
          <span className="event-list__seq muted">#{event.seq}</span>
        </li>
      ))}
    </ol>
  );
}
