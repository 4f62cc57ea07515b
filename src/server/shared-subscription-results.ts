import { createSourceEventStream, execute, type ExecutionArgs, type ExecutionResult } from 'graphql';

type OperationResult = Promise<AsyncIterable<ExecutionResult> | ExecutionResult> | AsyncIterable<ExecutionResult> | ExecutionResult;

/**
 * graphql-ws's `subscribe`, executing each event once per (operation, variables) rather than
 * once per subscriber: a thousand clients watching the same stream receive the same event
 * object from the feed, so the result of the first execution serves the others. What a
 * subscription selects of an event (its run, its step) is the same for every caller allowed
 * to see the event, and whether they are is decided before the event reaches the stream.
 */
export function sharedResultsSubscribe(args: ExecutionArgs): OperationResult {
  return subscribeShared(args);
}

const resultsByEvent = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();

async function subscribeShared(args: ExecutionArgs): Promise<AsyncIterable<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!isAsyncIterable(source)) return source;
  const operationKey = `${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}\u0000${printKey(args)}`;
  return mapEvents(source, (event) => {
    if (typeof event !== 'object' || event === null) return Promise.resolve(execute({ ...args, rootValue: event }) as ExecutionResult);
    let results = resultsByEvent.get(event);
    if (!results) {
      results = new Map();
      resultsByEvent.set(event, results);
    }
    let result = results.get(operationKey);
    if (!result) {
      result = Promise.resolve(execute({ ...args, rootValue: event }));
      results.set(operationKey, result);
    }
    return result;
  });
}

// The parsed document is shared by identical query texts (graphql-ws parses each message anew), so key by its source text.
function printKey(args: ExecutionArgs): string {
  return args.document.loc?.source.body ?? JSON.stringify(args.document);
}

/** Each event's result, in order; a plain iterator rather than an async generator, as it is on the path of every delivery. */
function mapEvents(source: AsyncIterable<unknown>, map: (event: unknown) => Promise<ExecutionResult>): AsyncIterableIterator<ExecutionResult> {
  const events = source[Symbol.asyncIterator]();
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    next: () => events.next().then((event) => (event.done ? { value: undefined, done: true } : map(event.value).then((value) => ({ value, done: false })))),
    return: async () => {
      await events.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
