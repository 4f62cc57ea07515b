/** @jest-environment jsdom */
import { ApolloClient, ApolloLink, InMemoryCache } from '@apollo/client';
import { ApolloProvider, useQuery } from '@apollo/client/react';
import { render, screen } from '@testing-library/react';
import { Observable } from 'rxjs';
import type { ViewerQuery } from '../_gql/graphql.ts';
import { sameVariables, type ServerResult } from './server-result.ts';
import { useServerResult } from './use-server-result.ts';
import { VIEWER } from './viewer-query.ts';

// As the server's own /graphql answers the page on the server: with __typename everywhere.
const viewer = { __typename: 'User', id: 'usr_1', username: 'ada', displayName: 'Ada Lovelace', isAdmin: false, memberships: [] };
const projects = [{ __typename: 'Project', id: 'prj_1', slug: 'core', name: 'Core' }];
const viewerAnswer: ViewerQuery = { viewer, projects };

/** A client that records every request it is asked to send, and answers none. */
function recordingClient(): { client: ApolloClient; requests: string[] } {
  const requests: string[] = [];
  const link = new ApolloLink((operation) => {
    requests.push(operation.operationName ?? '');
    return new Observable(() => undefined);
  });
  return { client: new ApolloClient({ cache: new InMemoryCache(), link }), requests };
}

function ViewerName({ result }: { result: ServerResult<ViewerQuery, Record<string, never>> | null }) {
  useServerResult(VIEWER, {}, result);
  const { data } = useQuery(VIEWER);
  return <p>{data ? data.viewer.displayName : 'Loading…'}</p>;
}

describe('useServerResult', () => {
  it('shows the answer the server rendered with in the first render, without asking the server again', () => {
    const { client, requests } = recordingClient();

    render(
      <ApolloProvider client={client}>
        <ViewerName result={{ variables: {}, data: viewerAnswer }} />
      </ApolloProvider>,
    );

    expect(screen.getByText('Ada Lovelace')).toBeTruthy();
    expect(requests).toEqual([]);
  });

  it('asks the server when the page was rendered without an answer', () => {
    const { client, requests } = recordingClient();

    render(
      <ApolloProvider client={client}>
        <ViewerName result={null} />
      </ApolloProvider>,
    );

    expect(screen.getByText('Loading…')).toBeTruthy();
    expect(requests).toEqual(['Viewer']);
  });
});

describe('sameVariables', () => {
  it('compares variables by value, whatever the order of their keys and the keys left undefined', () => {
    expect(sameVariables({ filter: { statuses: ['FAILED'], projectIds: ['p'] }, first: 50, after: undefined }, { first: 50, filter: { projectIds: ['p'], statuses: ['FAILED'] } })).toBe(true);
  });

  it('tells apart variables that ask for something else', () => {
    expect(sameVariables({ filter: { createdAfter: '2026-12-07T08:00:00.000Z' } }, { filter: { createdAfter: '2026-12-07T08:00:01.000Z' } })).toBe(false);
    expect(sameVariables({ first: 50, after: null }, { first: 50 })).toBe(false);
  });
});
