import type { StepSpec } from './workflow-spec.ts';

type Node = Pick<StepSpec, 'name' | 'depends'>;

/**
 * A dependency cycle in the order the steps would run (`a → b` means b depends on a), closed
 * by repeating its first step: `['a', 'b', 'c', 'a']`. It starts at its step that comes first
 * in the file, so the same file always gives the same answer. Dependencies on names that are
 * not in `steps` are ignored.
 *
 * Every walk of the graph here keeps its own stack or queue, never the call stack: a chain of
 * thousands of steps is as deep as it is long.
 */
export function findCycle(steps: readonly Node[]): string[] | null {
  const order = new Map(steps.map((step, index) => [step.name, index]));
  const dependents = dependentsByName(steps);
  const state = new Map<string, 'open' | 'done'>();

  for (const step of steps) {
    if (state.has(step.name)) continue;
    // A depth-first walk: the open path, and for each step on it the next dependent to visit.
    const trail: string[] = [step.name];
    const nextIndex: number[] = [0];
    state.set(step.name, 'open');
    while (trail.length > 0) {
      const top = trail.length - 1;
      const name = trail[top] ?? '';
      const index = nextIndex[top] ?? 0;
      const next = (dependents.get(name) ?? [])[index];
      if (next === undefined) {
        state.set(name, 'done');
        trail.pop();
        nextIndex.pop();
        continue;
      }
      nextIndex[top] = index + 1;
      const seen = state.get(next);
      if (seen === 'open') {
        const cycle = trail.slice(trail.indexOf(next));
        const firstInFile = cycle.reduce((first, candidate) => ((order.get(candidate) ?? 0) < (order.get(first) ?? 0) ? candidate : first));
        const start = cycle.indexOf(firstInFile);
        return [...cycle.slice(start), ...cycle.slice(0, start), firstInFile];
      }
      if (seen === undefined) {
        state.set(next, 'open');
        trail.push(next);
        nextIndex.push(0);
      }
    }
  }
  return null;
}

/**
 * Step names in an order that runs every step after its dependencies; among the steps that
 * are ready at the same time, file order wins. Dependencies on names that are not in `steps`
 * count as met, so a subset (the steps of a retry) can be ordered too. Throws on a cycle.
 */
export function topologicalOrder(steps: readonly Node[]): string[] {
  const indexOf = new Map<string, number>();
  steps.forEach((step, index) => {
    if (indexOf.has(step.name)) throw new Error(`Step "${step.name}" appears twice`);
    indexOf.set(step.name, index);
  });
  const waiting = steps.map((step) => new Set(step.depends.filter((name) => indexOf.has(name))).size);
  const dependents = dependentsByName(steps);
  // The ready steps by file position, smallest last: the next to run is popped off the end.
  const ready: number[] = [];
  const makeReady = (index: number) => ready.splice(insertionPoint(ready, index), 0, index);
  waiting.forEach((count, index) => count === 0 && makeReady(index));
  const order: string[] = [];
  for (let index = ready.pop(); index !== undefined; index = ready.pop()) {
    const name = steps[index]?.name ?? '';
    order.push(name);
    for (const dependent of dependents.get(name) ?? []) {
      const dependentIndex = indexOf.get(dependent) ?? 0;
      const left = (waiting[dependentIndex] ?? 0) - 1;
      waiting[dependentIndex] = left;
      if (left === 0) makeReady(dependentIndex);
    }
  }
  if (order.length < steps.length) throw new Error(`Steps have a dependency cycle: ${(findCycle(steps) ?? []).join(' → ')}`);
  return order;
}

/** Where `value` goes in `descending` (sorted largest first) to keep it sorted. */
function insertionPoint(descending: readonly number[], value: number): number {
  let low = 0;
  let high = descending.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((descending[middle] ?? 0) > value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The given names plus every step that depends on one of them, directly or not. */
export function downstreamOf(steps: readonly Node[], names: readonly string[]): Set<string> {
  const dependents = dependentsByName(steps);
  const found = new Set(names);
  const queue = [...names];
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    for (const dependent of dependents.get(name) ?? []) {
      if (found.has(dependent)) continue;
      found.add(dependent);
      queue.push(dependent);
    }
  }
  return found;
}

function dependentsByName(steps: readonly Node[]): Map<string, string[]> {
  const dependents = new Map<string, string[]>(steps.map((step) => [step.name, []]));
  for (const step of steps) {
    for (const dependency of new Set(step.depends)) dependents.get(dependency)?.push(step.name);
  }
  return dependents;
}
