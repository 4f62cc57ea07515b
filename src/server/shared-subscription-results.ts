import { createSourceEventStream, execute, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { DONE, isPollable, nextOf, pollableOf, type Pollable } from '../events/pollable.ts';
import { sharedExecutionKey } from './shared-execution-key.ts';

type OperationResult = Promise<AsyncIterable<ExecutionResult> | ExecutionResult> | AsyncIterable<ExecutionResult> | ExecutionResult;

/**
 * graphql-ws's `subscribe`, executing each event once per operation (see sharedExecutionKey)
 * rather than once per subscriber: a thousand clients watching the same stream receive the
 * same event object from the feed, so the result of the first execution serves the others.
 * What a subscription selects of an event (its run, its step) is the same for every caller
 * allowed to see the event, and whether they are is decided before the event reaches the stream.
 * Each execution runs with `contextForEvent(the operation's context)`.
 */
export function sharedResultsSubscribe(contextForEvent: (operationContext: unknown) => unknown): (args: ExecutionArgs) => OperationResult {
  return (args) => subscribeShared(args, contextForEvent);
}

/** One execution of an operation for one event, shared by every subscription of the operation that receives the event. */
interface SharedExecution {
  outcome: { result: ExecutionResult } | { error: unknown } | null;
  /** Subscriptions to call back once there is an outcome. */
  waiting: (() => void)[];
}

const executionsByEvent = new WeakMap<object, Map<string, SharedExecution>>();

async function subscribeShared(args: ExecutionArgs, contextForEvent: (operationContext: unknown) => unknown): Promise<AsyncIterable<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!isAsyncIterable(source)) return source;
  const operationKey = sharedExecutionKey(args);
  const events = source[Symbol.asyncIterator]();
  return new SharedResults(isPollable(events) ? events : pollableOf(events), (event) => sharedExecution(event, operationKey, () => execute({ ...args, contextValue: contextForEvent(args.contextValue), rootValue: event })));
}

function sharedExecution(event: unknown, operationKey: string, run: () => ReturnType<typeof execute>): SharedExecution {
  if (typeof event !== 'object' || event === null) return started(run);
  let executions = executionsByEvent.get(event);
  if (!executions) {
    executions = new Map();
    executionsByEvent.set(event, executions);
  }
  let execution = executions.get(operationKey);
  if (!execution) {
    execution = started(run);
    executions.set(operationKey, execution);
  }
  return execution;
}

function started(run: () => ReturnType<typeof execute>): SharedExecution {
  const execution: SharedExecution = { outcome: null, waiting: [] };
  const settle = (outcome: NonNullable<SharedExecution['outcome']>) => {
    execution.outcome = outcome;
    const waiting = execution.waiting;
    execution.waiting = [];
    for (const callback of waiting) callback();
  };
  new Promise<ExecutionResult>((resolve) => resolve(run())).then(
    (result) => settle({ result }),
    (error: unknown) => settle({ error }),
  );
  return execution;
}

/** A subscription's results, in the order of its events; each one is there as soon as its shared execution is. */
class SharedResults implements Pollable<ExecutionResult> {
  private pending: SharedExecution | null = null;
  private returned = false;

  constructor(
    private readonly events: Pollable<unknown>,
    private readonly executionOf: (event: unknown) => SharedExecution,
  ) {}

  poll(): IteratorResult<ExecutionResult> | null {
    if (this.returned) return DONE;
    if (!this.pending) {
      const event = this.events.poll();
      if (event === null) return null;
      if (event.done) return DONE;
      this.pending = this.executionOf(event.value);
    }
    const { outcome } = this.pending;
    if (!outcome) return null;
    this.pending = null;
    if ('error' in outcome) throw outcome.error;
    return { value: outcome.result, done: false };
  }

  whenReady(callback: () => void): void {
    if (!this.pending) this.events.whenReady(callback);
    else if (this.pending.outcome) callback();
    else this.pending.waiting.push(callback);
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    return nextOf(this);
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    this.returned = true;
    await this.events.return();
    return DONE;
  }

  [Symbol.asyncIterator](): Pollable<ExecutionResult> {
    return this;
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
