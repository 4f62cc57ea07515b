// Ours: N workers execute runs of a one-step `true` workflow, triggered through the API process;
// the times come from the database afterwards (enqueue = createdAt, start = startedAt,
// completed = SUCCEEDED at finishedAt).
import { cpuSample, cpuSampleOf, cpuSeconds } from '../shared/process-stats.ts';
import type { BenchServer } from '../shared/server-process.ts';
import type { Cluster } from './cluster.ts';
import type { Timings } from './floor.ts';
import { assertAllEnded, readRuns, waitForTerminal } from './runs.ts';
import { triggerBurst, triggerPaced } from './triggers.ts';

// The engine's default lease: this part measures the steady state, not failures.
const LEASE_SECONDS = 30;
// No run ended for this long: the bench stops and names the runs left.
const STALL_MS = 60_000;

export const TRUE_WORKFLOW = (name: string, maxActiveRuns: number) => `name: ${name}\nmaxActiveRuns: ${maxActiveRuns}\nsteps:\n  - name: only\n    command: "true"\n`;

/** How the runs are queued: a burst (as fast as the API accepts, `inFlight` requests at a time), or paced below what the workers execute. */
export type Arrivals = { kind: 'burst'; runs: number; inFlight: number } | { kind: 'paced'; runs: number; perSecond: number };

export interface Workers {
  servers: BenchServer[];
  names: string[];
}

export interface OursResult extends Timings {
  /** The runs' createdAt, epoch ms, ascending: the arrivals the floor is fed. */
  arrivalsMs: number[];
  /** Runs the API process accepted per second while the bench triggered them. */
  triggeredPerSecond: number;
  /** Runs each worker executed. */
  perWorker: number[];
  /** CPU milliseconds per run, of the API process and of the workers together. */
  apiCpuMsPerRun: number | null;
  workersCpuMsPerRun: number | null;
  statuses: Map<string, number>;
}

/** N workers started for the measurements, stopped after them. */
export async function withWorkers<T>(cluster: Cluster, count: number, concurrency: number, measure: (workers: Workers) => Promise<T>): Promise<T> {
  const names = Array.from({ length: count }, (_, index) => `n${count}-w${index + 1}`);
  const servers = await Promise.all(names.map((name) => cluster.startWorker({ name, concurrency, leaseSeconds: LEASE_SECONDS })));
  try {
    return await measure({ servers, names });
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

export async function measureOurs(cluster: Cluster, workflowId: string, workers: Workers, arrivals: Arrivals): Promise<OursResult> {
  const workerPids = workers.servers.map((server) => server.pid);
  const cpuBefore = { api: cpuSample(cluster.api.pid, 0), workers: cpuSampleOf(workerPids, 0) };
  const triggerStart = performance.now();
  const ids =
    arrivals.kind === 'burst' ? await triggerBurst(cluster, workflowId, arrivals.runs, arrivals.inFlight) : await triggerPaced(cluster, [workflowId], arrivals.runs, arrivals.perSecond);
  const triggeredPerSecond = (ids.length / (performance.now() - triggerStart)) * 1000;
  assertAllEnded(`${workers.names.length} workers`, await waitForTerminal(cluster.sql, ids, STALL_MS), STALL_MS);
  const cpuAfter = { api: cpuSample(cluster.api.pid, 0), workers: cpuSampleOf(workerPids, 0) };
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
  const runIds = new Set(ids);
  return {
    arrivalsMs,
    waits: Float64Array.from(waits),
    completed,
    perSecond: (completed / Math.max(1, lastEnd - (arrivalsMs[0] ?? 0))) * 1000,
    triggeredPerSecond,
    perWorker: workers.names.map((name) => cluster.runsExecutedBy(name, runIds)),
    apiCpuMsPerRun: perRun(cpuSeconds(cpuBefore.api, cpuAfter.api), rows.length),
    workersCpuMsPerRun: perRun(cpuSeconds(cpuBefore.workers, cpuAfter.workers), rows.length),
    statuses,
  };
}

function perRun(seconds: number | null, runs: number): number | null {
  return seconds === null || runs === 0 ? null : (seconds * 1000) / runs;
}
