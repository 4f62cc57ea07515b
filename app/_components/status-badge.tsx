import type { RunStatus, StepStatus } from '../_gql/graphql.ts';
import { RUN_STATUSES, STEP_STATUSES, type StatusLook } from '../_lib/statuses.ts';

function Badge({ status, look }: { status: string; look: StatusLook }) {
  return (
    <span className="status-badge" data-status={status} title={look.description}>
      <span className="status-badge__dot" style={{ background: look.color }} aria-hidden="true" />
      {look.label}
    </span>
  );
}

/** A status as a coloured dot and its label: colour is never the only signal. */
export function RunStatusBadge({ status }: { status: RunStatus }) {
  return <Badge status={status} look={RUN_STATUSES[status]} />;
}

export function StepStatusBadge({ status }: { status: StepStatus }) {
  return <Badge status={status} look={STEP_STATUSES[status]} />;
}
