import type { LiveRunEvent } from './live-run-events-card.tsx';
import { StatusTransition } from './status-transition.tsx';

export function LatestRunEvent({ event }: { event: LiveRunEvent }) {
  return (
    <span className="latest-event">
      <span>
        seq <code>{event.seq}</code>
      </span>
      <span>
        run <code>{event.run.id}</code>
      </span>
      <StatusTransition from={event.from} to={event.to} />
    </span>
  );
}
