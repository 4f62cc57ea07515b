import { expandVariables } from '../domain/workflow/expand.ts';
import { MAX_PARALLEL_ITEMS, parallelItems, type SubWorkflowCall } from '../domain/workflow/sub-workflow-spec.ts';
import type { ChildOutcome } from './sub-workflow-runs.ts';

/** The items of a call step: one null for a plain call, else its list or what its `${VAR}` holds, expanded. */
export function callItems(call: SubWorkflowCall, env: ReadonlyMap<string, string>): { ok: true; values: (string | null)[] } | { ok: false; error: string } {
  const parallel = call.parallel;
  if (parallel === null) return { ok: true, values: [null] };
  const values = parallel.items.kind === 'list' ? parallel.items.values.map((value) => expandVariables(value, env)) : parallelItems(expandVariables(parallel.items.text, env));
  if (parallel.items.kind === 'reference' && values.length === 1 && values[0] === parallel.items.text) {
    return { ok: false, error: `parallel: ${parallel.items.text} is not set; give it the items as a JSON array (the output of an earlier step, a param)` };
  }
  if (values.length === 0) return { ok: false, error: 'parallel: no items to run the workflow for' };
  if (values.length > MAX_PARALLEL_ITEMS) return { ok: false, error: `parallel: ${values.length} items; a step may start at most ${MAX_PARALLEL_ITEMS} runs` };
  return { ok: true, values };
}

/** A child's params: the step's, expanded from the step's variables and `${ITEM}`. */
export function childParams(call: SubWorkflowCall, env: ReadonlyMap<string, string>, item: string | null): Record<string, string> {
  const variables = item === null ? env : new Map([...env, ['ITEM', item]]);
  return Object.fromEntries(call.params.map((param) => [param.name, expandVariables(param.value, variables)]));
}

/** Runs `work` for each value, at most `limit` at once; the results in the values' order. */
export async function runInPool<T, R>(values: readonly T[], limit: number, work: (value: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(values.length);
  let next = 0;
  const worker = async () => {
    while (next < values.length) {
      const index = next;
      next += 1;
      results[index] = await work(values[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, values.length) }, worker));
  return results;
}

const SUCCESS = new Set(['SUCCEEDED', 'PARTIALLY_SUCCEEDED']);

/**
 * How a call step ends, and its output as Dagu documents it: for one child
 * `{name, params, status, outputs}`; for parallel children `{summary: {total, succeeded, failed},
 * results: [{params, status, runId, outputs}], outputs: [each child's outputs]}`. It fails when
 * any child did not succeed, saying which.
 */
export function callOutcome(call: SubWorkflowCall, items: readonly (string | null)[], outcomes: readonly (ChildOutcome | { error: string })[]): { ok: boolean; output: string; error: string } {
  const paramsText = (index: number) => call.params.map((param) => `${param.name}=${param.value}`).join(' ').replaceAll('${ITEM}', items[index] ?? '');
  const succeeded = outcomes.filter((outcome) => 'status' in outcome && SUCCESS.has(outcome.status)).length;
  const failures = outcomes.flatMap((outcome, index) => {
    if (!('status' in outcome)) return [`item ${index + 1}: ${outcome.error}`];
    return SUCCESS.has(outcome.status) ? [] : [`run ${outcome.runId} ${outcome.status}${outcome.error ? ` (${outcome.error})` : ''}`];
  });
  const statusOf = (outcome: ChildOutcome | { error: string }) => ('status' in outcome ? outcome.status : 'FAILED');
  const outputsOf = (outcome: ChildOutcome | { error: string }) => ('outputs' in outcome ? outcome.outputs : {});
  const output =
    call.parallel === null
      ? JSON.stringify({ name: call.workflow, params: paramsText(0), status: statusOf(outcomes[0] ?? { error: '' }), outputs: outputsOf(outcomes[0] ?? { error: '' }) })
      : JSON.stringify({
          summary: { total: outcomes.length, succeeded, failed: outcomes.length - succeeded },
          results: outcomes.map((outcome, index) => ({ params: paramsText(index), status: statusOf(outcome), runId: 'runId' in outcome ? outcome.runId : null, outputs: outputsOf(outcome) })),
          outputs: outcomes.map(outputsOf),
        });
  const shown = failures.slice(0, 3).join('; ') + (failures.length > 3 ? `; and ${failures.length - 3} more` : '');
  const error = call.parallel === null ? `${call.workflow}: ${shown}` : `${call.workflow}: ${failures.length} of ${outcomes.length} runs did not succeed: ${shown}`;
  return { ok: failures.length === 0, output, error };
}
