import type { StepSpec } from './workflow-spec.ts';

type Node = Pick<StepSpec, 'name' | 'depends'>;

/**
 * A dependency cycle in the order the steps would run (`a → b` means b depends on a), closed
 * by repeating its first step: `['a', 'b', 'c', 'a']`. It starts at its step that comes first
 * in the file, so the same file always gives the same answer. Dependencies on names that are
 * not in `steps` are ignored.
 */
export function findCycle(steps: readonly Node[]): string[] | null {
  const order = new Map(steps.map((step, index) => [step.name, index]));
  const dependents = dependentsByName(steps);
  const state = new Map<string, 'open' | 'done'>();
  const trail: string[] = [];

  const visit = (name: string): string[] | null => {
    state.set(name, 'open');
    trail.push(name);
    for (const next of dependents.get(name) ?? []) {
      const seen = state.get(next);
      if (seen === 'open') return trail.slice(trail.indexOf(next));
      if (seen === undefined) {
        const cycle = visit(next);
        if (cycle) return cycle;
      }
    }
    trail.pop();
    state.set(name, 'done');
    return null;
  };

  for (const step of steps) {
    if (state.has(step.name)) continue;
    const cycle = visit(step.name);
    if (cycle) {
      const firstInFile = [...cycle].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0))[0] ?? step.name;
      const start = cycle.indexOf(firstInFile);
      return [...cycle.slice(start), ...cycle.slice(0, start), firstInFile];
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
  const known = new Set<string>();
  for (const step of steps) {
    if (known.has(step.name)) throw new Error(`Step "${step.name}" appears twice`);
    known.add(step.name);
  }
  const waitingFor = new Map(steps.map((step) => [step.name, new Set(step.depends.filter((name) => known.has(name)))]));
  const dependents = dependentsByName(steps);
  const done = new Set<string>();
  const order: string[] = [];
  while (order.length < steps.length) {
    const next = steps.find((step) => !done.has(step.name) && waitingFor.get(step.name)?.size === 0);
    if (!next) {
      throw new Error(`Steps have a dependency cycle: ${(findCycle(steps) ?? []).join(' → ')}`);
    }
    done.add(next.name);
    order.push(next.name);
    for (const dependent of dependents.get(next.name) ?? []) waitingFor.get(dependent)?.delete(next.name);
  }
  return order;
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
