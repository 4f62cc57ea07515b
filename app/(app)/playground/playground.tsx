'use client';

import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { createClient } from 'graphql-ws';
import { useEffect, useMemo } from 'react';
import 'graphiql/style.css';

const DEFAULT_QUERY = `# Runtrail's GraphQL API, as you: your session cookie goes with every request.
# Subscriptions stream over WebSocket (graphql-ws). Try:
#
# subscription { runEvents { seq kind from to run { id workflow { name } } } }

query Overview {
  viewer { username memberships { role project { slug } } }
  runStatusCounts { total byStatus { status count } }
  runs(first: 5) { edges { node { id status workflow { name } createdAt } } }
}
`;

/** GraphiQL from npm (no CDN), with queries over HTTP and subscriptions over graphql-ws, both signed in by the cookie. */
export function Playground() {
  const { fetcher, wsClient } = useMemo(() => {
    const protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    const client = createClient({ url: `${protocol}//${window.location.host}/graphql`, lazy: true });
    return { wsClient: client, fetcher: createGraphiQLFetcher({ url: '/graphql', wsClient: client }) };
  }, []);
  useEffect(() => () => void wsClient.dispose(), [wsClient]);
  return (
    <div className="playground">
      <GraphiQL fetcher={fetcher} defaultQuery={DEFAULT_QUERY} />
    </div>
  );
}
