import { startTestServer, type TestServer } from '../test/test-server.ts';

describe('query depth and complexity limits', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('sqlite', { config: { queryLimits: { maxDepth: 6, maxComplexity: 2_000 } } });
  });
  afterAll(() => server.stop());

  it('answers an operation within both limits', async () => {
    const { status, body } = await server.query('{ runs(first: 20) { edges { node { id workflow { name } } } } }');
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
  });

  it('refuses an operation nested deeper than QUERY_MAX_DEPTH, naming both depths', async () => {
    const { body } = await server.query('{ runs { edges { node { retryOf { retryOf { retryOf { id } } } } } } }');
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/nested 7 levels deep; the limit is 6 \(QUERY_MAX_DEPTH\)/),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 6, depth: 7 },
    });
  });

  it('counts fragments towards the depth', async () => {
    const { body } = await server.query('{ runs { ...deep } } fragment deep on RunConnection { edges { node { retryOf { retryOf { retryOf { id } } } } } }');
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 6 });
  });

  it('refuses a page whose estimated cost exceeds QUERY_MAX_COMPLEXITY, counting the page size from variables', async () => {
    const query = 'query ($first: Int) { runs(first: $first) { edges { node { id steps { name status } events { seq to } } } } }';
    const small = await server.query(query, { first: 5 });
    const large = await server.query(query, { first: 200 });

    expect(small.body.errors).toBeUndefined();
    expect(large.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/estimated cost is \d+; the limit is 2000 \(QUERY_MAX_COMPLEXITY\)/),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 2_000 },
    });
  });

  it('applies both limits to operations over WebSocket', async () => {
    const client = server.wsClient();
    const firstErrors = (query: string, variables: Record<string, unknown> = {}) =>
      new Promise<unknown>((resolve) => {
        client.subscribe({ query, variables }, { next: () => undefined, error: resolve, complete: () => resolve(null) });
      });

    const tooDeep = await firstErrors('{ runs { edges { node { retryOf { retryOf { retryOf { id } } } } } } }');
    const tooCostly = await firstErrors('query ($first: Int) { runs(first: $first) { edges { node { steps { name } events { seq } } } } }', { first: 300 });

    expect(tooDeep).toEqual([expect.objectContaining({ message: expect.stringContaining('the limit is 6 (QUERY_MAX_DEPTH)') })]);
    expect(tooCostly).toEqual([expect.objectContaining({ message: expect.stringContaining('the limit is 2000 (QUERY_MAX_COMPLEXITY)') })]);
  });
});
