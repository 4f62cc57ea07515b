import { buildSchema, execute, GraphQLError, parse, validate, type DocumentNode } from 'graphql';
import { combineQueries, type QueryPart } from './combined-operation.ts';

const schema = buildSchema(`
  type Run { id: ID!, status: String!, workflow: Workflow! }
  type Workflow { id: ID!, name: String! }
  type Query {
    runs(first: Int, status: String): [Run!]!
    workflows(first: Int): [Workflow!]!
    viewer: String!
    broken: String
  }
`);

const WORKFLOWS = [
  { id: 'wf_1', name: 'nightly' },
  { id: 'wf_2', name: 'deploy' },
];
const RUNS = [
  { id: 'run_1', status: 'SUCCESS', workflow: WORKFLOWS[0] },
  { id: 'run_2', status: 'FAILED', workflow: WORKFLOWS[1] },
  { id: 'run_3', status: 'FAILED', workflow: WORKFLOWS[0] },
];
const root = {
  runs: ({ first, status }: { first?: number; status?: string }) => RUNS.filter((run) => !status || run.status === status).slice(0, first ?? RUNS.length),
  workflows: ({ first }: { first?: number }) => WORKFLOWS.slice(0, first ?? WORKFLOWS.length),
  viewer: () => 'alice',
  broken: () => {
    throw new GraphQLError('broken on purpose');
  },
};

function run(document: DocumentNode, variables: Record<string, unknown>) {
  const invalid = validate(schema, document);
  if (invalid.length > 0) throw new Error(invalid.map((error) => error.message).join('; '));
  const result = execute({ schema, document, rootValue: root, variableValues: variables });
  if ('then' in result) throw new Error('the test schema answers synchronously');
  return {
    data: result.data ?? null,
    errors: (result.errors ?? []).map((error) => ({ message: error.message, ...(error.path ? { path: error.path } : {}) })),
  };
}

function answered(parts: QueryPart[]) {
  const combined = combineQueries(parts);
  if (!combined) throw new Error('the parts were not combined');
  const { data, errors } = run(parse(combined.query), combined.variables);
  return combined.split(data, errors);
}

describe('queries of one render asked as one operation', () => {
  it('gives each query the answer it would get alone, even where their variables and fields share names', () => {
    const failedRuns: QueryPart = {
      document: parse('query A($first: Int, $status: String) { runs(first: $first, status: $status) { ...Row } viewer }  fragment Row on Run { id workflow { name } }'),
      variables: { first: 5, status: 'FAILED' },
    };
    const firstRun: QueryPart = { document: parse('query B($first: Int) { runs(first: $first) { ...Row status } }  fragment Row on Run { id workflow { name } }'), variables: { first: 1 } };
    const workflows: QueryPart = { document: parse('query C { names: workflows { name } }'), variables: {} };

    const parts = answered([failedRuns, firstRun, workflows]);

    expect(parts).toEqual([run(failedRuns.document, failedRuns.variables), run(firstRun.document, firstRun.variables), run(workflows.document, workflows.variables)]);
    expect(parts[0]?.data).toEqual({
      runs: [
        { id: 'run_2', workflow: { name: 'deploy' } },
        { id: 'run_3', workflow: { name: 'nightly' } },
      ],
      viewer: 'alice',
    });
  });

  it('gives a field error to the query that asked for the field only', () => {
    const [withError, without] = answered([
      { document: parse('query A { viewer broken }'), variables: {} },
      { document: parse('query B { viewer }'), variables: {} },
    ]);

    expect(withError).toEqual({ data: { viewer: 'alice', broken: null }, errors: [{ message: 'broken on purpose', path: ['broken'] }] });
    expect(without).toEqual({ data: { viewer: 'alice' }, errors: [] });
  });

  it('gives an error of the whole request to every query', () => {
    const combined = combineQueries([
      { document: parse('query A { viewer }'), variables: {} },
      { document: parse('query B { workflows { id } }'), variables: {} },
    ]);

    const parts = combined?.split(undefined, [{ message: 'Authentication required', extensions: { code: 'UNAUTHENTICATED' } }]);

    expect(parts).toEqual([
      { data: null, errors: [{ message: 'Authentication required', extensions: { code: 'UNAUTHENTICATED' } }] },
      { data: null, errors: [{ message: 'Authentication required', extensions: { code: 'UNAUTHENTICATED' } }] },
    ]);
  });

  it.each([
    ['a mutation', 'mutation M { viewer }'],
    ['a fragment at the root', 'query A { ...Root }  fragment Root on Query { viewer }'],
    ['a fragment that reads a variable', 'query A($first: Int) { workflows { ...W } }  fragment W on Workflow { id name @include(if: true) } fragment V on Query { runs(first: $first) { id } }'],
    ['a fragment of the same name and other fields', 'query A { runs { ...Row } }  fragment Row on Run { status }'],
  ])('does not combine %s: each is asked alone', (_what, query) => {
    const other: QueryPart = { document: parse('query B { runs { ...Row } }  fragment Row on Run { id }'), variables: {} };

    expect(combineQueries([other, { document: parse(query), variables: {} }])).toBeNull();
  });
});
