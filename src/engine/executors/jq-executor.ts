import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { expandVariables } from '../../domain/workflow/expand.ts';
import type { JqExecutor } from '../../domain/workflow/executor-spec.ts';
import type { JqThreadData, JqThreadReply } from './jq-thread-protocol.ts';
import type { ExecutorContext, ExecutorOutcome } from './executor-context.ts';

// The thread's entry next to this module, as the history read threads do it (see read-thread-pool.ts).
const ENTRY = path.join(__dirname, `jq-thread${path.extname(__filename)}`);
const EXEC_ARGV = path.extname(__filename) === '.ts' ? ['--require', require.resolve('esbuild-register')] : [];
/** A jq thread's heap: a filter that builds more than this fails instead of taking the server's memory. */
const JQ_HEAP_MB = 256;
/** Input larger than this is refused before jq starts. */
export const JQ_MAX_INPUT_BYTES = 16 * 1024 * 1024;

/**
 * Dagu's jq executor: the filter (the step's command) on the JSON input (its script or
 * `with.data`), both expanded from the step's variables first (so `${API_RESPONSE}` is the
 * earlier step's output). jq is jq-wasm, jq itself compiled to WebAssembly: the same language
 * and messages as the jq command, with nothing to download. Output: jq's, one value a line.
 */
export async function startJqFilter(spec: JqExecutor, context: ExecutorContext, signal: AbortSignal): Promise<ExecutorOutcome> {
  const filter = expandVariables(spec.filter, context.variables);
  const input = expandVariables(spec.input, context.variables);
  if (Buffer.byteLength(input) > JQ_MAX_INPUT_BYTES) return { exitCode: 1, stdout: '', failure: `the jq input is larger than ${JQ_MAX_INPUT_BYTES} bytes` };
  context.log.write(Buffer.from(`jq ${spec.raw ? '-r ' : ''}${JSON.stringify(filter)}\n`));
  const reply = await runInThread({ filter, input, flags: spec.raw ? ['-r'] : [] }, signal);
  if ('error' in reply) return { exitCode: 1, stdout: '', failure: reply.error.trim() };
  context.log.write(Buffer.from(reply.output.endsWith('\n') || reply.output === '' ? reply.output : `${reply.output}\n`));
  return { exitCode: 0, stdout: reply.output, failure: null };
}

function runInThread(data: JqThreadData, signal: AbortSignal): Promise<JqThreadReply> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(ENTRY, { workerData: data, execArgv: EXEC_ARGV, resourceLimits: { maxOldGenerationSizeMb: JQ_HEAP_MB } });
    const stop = () => void worker.terminate();
    signal.addEventListener('abort', stop, { once: true });
    if (signal.aborted) stop();
    let answered = false;
    worker.once('message', (reply: JqThreadReply) => {
      answered = true;
      resolve(reply);
      void worker.terminate();
    });
    worker.once('error', (error) => reject(error.message.includes('memory') ? new Error(`jq used more than ${JQ_HEAP_MB} MB`) : error));
    worker.once('exit', () => {
      signal.removeEventListener('abort', stop);
      if (!answered) reject(new Error(signal.aborted ? 'jq was stopped' : 'jq ended without an answer'));
    });
  });
}
