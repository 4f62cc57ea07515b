import type { AlertState } from '../../_gql/graphql.ts';
import { ALERT_STATE_LABELS } from '../../_lib/alert-filters.ts';

const COLORS: Record<AlertState, string> = {
  FIRING: 'var(--status-failed)',
  PENDING: 'var(--status-waiting)',
  RESOLVED: 'var(--status-succeeded)',
  INACTIVE: 'var(--status-queued)',
};

/** An alert's state as a coloured dot and its label, like run statuses. */
export function AlertStateBadge({ state }: { state: AlertState }) {
  return (
    <span className="status-badge" data-alert-state={state}>
      <span className="status-badge__dot" style={{ background: COLORS[state] }} aria-hidden="true" />
      {ALERT_STATE_LABELS[state]}
    </span>
  );
}
