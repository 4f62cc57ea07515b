// The floor of one worker: a bare process that spawns `true` for each arrival, at most `width`
// at once, in arrival order, and reports when each spawn started and ended (epoch ms, as the
// database's times are). Forked by ./floor.ts; plain node, no imports outside node_modules.
import { spawn } from 'node:child_process';

export interface SpawnerSetup {
  /** Epoch ms at which each item arrives, ascending. */
  arrivals: Float64Array;
  width: number;
}

export interface SpawnerResult {
  startedAt: Float64Array;
  endedAt: Float64Array;
  /** Spawns that did not exit 0. */
  failed: number;
}

function spawnTrue(): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn('true', [], { stdio: 'ignore' });
    child.once('error', () => resolve(null));
    child.once('close', resolve);
  });
}

function waitUntil(epochMs: number): Promise<void> {
  const delay = epochMs - Date.now();
  return delay > 0 ? new Promise((resolve) => setTimeout(resolve, delay)) : Promise.resolve();
}

async function serve(setup: SpawnerSetup): Promise<SpawnerResult> {
  const { arrivals, width } = setup;
  const startedAt = new Float64Array(arrivals.length);
  const endedAt = new Float64Array(arrivals.length);
  let failed = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < arrivals.length) {
        const index = next;
        next += 1;
        await waitUntil(arrivals[index] ?? 0);
        startedAt[index] = Date.now();
        if ((await spawnTrue()) !== 0) failed += 1;
        endedAt[index] = Date.now();
      }
    }),
  );
  return { startedAt, endedAt, failed };
}

process.once('message', (setup: SpawnerSetup) => {
  void serve(setup).then((result) => {
    process.send?.(result);
    process.disconnect();
  });
});
