import { serverAudits } from 'graphql-http';
import { startTestServer, type TestServer } from '../test/test-server.ts';

describe('GraphQL over HTTP conformance (graphql-http audits)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer('sqlite');
  });
  afterAll(async () => {
    await server.stop();
  });

  const audits = serverAudits({
    url: () => server.graphqlUrl,
    // Every request carries the admin token: the audits are about the protocol, not auth.
    fetchFn: (input: RequestInfo | URL, init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${server.adminToken}`);
      return fetch(input, { ...init, headers });
    },
  });

  it.each(audits.filter((audit) => audit.name.startsWith('MUST')).map((audit) => [audit.name, audit] as const))('%s', async (_name, audit) => {
    const result = await audit.fn();

    expect(result).toMatchObject({ status: 'ok' });
  });
});
