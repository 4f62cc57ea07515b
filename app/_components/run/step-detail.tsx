import type { StepRowFragment } from '../../_gql/graphql.ts';
import { formatDateTime, formatDuration } from '../../_lib/format.ts';
import { stepAttempts, type AttemptEvent } from '../../_lib/step-attempts.ts';
import { statusLabel } from '../../_lib/statuses.ts';
import { StepStatusBadge } from '../status-badge.tsx';

/** What went on in one step: its status, exit code and error, and each attempt with its timing. */
export function StepDetail({ step, events }: { step: StepRowFragment; events: readonly AttemptEvent[] }) {
  const attempts = stepAttempts(events, step.name);
  return (
    <div className="step-detail" aria-label={`Step ${step.name}`} role="region">
      <h3 className="step-detail__title">
        {step.name} <StepStatusBadge status={step.status} />
      </h3>
      <dl className="facts facts--compact">
        <div>
          <dt>Exit code</dt>
          <dd className="mono">{step.exitCode ?? '—'}</dd>
        </div>
        <div>
          <dt>Attempts</dt>
          <dd>{step.attempt}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{step.startedAt && step.finishedAt ? formatDuration(Date.parse(step.finishedAt) - Date.parse(step.startedAt)) : '—'}</dd>
        </div>
      </dl>
      {step.error && (
        <p className="notice notice--error step-detail__error" role="status">
          {step.error}
        </p>
      )}
      {attempts.length > 0 && (
        <table className="attempts">
          <caption className="visually-hidden">Attempts of step {step.name}</caption>
          <thead>
            <tr>
              <th scope="col">Attempt</th>
              <th scope="col">Started</th>
              <th scope="col">Took</th>
              <th scope="col">Ended</th>
            </tr>
          </thead>
          <tbody>
            {attempts.map((attempt) => (
              <tr key={attempt.number}>
                <td>{attempt.number}</td>
                <td>{formatDateTime(attempt.startedAt)}</td>
                <td>{attempt.durationMs === null ? 'running' : formatDuration(attempt.durationMs)}</td>
                <td>
                  {attempt.endedAt ? statusLabel(attempt.outcome) : '—'}
                  {attempt.message && <span className="muted"> · {attempt.message}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
