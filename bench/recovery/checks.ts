// What recovery must leave behind, read straight from the database (and one approval through
// GraphQL): each a line, passed or FAIL.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ActiveRuns } from './dataset.ts';
import type { Api, RawDatabase } from './probes.ts';

export interface Check {
  name: string;
  passed: boolean;
  detail: string;
}

const APPROVED_RUN_TIMEOUT_MS = 60_000;

/** A time as the database compares it: integer ms in SQLite, a timestamp (ISO without Z) in PostgreSQL. */
export type TimeValue = (at: Date) => number | string;

export async function checkRecovered(raw: RawDatabase, api: Api, active: ActiveRuns, expected: { reason: string; owner: string; time: TimeValue }): Promise<Check[]> {
  const from = expected.time(active.createdFrom);
  const checks: Check[] = [];
  const byStatus = await raw.rows<{ status: string; runs: number | string }>(`SELECT status, COUNT(*) AS runs FROM "Run" WHERE "createdAt" >= $1 GROUP BY status ORDER BY status`, [from]);
  const statusText = byStatus.map((row) => `${row.status} ${Number(row.runs)}`).join(', ');
  const countOf = (status: string) => Number(byStatus.find((row) => row.status === status)?.runs ?? 0);
  checks.push({
    name: 'every RUNNING run settled FAILED, every WAITING run still WAITING',
    passed: countOf('FAILED') === active.running && countOf('WAITING') === active.waiting && byStatus.length === 2,
    detail: statusText,
  });

  const [lost] = await raw.rows<{ runs: number | string }>(`SELECT COUNT(*) AS runs FROM "Run" WHERE "createdAt" >= $1 AND status = 'FAILED' AND error = $2`, [from, expected.reason]);
  checks.push({ name: `each lost run says "${expected.reason}"`, passed: Number(lost?.runs) === active.running, detail: `${Number(lost?.runs)} of ${active.running}` });

  const unfinished = await raw.rows<{ status: string; steps: number | string }>(
    `SELECT s.status, COUNT(*) AS steps FROM "StepRun" s JOIN "Run" r ON r.id = s."runId"
     WHERE r."createdAt" >= $1 AND r.status = 'FAILED' AND s.status IN ('NOT_STARTED', 'RUNNING', 'WAITING') GROUP BY s.status`,
    [from],
  );
  checks.push({ name: 'no step of a lost run is left unfinished (all ABORTED)', passed: unfinished.length === 0, detail: unfinished.map((row) => `${row.status} ${Number(row.steps)}`).join(', ') || 'none' });

  const [waitingSteps] = await raw.rows<{ runs: number | string; waiting: number | string; running: number | string }>(
    `SELECT COUNT(DISTINCT r.id) AS runs,
            SUM(CASE WHEN s.status = 'WAITING' THEN 1 ELSE 0 END) AS waiting,
            SUM(CASE WHEN s.status = 'RUNNING' THEN 1 ELSE 0 END) AS running
     FROM "Run" r JOIN "StepRun" s ON s."runId" = r.id WHERE r."createdAt" >= $1 AND r.status = 'WAITING'`,
    [from],
  );
  checks.push({
    name: 'each WAITING run waits at its approval step, nothing of it running',
    passed: Number(waitingSteps?.waiting) === active.waiting && Number(waitingSteps?.running) === 0,
    detail: `${Number(waitingSteps?.waiting)} approval steps WAITING, ${Number(waitingSteps?.running)} steps RUNNING`,
  });

  const [claimed] = await raw.rows<{ runs: number | string }>(
    `SELECT COUNT(*) AS runs FROM "Run" WHERE "createdAt" >= $1 AND status = 'WAITING' AND "leaseOwner" = $2 AND "leaseExpiresAt" > $3`,
    [from, expected.owner, expected.time(new Date())],
  );
  checks.push({ name: 'each WAITING run is held by the recovered server under a live claim', passed: Number(claimed?.runs) === active.waiting, detail: `${Number(claimed?.runs)} of ${active.waiting}` });

  const [outOfStep] = await raw.rows<{ runs: number | string }>(
    `SELECT COUNT(*) AS runs FROM "Run" r WHERE r."createdAt" >= $1
       AND r.status <> (SELECT e."to" FROM "RunEvent" e WHERE e."runId" = r.id AND e.kind = 'RUN' ORDER BY e.seq DESC LIMIT 1)`,
    [from],
  );
  checks.push({ name: "each run's status is the `to` of its last RUN event", passed: Number(outOfStep?.runs) === 0, detail: `${Number(outOfStep?.runs)} out of step` });

  checks.push(await checkCounts(raw, api));
  checks.push(await checkApproval(raw, api, from));
  return checks;
}

/** runStatusCounts (from the rollups the recovery moved) against COUNT(*) over the runs. */
async function checkCounts(raw: RawDatabase, api: Api): Promise<Check> {
  const { runStatusCounts } = await api.request<{ runStatusCounts: { total: number; byStatus: { status: string; count: number }[] } }>(
    '{ runStatusCounts { total byStatus { status count } } }',
  );
  const ours = runStatusCounts.byStatus
    .filter((cell) => cell.count > 0)
    .map((cell) => `${cell.status} ${cell.count}`)
    .sort()
    .join(', ');
  const rows = await raw.rows<{ status: string; runs: number | string }>('SELECT status, COUNT(*) AS runs FROM "Run" GROUP BY status');
  const floor = rows
    .map((row) => `${row.status} ${Number(row.runs)}`)
    .sort()
    .join(', ');
  return { name: 'runStatusCounts (rollups) equal COUNT(*) … GROUP BY status', passed: ours === floor, detail: ours === floor ? ours : `ours: ${ours}; SQL: ${floor}` };
}

/** One resumed run, approved through GraphQL, runs its remaining steps to SUCCEEDED. */
async function checkApproval(raw: RawDatabase, api: Api, from: number | string): Promise<Check> {
  const [waiting] = await raw.rows<{ id: string; name: string }>(
    `SELECT r.id, s.name FROM "Run" r JOIN "StepRun" s ON s."runId" = r.id WHERE r."createdAt" >= $1 AND r.status = 'WAITING' AND s.status = 'WAITING' ORDER BY r."createdAt" LIMIT 1`,
    [from],
  );
  const name = 'a resumed WAITING run, approved through GraphQL, finishes SUCCEEDED';
  if (!waiting) return { name, passed: false, detail: 'no WAITING run to approve' };
  const started = performance.now();
  await api.request('mutation ($id: ID!, $step: String!) { approveStep(runId: $id, step: $step) { id } }', { id: waiting.id, step: waiting.name });
  for (;;) {
    const { run } = await api.request<{ run: { status: string } }>('query ($id: ID!) { run(id: $id) { status } }', { id: waiting.id });
    const elapsed = performance.now() - started;
    if (!['WAITING', 'RUNNING'].includes(run.status)) return { name, passed: run.status === 'SUCCEEDED', detail: `${waiting.id} ${run.status} ${Math.round(elapsed)} ms after approveStep` };
    if (elapsed > APPROVED_RUN_TIMEOUT_MS) return { name, passed: false, detail: `${waiting.id} still ${run.status} after ${APPROVED_RUN_TIMEOUT_MS / 1000} s` };
    await sleep(50);
  }
}
