import type { RuntrailClient } from '../src/index.ts';

/** A workflow that a server with `executes: false` leaves queued: each trigger is one QUEUED run. */
export const ONE_STEP_WORKFLOW = (name: string) => `name: ${name}\nparams:\n  REGION: us\nsteps:\n  - name: only\n    command: "true"\n`;

/** Saves a one-step workflow in the first project; answers its id and the project's. */
export async function savedWorkflow(client: RuntrailClient, name: string): Promise<{ projectId: string; workflowId: string }> {
  const [project] = await client.projects();
  if (!project) throw new Error('The test server has no project');
  const workflow = await client.saveWorkflow({ projectId: project.id, yaml: ONE_STEP_WORKFLOW(name) });
  return { projectId: project.id, workflowId: workflow.id };
}

/** Triggers the workflow `count` times, one after the other; answers the run ids, oldest first. */
export async function triggered(client: RuntrailClient, workflowId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) ids.push((await client.triggerRun({ workflowId })).id);
  return ids;
}

/** The items of an async iterable until `enough` holds for them; the iterator is closed after. */
export async function takeUntil<T>(source: AsyncIterable<T>, enough: (items: T[]) => boolean): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) {
    items.push(item);
    if (enough(items)) break;
  }
  return items;
}

/** The value, or a failed test naming what was missing. */
export function present<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`Expected ${what}`);
  return value;
}

/** Counts by status, leaving out zeros, for comparisons that ignore order. */
export function nonZero(byStatus: readonly { status: string; count: number }[]): Record<string, number> {
  return Object.fromEntries(byStatus.filter((entry) => entry.count > 0).map((entry) => [entry.status, entry.count]));
}
