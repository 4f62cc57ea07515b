'use client';

import { useMutation } from '@apollo/client/react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { graphql } from '../../_gql/index.ts';
import type { RunStatus } from '../../_gql/graphql.ts';
import { isActiveRunStatus } from '../../_lib/statuses.ts';

const CANCEL = graphql(`
  mutation CancelRun($id: ID!) {
    cancelRun(id: $id) {
      id
      status
    }
  }
`);

const RETRY = graphql(`
  mutation RetryRun($id: ID!, $fromFailedStep: Boolean) {
    retryRun(id: $id, fromFailedStep: $fromFailedStep) {
      id
    }
  }
`);

const APPROVE = graphql(`
  mutation ApproveStep($runId: ID!, $step: String!) {
    approveStep(runId: $runId, step: $step) {
      id
      status
    }
  }
`);

const REJECT = graphql(`
  mutation RejectStep($runId: ID!, $step: String!, $reason: String) {
    rejectStep(runId: $runId, step: $step, reason: $reason) {
      id
      status
    }
  }
`);

interface RunActionsProps {
  runId: string;
  status: RunStatus;
  /** Steps waiting for an approval. */
  waitingSteps: readonly string[];
  hasFailedStep: boolean;
}

/** What an OPERATOR may do to a run; rendered only for them (the server checks again). */
export function RunActions({ runId, status, waitingSteps, hasFailedStep }: RunActionsProps) {
  const router = useRouter();
  const [problem, setProblem] = useState<string | null>(null);
  const onError = (error: { message: string }) => setProblem(error.message);
  const [cancel, cancelling] = useMutation(CANCEL, { onError });
  const [retry, retrying] = useMutation(RETRY, { onError, onCompleted: (data) => router.push(`/runs/${data.retryRun.id}`) });
  const [approve] = useMutation(APPROVE, { onError });
  const [reject] = useMutation(REJECT, { onError });
  const active = isActiveRunStatus(status);

  return (
    <div className="run-actions">
      {active && (
        <button type="button" className="button button--danger" disabled={cancelling.loading} onClick={() => void cancel({ variables: { id: runId } })}>
          {cancelling.loading ? 'Cancelling…' : 'Cancel'}
        </button>
      )}
      {!active && (
        <button type="button" className="button" disabled={retrying.loading} onClick={() => void retry({ variables: { id: runId, fromFailedStep: false } })}>
          Retry
        </button>
      )}
      {!active && hasFailedStep && (
        <button type="button" className="button button--secondary" disabled={retrying.loading} onClick={() => void retry({ variables: { id: runId, fromFailedStep: true } })}>
          Retry from failed step
        </button>
      )}
      {waitingSteps.map((step) => (
        <span key={step} className="run-actions__approval">
          <button type="button" className="button" onClick={() => void approve({ variables: { runId, step } })}>
            Approve {step}
          </button>
          <button
            type="button"
            className="button button--danger"
            onClick={() => {
              const reason = window.prompt(`Why reject ${step}? (optional)`);
              if (reason !== null) void reject({ variables: { runId, step, reason: reason || null } });
            }}
          >
            Reject {step}
          </button>
        </span>
      ))}
      {problem && (
        <p className="notice notice--error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
