// Chaos: a steady stream of runs of a `sleep 1` step while a random worker is SIGKILLed every
// few seconds and replaced under a new name (so its runs are settled by another executor once
// their lease expires, not by its own restart). Each step appends its run id to a ledger file
// before it sleeps. Runs alternate between two workflows: one without a retry policy (a step
// may appear once) and one whose step may be retried once (twice, the first attempt lost with
// its worker): an orphan is requeued when its running step has a retry left, else FAILED.
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { WORKER_LOST } from '../../src/engine/run-engine.ts';
import { count, duration, percentile } from '../shared/report.ts';
import type { BenchServer } from '../shared/server-process.ts';
import type { Cluster } from './cluster.ts';
import type { WorkersBenchOptions } from './options.ts';
import { readRuns, waitForTerminal, type RunRow } from './runs.ts';
import { triggerPaced } from './triggers.ts';

// How far past the lease an orphan may be settled: the issue's bound.
const SETTLE_SLACK_MS = 5_000;
// After the stream stops, runs that make no progress for this long are reported as left open.
const DRAIN_STALL_MS = 60_000;
const STEP = 'nap';

// The two workflows, by the retry limit of their step.
const RETRY_LIMITS = [0, 1] as const;

const SLEEP_WORKFLOW = (name: string, maxActiveRuns: number, ledger: string, retryLimit: number) =>
  `name: ${name}\nmaxActiveRuns: ${maxActiveRuns}\nsteps:\n  - name: ${STEP}\n    command: echo "$DAG_RUN_ID $DAG_RUN_STEP_NAME" >> ${ledger}; sleep 1\n` +
  (retryLimit > 0 ? `    retryPolicy: { limit: ${retryLimit} }\n` : '');

export interface Orphan {
  id: string;
  /** Until when the killed worker's claim held, epoch ms: the earliest another executor may take the run over. */
  leaseExpiresAtMs: number | null;
  /** The run's last event seq at the kill: what is recorded after it is the settling. */
  lastSeq: string;
}

export interface Kill {
  worker: string;
  /** Epoch ms of the SIGKILL. */
  atMs: number;
  /** Runs the worker held executing (RUNNING or WAITING) when it was killed. */
  orphans: Orphan[];
  /** Runs it had claimed but not yet started: taken over and started by another. */
  claimedQueued: string[];
}

export interface Check {
  label: string;
  passed: boolean;
  detail: string;
}

/** An orphan settled late (or never), with what the database says happened to it. */
export interface LateOrphan {
  id: string;
  kill: Kill;
  orphan: Orphan;
  row: RunRow | null;
  events: RunEventRow[];
}

interface RunEventRow {
  seq: string;
  at: Date;
  kind: string;
  from: string | null;
  to: string;
  message: string | null;
}

export interface ChaosResult {
  triggered: number;
  statuses: Map<string, number>;
  kills: Kill[];
  /** Last kill → the orphan settled (FAILED, requeued, or ended by itself), ms. */
  settleMs: number[];
  /** Orphans put back in the queue by their retry policy. */
  requeued: number;
  /** Orphans whose taker was killed too before it settled them: each with the kills, and when it ended (epoch ms). */
  orphanedAgain: { id: string; kills: Kill[]; finishedAtMs: number | null }[];
  late: LateOrphan[];
  checks: Check[];
}

interface Slot {
  index: number;
  generation: number;
  server: BenchServer | null;
  name: string;
}

