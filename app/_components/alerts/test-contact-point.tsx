'use client';

import { useMutation } from '@apollo/client/react';
import { useState } from 'react';
import { graphql } from '../../_gql/index.ts';

const TEST_CONTACT_POINT = graphql(`
  mutation TestContactPoint($id: ID!) {
    testContactPoint(id: $id) {
      ok
      statusCode
      error
      durationMs
    }
  }
`);

/** Sends a test notice and says what the endpoint made of it. */
export function TestContactPoint({ contactPointId }: { contactPointId: string }) {
  const [outcome, setOutcome] = useState<string | null>(null);
  const [test, { loading }] = useMutation(TEST_CONTACT_POINT, {
    refetchQueries: ['ContactPointDeliveries'],
    onError: (error) => setOutcome(`Not sent: ${error.message}`),
    onCompleted: ({ testContactPoint: result }) => {
      const code = result.statusCode === null ? '' : ` (${result.statusCode})`;
      setOutcome(result.ok ? `Delivered${code} in ${result.durationMs} ms` : `Failed${code}: ${result.error ?? 'no answer'}`);
    },
  });
  return (
    <span className="alerts-table__actions">
      <button type="button" className="button button--secondary button--small" disabled={loading} onClick={() => void test({ variables: { id: contactPointId } })}>
        {loading ? 'Testing…' : 'Test'}
      </button>
      {outcome && <span role="status">{outcome}</span>}
    </span>
  );
}
