/*
 * The entry of a jq thread (node:worker_threads): one filter on one input, in a thread of its
 * own, so a filter that never ends (`repeat(1)`) or grows without bound is ended by terminating
 * the thread, not by waiting on the server's event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { raw } from 'jq-wasm';
import type { JqThreadData, JqThreadReply } from './jq-thread-protocol.ts';

const port = parentPort;
if (!port) throw new Error('jq-thread runs as a worker thread of the jq executor');
const { filter, input, flags } = workerData as JqThreadData;
raw(input, filter, flags).then(
  (output) => port.postMessage({ output } satisfies JqThreadReply),
  (error: unknown) => port.postMessage({ error: error instanceof Error ? error.message : String(error) } satisfies JqThreadReply),
);
