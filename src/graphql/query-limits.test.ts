import { TEST_ENGINE } from '../test/compose.ts';
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

  it('applies both limits to operations over WebSocket, and answers client mistakes there with their codes', async () => {
    const client = server.wsClient();
    const firstErrors = (query: string, variables: Record<string, unknown> = {}) =>
      new Promise<unknown>((resolve) => {
        client.subscribe({ query, variables }, { next: () => undefined, error: resolve, complete: () => resolve(null) });
      });

    const tooDeep = await firstErrors('{ runs { edges { node { retryOf { retryOf { retryOf { id } } } } } } }');
    const tooCostly = await firstErrors('query ($first: Int) { runs(first: $first) { edges { node { steps { name } events { seq } } } } }', { first: 300 });

    const unparsable = await firstErrors('{ runs { ');
    const unknownField = await firstErrors('{ runs { colour } }');
    const badVariable = await firstErrors('query ($first: Int) { runs(first: $first) { totalCount } }', { first: 'abc' });

    expect(tooDeep).toEqual([expect.objectContaining({ message: expect.stringContaining('the limit is 6 (QUERY_MAX_DEPTH)') })]);
    expect(unparsable).toEqual([expect.objectContaining({ message: expect.stringContaining('Syntax Error'), extensions: { code: 'GRAPHQL_PARSE_FAILED' } })]);
    expect(unknownField).toEqual([expect.objectContaining({ message: expect.stringContaining('Cannot query field "colour"'), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })]);
    expect(badVariable).toEqual([expect.objectContaining({ message: expect.stringContaining('Int cannot represent'), extensions: { code: 'BAD_USER_INPUT' } })]);
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

  it('does not let a negative page size pay for the cost of other aliases', async () => {
    const counts = Array.from({ length: 300 }, (_, index) => `c${index}: runs(first: 1) { totalCount }`);
    const { status, body } = await server.query(`{ negative: runs(first: -1000000) { edges { node { id status } } } ${counts.join(' ')} }`);

    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 20_000 });
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

  it('answers a page of 500 runs with its counts: they are read once per page, not once per run', async () => {
    const { status, body } = await server.query('{ runs(first: 500) { totalCount statusCounts { status count } edges { cursor node { id status createdAt workflow { id name } } } } }');

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

describe('the response budget of one operation (RESPONSE_MAX_BYTES)', () => {
  const KIB = 1024;
  let server: TestServer;
  let runId = '';
  beforeAll(async () => {
    server = await startTestServer('sqlite', { config: { queryLimits: { ...TEST_QUERY_LIMITS, responseMaxBytes: 256 * KIB }, engine: { ...TEST_ENGINE, stepLogMaxBytes: 1024 * KIB } } });
    const { body: projects } = await server.query<{ projects: { id: string }[] }>('{ projects { id } }');
    const { body: saved } = await server.query<{ saveWorkflow: { id: string } }>('mutation ($p: ID!, $y: String!) { saveWorkflow(projectId: $p, yaml: $y) { id } }', {
      p: projects.data?.projects[0]?.id,
      y: `name: loud\nsteps:\n  - name: a\n    command: "head -c ${200 * KIB} /dev/zero | tr '\\\\0' x"\n`,
    });
    const { body: triggered } = await server.query<{ triggerRun: { id: string } }>('mutation ($w: ID!) { triggerRun(workflowId: $w) { id } }', { w: saved.data?.saveWorkflow.id });
    runId = triggered.data?.triggerRun.id ?? '';
    let status = 'QUEUED';
    while (status !== 'SUCCEEDED' && status !== 'FAILED') {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = (await server.query<{ run: { status: string } }>('query ($id: ID!) { run(id: $id) { status } }', { id: runId })).body.data?.run.status ?? 'missing';
    }
  });
  afterAll(() => server.stop());

  it('refuses an operation whose reads of a step log would take its answer past the budget with RESPONSE_TOO_LARGE, and answers one within it', async () => {
    const read = (alias: string) => `${alias}: stepLog(runId: $r, step: "a", limit: ${128 * KIB}) { content }`;
    const within = await server.query<Record<string, { content: string }>>(`query ($r: ID!) { ${read('one')} ${read('two')} }`, { r: runId });
    const { body } = await server.query(`query ($r: ID!) { ${read('one')} ${read('two')} ${read('three')} }`, { r: runId });

    expect(Object.values(within.body.data ?? {}).map((chunk) => chunk.content.length)).toEqual([128 * KIB, 128 * KIB]);
    // A log piece is never null, so the refusal of one is the refusal of the whole answer.
    expect(body.data).toBeNull();
    expect(body.errors).toEqual([
      expect.objectContaining({ message: expect.stringContaining(`past ${256 * KIB} bytes (RESPONSE_MAX_BYTES)`), extensions: { code: 'RESPONSE_TOO_LARGE', limit: 256 * KIB } }),
    ]);
  });

  it('gives back what a short read did not need: reading the rest after a full piece fits', async () => {
    const { body } = await server.query<Record<string, { content: string } | null>>(
      `query ($r: ID!) { head: stepLog(runId: $r, step: "a", limit: ${128 * KIB}) { content } tail: stepLog(runId: $r, step: "a", offset: ${128 * KIB}, limit: ${120 * KIB}) { content } }`,
      { r: runId },
    );

    expect(body.errors).toBeUndefined();
    expect(body.data?.tail?.content.length).toBe(72 * KIB);
  });

  it('counts the definition a page of runs repeats in every edge', async () => {
    const { body: projects } = await server.query<{ projects: { id: string }[] }>('{ projects { id } }');
    const padding = `# ${'x'.repeat(1_000)}\n`.repeat(60);
    const { body: saved } = await server.query<{ saveWorkflow: { id: string } }>('mutation ($p: ID!, $y: String!) { saveWorkflow(projectId: $p, yaml: $y) { id } }', {
      p: projects.data?.projects[0]?.id,
      y: `name: wordy\nsteps:\n  - name: a\n    command: "true"\n${padding}`,
    });
    const workflowId = saved.data?.saveWorkflow.id;
    for (let index = 0; index < 5; index += 1) await server.query('mutation ($w: ID!) { triggerRun(workflowId: $w) { id } }', { w: workflowId });
    const page = (first: number) => server.query(`query ($w: [ID!]) { runs(first: ${first}, filter: { workflowIds: $w }) { edges { node { workflow { definition } } } } }`, { w: [workflowId] });

    const within = await page(3);
    const past = await page(5);

    expect(within.body.errors).toBeUndefined();
    expect(past.body.errors?.[0]).toMatchObject({ message: expect.stringContaining('The definition of workflow wordy would take the answer past'), extensions: { code: 'RESPONSE_TOO_LARGE' } });
  });
});