export async function runChaos(cluster: Cluster, options: WorkersBenchOptions, maxActiveRuns: number, dataDir: string): Promise<ChaosResult> {
  const ledger = path.join(dataDir, 'chaos-ledger.txt');
  appendFileSync(ledger, '');
  const workflowIds = await Promise.all(RETRY_LIMITS.map((limit) => cluster.saveWorkflow(SLEEP_WORKFLOW(`chaos-sleep-retry-${limit}`, maxActiveRuns, ledger, limit))));
  const leaseSeconds = options.chaosLeaseSeconds;
  const start = (slot: Slot) => cluster.startWorker({ name: slot.name, concurrency: options.concurrency, leaseSeconds });
  const slots: Slot[] = Array.from({ length: options.chaosWorkers }, (_, index) => ({ index, generation: 0, server: null, name: `chaos-w${index + 1}-g0` }));
  await Promise.all(slots.map(async (slot) => (slot.server = await start(slot))));
  const replacements: Promise<void>[] = [];
  const kills: Kill[] = [];
  try {
    const endAt = performance.now() + options.chaosSeconds * 1000;
    const [ids] = await Promise.all([
      triggerPaced(cluster, workflowIds, options.chaosRate * options.chaosSeconds, options.chaosRate),
      killLoop(options.killEverySeconds * 1000, endAt, async () => {
        const ready = slots.filter((slot) => slot.server !== null);
        const slot = ready[Math.floor(Math.random() * ready.length)];
        if (!slot?.server) return;
        kills.push(await kill(cluster, slot.server, slot.name));
        slot.server = null;
        slot.generation += 1;
        slot.name = `chaos-w${slot.index + 1}-g${slot.generation}`;
        replacements.push(start(slot).then((server) => void (slot.server = server)));
      }),
    ]);
    await Promise.all(replacements);
    const left = await waitForTerminal(cluster.sql, ids, DRAIN_STALL_MS);
    const rows = await readRuns(cluster.sql, ids);
    const limits = new Map(workflowIds.map((id, index) => [id, RETRY_LIMITS[index] ?? 0]));
    return judge(cluster, { rows, left, kills, ledger, leaseSeconds, limits });
  } finally {
    await Promise.all(replacements.map((replacement) => replacement.catch(() => undefined)));
    await Promise.all(slots.map((slot) => slot.server?.stop()));
  }
}

async function killLoop(everyMs: number, endAt: number, killOne: () => Promise<void>): Promise<void> {
  for (let due = performance.now() + everyMs; due <= endAt; due += everyMs) {
    await sleep(Math.max(0, due - performance.now()));
    await killOne();
  }
}

/** SIGKILL, then at once the runs whose lease the worker held. */
async function kill(cluster: Cluster, server: BenchServer, worker: string): Promise<Kill> {
  process.kill(server.pid, 'SIGKILL');
  const atMs = Date.now();
  const { rows } = await cluster.sql.query<{ id: string; status: string; leaseExpiresAt: Date | null; lastSeq: string }>(
    `SELECT id, status, "leaseExpiresAt", "lastSeq" FROM "Run" WHERE "leaseOwner" = $1 AND status IN ('QUEUED', 'RUNNING', 'WAITING')`,
    [worker],
  );
  return {
    worker,
    atMs,
    orphans: rows.filter((row) => row.status !== 'QUEUED').map((row) => ({ id: row.id, leaseExpiresAtMs: row.leaseExpiresAt?.getTime() ?? null, lastSeq: row.lastSeq })),
    claimedQueued: rows.filter((row) => row.status === 'QUEUED').map((row) => row.id),
  };
}

