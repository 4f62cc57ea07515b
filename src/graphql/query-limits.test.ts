import { startTestServer, TEST_QUERY_LIMITS, type TestServer } from '../test/test-server.ts';

describe('query depth and complexity limits', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('sqlite', { config: { queryLimits: { ...TEST_QUERY_LIMITS, maxDepth: 6, maxComplexity: 2_000 } } });
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

    const unparsable = await firstErrors('{ runs { ');

    expect(tooDeep).toEqual([expect.objectContaining({ message: expect.stringContaining('the limit is 6 (QUERY_MAX_DEPTH)') })]);
    expect(unparsable).toEqual([expect.objectContaining({ message: expect.stringContaining('Syntax Error'), extensions: { code: 'GRAPHQL_PARSE_FAILED' } })]);
    expect(tooCostly).toEqual([expect.objectContaining({ message: expect.stringContaining('the limit is 2000 (QUERY_MAX_COMPLEXITY)') })]);
  });
});

describe('the cost of counts, trends and logs, at the default limit', () => {
  let server: TestServer;
  beforeAll(async () => {
    // Tokens enough for 2,000 aliases to reach the cost estimate (by default the parser stops them first).
    server = await startTestServer('sqlite', { config: { queryLimits: { ...TEST_QUERY_LIMITS, maxTokens: 100_000 } } });
  });
  afterAll(() => server.stop());

  it('refuses 2,000 aliases of counts over distinct filters, with the estimated cost', async () => {
    const aliases = Array.from({ length: 2_000 }, (_, index) => `c${index}: runs(first: 1, filter: { search: "w${index}" }) { totalCount statusCounts { count } }`);
    const { status, body } = await server.query(`{ ${aliases.join(' ')} }`);

    expect(status).toBe(400);
    expect(body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/estimated cost is \d+; the limit is 20000 \(QUERY_MAX_COMPLEXITY\)/),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 20_000, complexity: expect.any(Number) },
    });
    expect(body.errors?.[0]?.extensions?.complexity).toBeGreaterThan(400_000);
  });

  it('answers the dashboard: two pages of runs, a count, the counts by status and a trend of 30 days by hour', async () => {
    const now = Date.now();
    const { status, body } = await server.query(
      `query ($from: DateTime!, $to: DateTime!) {
        failures: runs(filter: { statuses: [FAILED] }, first: 5) { edges { node { ...Row error } } }
        active: runs(filter: { statuses: [RUNNING, QUEUED] }, first: 10) { totalCount edges { node { ...Row } } }
        counts: runStatusCounts(filter: { createdAfter: $from }) { total snapshot byStatus { status count } }
        runStatusTrend(bucket: HOUR, from: $from, to: $to) { start counts { status count } }
      }
      fragment Row on Run { id status trigger createdAt startedAt finishedAt durationMs attempt workflow { id name } project { id name } }`,
      { from: new Date(now - 30 * 24 * 3_600_000).toISOString(), to: new Date(now).toISOString() },
    );

    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
  });

  it('counts a step log by the bytes it may return: 300 aliases of 1 MiB are refused, one is answered', async () => {
    const aliases = Array.from({ length: 300 }, (_, index) => `l${index}: stepLog(runId: "run_x", step: "a", limit: 1048576) { content }`);
    const many = await server.query(`{ ${aliases.join(' ')} }`);
    const one = await server.query('{ stepLog(runId: "run_x", step: "a", limit: 1048576) { content } }');

    expect(many.status).toBe(400);
    expect(many.body.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 20_000 });
    expect(one.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
