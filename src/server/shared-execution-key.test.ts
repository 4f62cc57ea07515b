import { buildSchema, parse } from 'graphql';
import { sharedExecutionKey } from './shared-execution-key.ts';

const schema = buildSchema(`
  type Step { name: String! }
  type Run { id: ID! steps(first: Int): [Step!]! }
  type Event { seq: String! run: Run! }
  type Query { ok: Boolean }
  type Subscription { events(afterSeq: String, filter: String): Event! }
`);

function key(query: string, variableValues: Record<string, unknown>): string {
  return sharedExecutionKey({ schema, document: parse(query), variableValues });
}

describe('sharedExecutionKey', () => {
  const query = 'subscription ($afterSeq: String, $filter: String, $first: Int) { events(afterSeq: $afterSeq, filter: $filter) { seq run { steps(first: $first) { name } } } }';

  it('is the same for subscriptions that differ only in the root field arguments', () => {
    expect(key(query, { afterSeq: '10', filter: 'a', first: 2 })).toBe(key(query, { afterSeq: '99', filter: 'b', first: 2 }));
  });

  it('differs when a variable used in the selection differs', () => {
    expect(key(query, { afterSeq: '10', first: 2 })).not.toBe(key(query, { afterSeq: '10', first: 3 }));
  });

  it('differs for another selection', () => {
    expect(key('subscription { events { seq } }', {})).not.toBe(key('subscription { events { seq run { id } } }', {}));
  });
});