async function judge(
  cluster: Cluster,
  input: { rows: RunRow[]; left: RunRow[]; kills: Kill[]; ledger: string; leaseSeconds: number; limits: ReadonlyMap<string, number> },
): Promise<ChaosResult> {
  const { rows, left, kills, leaseSeconds, limits } = input;
  const byId = new Map(rows.map((row) => [row.id, row]));
  const statuses = new Map<string, number>();
  for (const row of rows) statuses.set(row.status, (statuses.get(row.status) ?? 0) + 1);

  const ran = new Map<string, number>();
  for (const line of readFileSync(input.ledger, 'utf8').split('\n')) {
    if (line !== '') ran.set(line, (ran.get(line) ?? 0) + 1);
  }
  const ranOf = (runId: string) => ran.get(`${runId} ${STEP}`) ?? 0;
  const { rows: stepRows } = await cluster.sql.query<{ runId: string; attempt: number; workflowId: string }>(
    `SELECT s."runId", s.attempt, r."workflowId" FROM "StepRun" s JOIN "Run" r ON r.id = s."runId" WHERE s."runId" = ANY($1::text[]) AND s.name = $2`,
    [rows.map((row) => row.id), STEP],
  );
  const steps = new Map(stepRows.map((step) => [step.runId, { attempt: step.attempt, limit: limits.get(step.workflowId) ?? 0 }]));
  // An attempt is recorded before its process starts (one killed in between is recorded, not run): a step runs at most as
  // often as it has attempts, and has at most 1 + its retry limit.
  const overrun = [...steps].filter(([runId, step]) => ranOf(runId) > step.attempt || step.attempt > 1 + step.limit);
  const retried = [...steps].filter(([, step]) => step.attempt > 1).length;
  const succeededNotRun = rows.filter((row) => row.status === 'SUCCEEDED' && ranOf(row.id) === 0);

  const boundMs = leaseSeconds * 1000 + SETTLE_SLACK_MS;
  // A run whose taker was killed too (after taking it over, before settling it) is orphaned
  // again: the bound runs from the kill that orphaned it last.
  const lastOrphaning = new Map<string, { kill: Kill; orphan: Orphan; kills: Kill[] }>();
  for (const killed of kills) {
    for (const orphan of killed.orphans) lastOrphaning.set(orphan.id, { kill: killed, orphan, kills: [...(lastOrphaning.get(orphan.id)?.kills ?? []), killed] });
  }
  const settleMs: number[] = [];
  const late: LateOrphan[] = [];
  const offPolicy: string[] = [];
  let requeued = 0;
  for (const [id, { kill: killed, orphan }] of lastOrphaning) {
    const row = byId.get(id);
    const events = await eventsOf(cluster, id);
    // Its first change after the kill: FAILED "worker lost", requeued, or the end it reached by itself just then.
    const settled = events.find((event) => event.kind === 'RUN' && BigInt(event.seq) > BigInt(orphan.lastSeq));
    const settledAt = settled?.at.getTime() ?? null;
    if (settledAt !== null) settleMs.push(settledAt - killed.atMs);
    if (settledAt === null || settledAt - killed.atMs > boundMs) late.push({ id, kill: killed, orphan, row: row ?? null, events });
    const step = steps.get(id);
    if (settled?.to === 'QUEUED') requeued += 1;
    // FAILED only when its step had used every attempt its policy allows (requeued otherwise); a requeue the policy did not allow shows as an overrun.
    if (settled?.to === 'FAILED' && (settled.message !== WORKER_LOST || step === undefined || step.attempt !== 1 + step.limit)) {
      offPolicy.push(`${id} FAILED "${settled.message ?? ''}" at attempt ${step?.attempt ?? '?'} of ${1 + (step?.limit ?? 0)}`);
    }
  }
  const orphanedAgain = [...lastOrphaning]
    .filter(([, entry]) => entry.kills.length > 1)
    .map(([id, entry]) => ({ id, kills: entry.kills, finishedAtMs: byId.get(id)?.finishedAt?.getTime() ?? null }));
  const orphans = [...lastOrphaning.keys()];
  return {
    triggered: rows.length,
    statuses,
    kills,
    settleMs,
    requeued,
    orphanedAgain,
    late,
    checks: [
      {
        label: 'no run left non-terminal',
        passed: left.length === 0,
        detail: left.length === 0 ? `all ${count(rows.length)} runs terminal` : `${left.length} open: ${left.slice(0, 10).map((row) => `${row.id} ${row.status} (lease owner ${row.leaseOwner ?? 'none'})`).join(', ')}`,
      },
      {
        label: 'no step ran twice except through a retry its policy allowed (ledger lines <= recorded attempts <= 1 + retry limit)',
        passed: overrun.length === 0,
        detail:
          overrun.length === 0
            ? `${count(ran.size)} steps ran, ${count(retried)} of them retried`
            : overrun.slice(0, 10).map(([runId, step]) => `${runId}: ran ${ranOf(runId)} times, ${step.attempt} attempts, retry limit ${step.limit}`).join(', '),
      },
      {
        label: "every SUCCEEDED run's step appears in the ledger",
        passed: succeededNotRun.length === 0,
        detail: succeededNotRun.length === 0 ? `${count(statuses.get('SUCCEEDED') ?? 0)} runs` : succeededNotRun.slice(0, 10).map((row) => row.id).join(', '),
      },
      {
        label: `every orphan settled within lease + 5 s (${duration(boundMs)}) of the kill that orphaned it (last)`,
        passed: late.length === 0,
        detail: late.length === 0 ? `${count(orphans.length)} orphans` : `${late.length} late: ${late.slice(0, 10).map((orphan) => orphan.id).join(', ')} (timelines below)`,
      },
      {
        label: `every orphan settled by its retry policy: FAILED "${WORKER_LOST}" at its step's last allowed attempt, requeued before`,
        passed: offPolicy.length === 0,
        detail: offPolicy.length === 0 ? `${count(orphans.length)} orphans, ${count(requeued)} requeued` : `${offPolicy.length} of ${orphans.length}: ${offPolicy.slice(0, 10).join(', ')}`,
      },
    ],
  };
}

