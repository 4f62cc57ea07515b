import type { ExecutionResult, GraphQLError, GraphQLFormattedError } from 'graphql';
import type WebSocket from 'ws';
import { DONE, type Pollable } from '../events/pollable.ts';

/**
 * Bytes a socket may hold in user space, not yet taken by the kernel, before it counts as slow:
 * its subscription then waits for them to go out while its bounded queue of events fills, and
 * a client that stays slow is cut off with RESYNC. Memory per slow socket stays about this
 * plus one message.
 */
export const SLOW_SOCKET_BYTES = 64 * 1024;

const CLOSING_BRACE = Buffer.from('}');
/** Bytes sent as a text message, as graphql-transport-ws requires. */
const TEXT_FRAME = { binary: false };

/**
 * Sends a subscription's results to its socket as graphql-transport-ws `next` messages itself,
 * and hands graphql-ws an iterator that ends when they do (graphql-ws then sends `complete`, or
 * `error` if the results failed). graphql-ws would await a hook, copy, validate and stringify
 * each message and await its write, for every socket; here a result shared by many
 * subscriptions is serialised and encoded once (`payloadBytes` caches it), each message is
 * that payload between the subscription's own prefix and brace, handed to the socket as bytes
 * (a string would be measured and encoded again for every socket), sent as soon as it is
 * ready, in the turn that made it ready, and a write is awaited only when the socket is slow.
 * `holdWrites` is called before each message is handed to the socket: it decides whether the
 * message leaves at the end of its turn or with the socket's other messages of a write window (see WriteWindow).
 * Everything else (connections, subscribe, complete, errors) stays with graphql-ws, which this
 * answers through its `onOperation` hook.
 */
export function sendNextMessagesDirectly(
  results: Pollable<ExecutionResult>,
  socket: WebSocket,
  id: string,
  payloadBytes: (result: ExecutionResult) => Buffer,
  holdWrites: () => void,
): AsyncIterableIterator<ExecutionResult> {
  const prefix = Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`);
  let finish: (failure: { error: unknown } | null) => void = () => {};
  const finished = new Promise<void>((resolve, reject) => {
    finish = (failure) => {
      finish = () => {};
      void results.return();
      if (failure) reject(failure.error);
      else resolve();
    };
  });
  // graphql-ws learns of a failure through next(); when it asks for none (the client completed first), the failure is no unhandled rejection.
  finished.catch(() => {});
  // Called back from within the feed's delivery of an event to every subscriber, so it must not throw.
  const pump = (): void => {
    try {
      for (;;) {
        const next = results.poll();
        if (next === null) {
          results.whenReady(pump);
          return;
        }
        if (next.done || socket.readyState !== socket.OPEN) {
          finish(null);
          return;
        }
        const payload = payloadBytes(next.value);
        const message = Buffer.concat([prefix, payload, CLOSING_BRACE], prefix.length + payload.length + CLOSING_BRACE.length);
        holdWrites();
        if (socket.bufferedAmount > SLOW_SOCKET_BYTES) {
          // Resumed on a later turn: a write the kernel takes at once calls back on the same
          // turn, and a backlog drained that way would hold the event loop (the bus, every
          // request) until it ends.
          socket.send(message, TEXT_FRAME, (error) => (error ? finish({ error }) : setImmediate(pump)));
          return;
        }
        socket.send(message, TEXT_FRAME);
      }
    } catch (error) {
      finish({ error });
    }
  };
  pump();
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    next: async () => {
      await finished;
      return DONE;
    },
    return: () => {
      finish(null);
      return Promise.resolve(DONE);
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

/** A result's `next` payload as UTF-8 JSON, with its errors formatted, computed once per result object however many sockets send it. */
export function payloadBytesOnce(formatErrors: (errors: readonly GraphQLError[]) => GraphQLFormattedError[]): (result: ExecutionResult) => Buffer {
  const payloads = new WeakMap<ExecutionResult, Buffer>();
  return (result) => {
    let bytes = payloads.get(result);
    if (bytes === undefined) {
      bytes = Buffer.from(JSON.stringify(result.errors ? { ...result, errors: formatErrors(result.errors) } : result));
      payloads.set(result, bytes);
    }
    return bytes;
  };
}

export function isResultStream(value: unknown): value is Pollable<ExecutionResult> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value && 'poll' in value && 'whenReady' in value;
}
