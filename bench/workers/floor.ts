// The floor beside N workers: N bare processes, each spawning `true` at a worker's concurrency,
// fed the same arrivals as ours (the runs' createdAt, shifted to now), dealt out in turn.
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { BenchFailure } from '../shared/bench-failure.ts';
import { forkCompiled } from '../shared/children.ts';
import type { SpawnerResult, SpawnerSetup } from './bare-spawner.process.ts';

// Room for the processes to start before the first arrival.
const LEAD_MS = 1_000;

export interface Timings {
  /** Enqueue → start of each item, ms. */
  waits: Float64Array;
  /** Items completed per second, from the first arrival to the last end. */
  perSecond: number;
  completed: number;
}

export async function measureFloor(arrivalsMs: readonly number[], processes: number, width: number, outDir: string): Promise<Timings> {
  const first = arrivalsMs[0] ?? 0;
  const base = Date.now() + LEAD_MS;
  const shares = Array.from({ length: processes }, (_, index) => arrivalsMs.filter((_, item) => item % processes === index).map((at) => base + at - first));
  const results = await Promise.all(shares.map((share) => runSpawner(Float64Array.from(share), width, outDir)));
  const waits: number[] = [];
  let lastEnd = base;
  let failed = 0;
  results.forEach((result, index) => {
    const share = shares[index] ?? [];
    share.forEach((arrival, item) => {
      waits.push((result.startedAt[item] ?? 0) - arrival);
      lastEnd = Math.max(lastEnd, result.endedAt[item] ?? 0);
    });
    failed += result.failed;
  });
  const completed = arrivalsMs.length - failed;
  return { waits: Float64Array.from(waits), perSecond: (completed / Math.max(1, lastEnd - base)) * 1000, completed };
}

async function runSpawner(arrivals: Float64Array, width: number, outDir: string): Promise<SpawnerResult> {
  const child: ChildProcess = forkCompiled(path.join(__dirname, 'bare-spawner.process.ts'), outDir);
  const result = new Promise<SpawnerResult>((resolve, reject) => {
    child.once('message', (message: SpawnerResult) => resolve(message));
    child.once('exit', (code, signal) => reject(new BenchFailure(`a bare spawner exited (${code ?? signal}) before it reported`)));
  });
  const setup: SpawnerSetup = { arrivals, width };
  child.send(setup);
  return result;
}
