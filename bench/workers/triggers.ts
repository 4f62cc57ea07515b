// How the bench queues runs: through the API process's `triggerRun`, as a user would.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cluster } from './cluster.ts';

/** As fast as the API process accepts them, `inFlight` requests at a time. */
export async function triggerBurst(cluster: Cluster, workflowId: string, runs: number, inFlight: number): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(inFlight, runs) }, async () => {
      while (next < runs) {
        next += 1;
        ids.push(await cluster.trigger(workflowId));
      }
    }),
  );
  return ids;
}

/** One every 1/rate s, on schedule however long each request takes; runs of several workflows take turns. */
export async function triggerPaced(cluster: Cluster, workflowIds: readonly string[], runs: number, rate: number): Promise<string[]> {
  const started = performance.now();
  const triggers: Promise<string>[] = [];
  for (let index = 0; index < runs; index += 1) {
    await sleep(Math.max(0, started + (index * 1000) / rate - performance.now()));
    const workflowId = workflowIds[index % workflowIds.length];
    if (workflowId === undefined) throw new Error('triggerPaced needs a workflow');
    triggers.push(cluster.trigger(workflowId));
  }
  return Promise.all(triggers);
}
