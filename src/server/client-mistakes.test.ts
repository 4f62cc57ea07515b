import { Writable } from 'node:stream';
import pino from 'pino';
import { startTestServer, TEST_QUERY_LIMITS, type TestServer } from '../test/test-server.ts';

interface Mistake {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  /** Sent without credentials. */
  anonymous?: boolean;
  code: string;
  message: RegExp;
}

const RUNS_FIRST = 'query ($first: Int) { runs(first: $first) { totalCount } }';
const RUNS_FILTER = 'query ($filter: RunFilter) { runs(filter: $filter, first: 1) { totalCount } }';
const LOGIN = 'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { expiresAt } }';

const MISTAKES: Mistake[] = [
  { name: 'a string for an Int', query: RUNS_FIRST, variables: { first: 'abc' }, code: 'BAD_USER_INPUT', message: /\$first.*Int cannot represent/ },
  { name: 'an Int past 32 bits', query: RUNS_FIRST, variables: { first: 2_147_483_648 }, code: 'BAD_USER_INPUT', message: /\$first.*non 32-bit signed integer/ },
  { name: 'an unknown enum value', query: RUNS_FILTER, variables: { filter: { statuses: ['SOMETIMES'] } }, code: 'BAD_USER_INPUT', message: /Value "SOMETIMES" does not exist in "RunStatus" enum/ },
  { name: 'an unknown input field', query: RUNS_FILTER, variables: { filter: { colour: 'red' } }, code: 'BAD_USER_INPUT', message: /Field "colour" is not defined by type "RunFilter"/ },
  { name: 'an invalid DateTime', query: RUNS_FILTER, variables: { filter: { createdAfter: 'yesterday' } }, code: 'BAD_USER_INPUT', message: /\$filter.*createdAfter/ },
  { name: 'a missing required variable', query: 'query ($id: ID!) { run(id: $id) { id } }', code: 'BAD_USER_INPUT', message: /\$id" of required type "ID!" was not provided/ },
  { name: 'a login without credentials missing its password', query: LOGIN, variables: { u: 'admin' }, anonymous: true, code: 'BAD_USER_INPUT', message: /\$p" of required type "String!" was not provided/ },
  {
    name: 'an operation over the cost limit',
    query: `{ ${Array.from({ length: 300 }, (_, index) => `a${index}: runs(first: 1) { totalCount }`).join(' ')} }`,
    code: 'GRAPHQL_VALIDATION_FAILED',
    message: /estimated cost is \d+; the limit is 20000 \(QUERY_MAX_COMPLEXITY\)/,
  },
  {
    name: 'an operation over the node count',
    query: `{ ${Array.from({ length: 10_001 }, (_, index) => `a${index}: __typename`).join(' ')} }`,
    code: 'GRAPHQL_VALIDATION_FAILED',
    message: /selects more than 10000 fields/,
  },
  {
    name: 'a document over the token limit',
    query: `{ ${Array.from({ length: 15_000 }, (_, index) => `a${index}: __typename`).join(' ')} }`,
    code: 'GRAPHQL_PARSE_FAILED',
    message: /more than 40000 tokens, the limit \(QUERY_MAX_TOKENS\)/,
  },
];

describe('client mistakes over HTTP', () => {
  const logged: Record<string, unknown>[] = [];
  let server: TestServer;

  beforeAll(async () => {
    const lines = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        logged.push(...chunk.toString().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>));
        callback();
      },
    });
    // Tokens enough for an operation past the node count.
    server = await startTestServer('sqlite', { logger: pino({ level: 'info' }, lines), config: { queryLimits: { ...TEST_QUERY_LIMITS, maxTokens: 40_000 } } });
  });
  afterAll(() => server.stop());

  it.each(MISTAKES.map((mistake) => [mistake.name, mistake] as const))('answers %s with 400 and its code, and logs it below error level', async (_name, mistake) => {
    const errorsBefore = logged.filter((entry) => Number(entry.level) >= 50).length;

    const { status, body } = await server.query(mistake.query, mistake.variables, mistake.anonymous ? null : server.adminToken);

    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]).toMatchObject({ message: expect.stringMatching(mistake.message), extensions: { code: mistake.code } });
    expect(logged.filter((entry) => Number(entry.level) >= 50).slice(errorsBefore)).toEqual([]);
    expect(logged).toContainEqual(expect.objectContaining({ msg: 'graphql.client_error', code: mistake.code, level: 30 }));
  });

  it('still refuses a caller without credentials before looking at its variables', async () => {
    const { status, body } = await server.query(RUNS_FIRST, { first: 'abc' }, null);

    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
