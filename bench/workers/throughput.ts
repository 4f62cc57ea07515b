// Ours: N workers execute `runs` runs of a one-step `true` workflow, triggered through the API
// process with a few requests in flight; the times come from the database afterwards (enqueue
// = createdAt, start = startedAt, completed = SUCCEEDED at finishedAt).
import { cpuSample, cpuSampleOf, cpuSeconds } from '../shared/process-stats.ts';
import type { BenchServer } from '../shared/server-process.ts';
import type { Cluster } from './cluster.ts';
import type { Timings } from './floor.ts';
import { assertAllEnded, readRuns, waitForTerminal } from './runs.ts';

// The engine's default lease: this part measures the steady state, not failures.
const LEASE_SECONDS = 30;
// No run ended for this long: the bench stops and names the runs left.
const STALL_MS = 60_000;

export const TRUE_WORKFLOW = (name: string, maxActiveRuns: number) => `name: ${name}\nmaxActiveRuns: ${maxActiveRuns}\nsteps:\n  - name: only\n    command: "true"\n`;

export interface OursResult extends Timings {
  /** The runs' createdAt, epoch ms, ascending: the arrivals the floor is fed. */
  arrivalsMs: number[];
  /** Runs the API process accepted per second while the bench triggered them. */
  triggeredPerSecond: number;
  /** Runs each worker executed. */
  perWorker: number[];
  /** CPU seconds per run completed, of the API process and of the workers together. */
  apiCpuMsPerRun: number | null;
  workersCpuMsPerRun: number | null;
  statuses: Map<string, number>;
}

export async function measureOurs(cluster: Cluster, options: { workflowId: string; workers: number; concurrency: number; runs: number; triggers: number }): Promise<OursResult> {
  const names = Array.from({ length: options.workers }, (_, index) => `n${options.workers}-w${index + 1}`);
  const workers: BenchServer[] = await Promise.all(names.map((name) => cluster.startWorker({ name, concurrency: options.concurrency, leaseSeconds: LEASE_SECONDS })));
  try {
    const cpuBefore = { api: cpuSample(cluster.api.pid, 0), workers: cpuSampleOf(workers.map((worker) => worker.pid), 0) };
    const triggerStart = performance.now();
    const ids = await triggerAll(cluster, options.workflowId, options.runs, options.triggers);
    const triggeredPerSecond = (ids.length / (performance.now() - triggerStart)) * 1000;
    assertAllEnded(`${options.workers} workers`, await waitForTerminal(cluster.sql, ids, STALL_MS), STALL_MS);
    const cpuAfter = { api: cpuSample(cluster.api.pid, 0), workers: cpuSampleOf(workers.map((worker) => worker.pid), 0) };
    const rows = await readRuns(cluster.sql, ids);
    const statuses = new Map<string, number>();
    const waits: number[] = [];
    let lastEnd = 0;
    for (const row of rows) {
      statuses.set(row.status, (statuses.get(row.status) ?? 0) + 1);
      if (row.startedAt) waits.push(row.startedAt.getTime() - row.createdAt.getTime());
      if (row.finishedAt) lastEnd = Math.max(lastEnd, row.finishedAt.getTime());
    }
    const arrivalsMs = rows.map((row) => row.createdAt.getTime());
    const completed = statuses.get('SUCCEEDED') ?? 0;
    const firstArrival = arrivalsMs[0] ?? 0;
    return {
      arrivalsMs,
      waits: Float64Array.from(waits),
      completed,
      perSecond: (completed / Math.max(1, lastEnd - firstArrival)) * 1000,
      triggeredPerSecond,
      perWorker: names.map((name) => cluster.runsExecutedBy(name, new Set(ids))),
      apiCpuMsPerRun: perRun(cpuSeconds(cpuBefore.api, cpuAfter.api), rows.length),
      workersCpuMsPerRun: perRun(cpuSeconds(cpuBefore.workers, cpuAfter.workers), rows.length),
      statuses,
    };
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
  }
}

function perRun(seconds: number | null, runs: number): number | null {
  return seconds === null || runs === 0 ? null : (seconds * 1000) / runs;
}

async function triggerAll(cluster: Cluster, workflowId: string, runs: number, inFlight: number): Promise<string[]> {
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