async function eventsOf(cluster: Cluster, runId: string): Promise<RunEventRow[]> {
  const { rows } = await cluster.sql.query<RunEventRow>('SELECT seq::text AS seq, at, kind, "from", "to", message FROM "RunEvent" WHERE "runId" = $1 ORDER BY seq', [runId]);
  return rows;
}

/** Times relative to the kill, so a reader sees at once where the seconds went. */
function timelineLines(late: LateOrphan): string[] {
  const since = (atMs: number) => `${atMs >= late.kill.atMs ? '+' : ''}${((atMs - late.kill.atMs) / 1000).toFixed(2)} s`;
  const lines = [
    `    ${late.id}: killed ${late.kill.worker} at ${new Date(late.kill.atMs).toISOString()}; its claim held until ${late.orphan.leaseExpiresAtMs === null ? 'never set' : since(late.orphan.leaseExpiresAtMs)}; ` +
      `now ${late.row?.status ?? 'unknown'} "${late.row?.error ?? ''}"${late.row?.finishedAt ? `, ended at ${since(late.row.finishedAt.getTime())}` : ''}`,
  ];
  for (const event of late.events) lines.push(`      ${since(event.at.getTime()).padStart(9)}  ${event.kind} ${event.from ?? '-'} → ${event.to}${event.message ? ` (${event.message})` : ''}`);
  return lines;
}

function orphanedAgainLine(again: ChaosResult['orphanedAgain'][number]): string {
  const first = again.kills[0]?.atMs ?? 0;
  const kills = again.kills.map((killed) => `${killed.worker} killed at +${((killed.atMs - first) / 1000).toFixed(2)} s`).join(', ');
  return `${again.id}: ${kills}; ended at ${again.finishedAtMs === null ? 'never' : `+${((again.finishedAtMs - first) / 1000).toFixed(2)} s`}`;
}

export function chaosLines(result: ChaosResult, options: WorkersBenchOptions): string[] {
  const sorted = [...result.settleMs].sort((a, b) => a - b);
  const lines = [
    `  ${count(result.triggered)} runs triggered: ${[...result.statuses].map(([status, runs]) => `${count(runs)} ${status}`).join(', ')}`,
    `  ${result.kills.length} kills; orphans (executing on the killed worker): ${result.kills.map((killed) => killed.orphans.length).join(', ')}; ` +
      `claimed but not started: ${result.kills.map((killed) => killed.claimedQueued.length).join(', ')}; orphaned again (the taker killed before it settled them): ${result.orphanedAgain.length}; ` +
      `orphans requeued by their retry policy: ${result.requeued}`,
  ];
  if (sorted.length > 0) {
    lines.push(
      `  kill → orphan settled: p50 ${duration(percentile(sorted, 0.5))}, p99 ${duration(percentile(sorted, 0.99))}, max ${duration(sorted[sorted.length - 1] ?? 0)} ` +
        `(LEASE_SECONDS=${options.chaosLeaseSeconds}, bound ${options.chaosLeaseSeconds + SETTLE_SLACK_MS / 1000} s)`,
    );
  }
  for (const again of result.orphanedAgain) lines.push(`    orphaned again: ${orphanedAgainLine(again)}`);
  for (const check of result.checks) lines.push(`  ${check.passed ? 'pass' : 'FAIL'}: ${check.label}: ${check.detail}`);
  if (result.late.length > 0) lines.push('  late orphans, times from the kill:', ...result.late.slice(0, 10).flatMap(timelineLines));
  return lines;
}
