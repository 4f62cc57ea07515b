'use client';

import { useMutation } from '@apollo/client/react';
import { useState } from 'react';
import { graphql } from '../../_gql/index.ts';

const ACKNOWLEDGE = graphql(`
  mutation AcknowledgeAlert($id: ID!) {
    acknowledgeAlert(id: $id) {
      id
      acknowledgedBy
      acknowledgedAt
    }
  }
`);

/** Takes a firing alert in hand; rendered only for OPERATORs (the server checks again). */
export function AcknowledgeButton({ alertId }: { alertId: string }) {
  const [problem, setProblem] = useState<string | null>(null);
  const [acknowledge, { loading }] = useMutation(ACKNOWLEDGE, { onError: (error) => setProblem(error.message), refetchQueries: ['AlertsPage'] });
  return (
    <>
      <button type="button" className="button button--small" disabled={loading} onClick={() => void acknowledge({ variables: { id: alertId } })}>
        {loading ? 'Acknowledging…' : 'Acknowledge'}
      </button>
      {problem && (
        <p className="notice notice--error" role="alert">
          {problem}
        </p>
      )}
    </>
  );
}
