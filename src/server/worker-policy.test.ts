import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pollUntil } from '../test/poll-until.ts';
import { processClient } from '../test/process-client.ts';
import { startClusterProcess, type ServerProcess } from '../test/server-process.ts';
import { createTempPostgres, type TempDatabase } from '../test/temp-database.ts';

const LEASE_SECONDS = 2;
// Past the lease, the sweep that notices it (a third of it) and the poll that applies a stored decision;
// with room for a loaded CI machine, where the surviving worker also takes the leader's duties on
// (14 s was once too short there, with a benchmark running beside the suite).
const TAKEOVER_MS = (LEASE_SECONDS + 25) * 1000;
// Long enough to outlast the second worker's start before the kill on a loaded machine: with 3 s,
// CI once timed out waiting for the requeue, most likely because a nap ended by itself first.
const NAP_SECONDS = 8;

interface RunRow {
  id: string;
  status: string;
  error: string | null;
  leaseOwner: string | null;
}

interface EventRow {
  step: string | null;
  from: string | null;
  to: string;
  message: string | null;
  actor: string | null;
}

interface RunAnswer {
  id: string;
  status: string;
  steps: { name: string; status: string }[];
}

const RUN_FIELDS = '{ id status steps { name status } }';

describe('runs of a lost worker, and approvals, across processes on one PostgreSQL database', () => {
  let database: TempDatabase;
  let sql: pg.Client;
  const dataDirs: string[] = [];
  const processes: ServerProcess[] = [];
  const workers = new Map<string, ServerProcess>();
  let api: ServerProcess;
  let token = '';
  let projectId = '';
  const { graphql } = processClient(() => token);

  async function start(role: 'api' | 'worker', name?: string): Promise<ServerProcess> {
    const server = await startClusterProcess({ databaseUrl: database.config.url, role, name, leaseSeconds: LEASE_SECONDS, dataDirs });
    processes.push(server);
    if (name) workers.set(name, server);
    return server;
  }

  async function saveWorkflow(yaml: string): Promise<string> {
    const saved = await graphql<{ saveWorkflow: { id: string } }>(api, 'mutation ($p: ID!, $y: String!) { saveWorkflow(projectId: $p, yaml: $y) { id } }', { p: projectId, y: yaml });
    return saved.saveWorkflow.id;
  }

  async function trigger(workflowId: string): Promise<string> {
    return (await graphql<{ triggerRun: { id: string } }>(api, 'mutation ($id: ID!) { triggerRun(workflowId: $id) { id } }', { id: workflowId })).triggerRun.id;
  }

  async function run(id: string): Promise<RunRow> {
    const { rows } = await sql.query<RunRow>(`SELECT id, status, error, "leaseOwner" FROM "Run" WHERE id = $1`, [id]);
    if (!rows[0]) throw new Error(`no run ${id}`);
    return rows[0];
  }

  async function stepOf(runId: string, name: string): Promise<{ status: string; attempt: number }> {
    const { rows } = await sql.query<{ status: string; attempt: number }>(`SELECT status, attempt FROM "StepRun" WHERE "runId" = $1 AND name = $2`, [runId, name]);
    if (!rows[0]) throw new Error(`no step ${name} in run ${runId}`);
    return rows[0];
  }

  async function events(runId: string): Promise<EventRow[]> {
    const { rows } = await sql.query<EventRow>(
      `SELECT s.name AS step, e."from", e."to", e.message, e.actor FROM "RunEvent" e LEFT JOIN "StepRun" s ON s.id = e."stepRunId" WHERE e."runId" = $1 ORDER BY e.seq`,
      [runId],
    );
    return rows;
  }

  function waitForStatus(id: string, accept: (row: RunRow) => boolean, timeoutMs = 20_000): Promise<RunRow> {
    return pollUntil(`run ${id} to reach the expected status`, timeoutMs, async () => {
      const row = await run(id);
      return accept(row) ? row : null;
    });
  }

  beforeAll(async () => {
    database = await createTempPostgres('worker_policy');
    api = await start('api');
    token = readFileSync(path.join(dataDirs[0] ?? '', 'admin-token'), 'utf8').trim();
    const { projects } = await graphql<{ projects: { id: string }[] }>(api, '{ projects { id } }');
    projectId = projects[0]?.id ?? '';
    sql = new pg.Client({ connectionString: database.config.url });
    await sql.connect();
  });
  afterAll(async () => {
    for (const server of processes) {
      server.child.kill('SIGCONT');
      server.child.kill('SIGKILL');
    }
    await Promise.all(processes.map((server) => server.exited));
    await sql?.end();
    await database.drop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('requeues a killed worker\'s run whose running step has a retry left, and the other worker finishes it; a run whose step has none ends FAILED "worker lost"', async () => {
    const ledgerDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-ledger-'));
    dataDirs.push(ledgerDir);
    const ledger = path.join(ledgerDir, 'ledger');
    const retrying = await saveWorkflow(
      `name: retrying\nsteps:\n  - name: prepare\n    command: echo "prepare $DAG_RUN_ID" >> ${ledger}\n  - name: nap\n    command: echo "nap $DAG_RUN_ID" >> ${ledger}; sleep ${NAP_SECONDS}\n    retryPolicy: { limit: 1 }\n`,
    );
    const fragile = await saveWorkflow(`name: fragile\nsteps:\n  - name: nap\n    command: sleep ${NAP_SECONDS}\n`);
    const doomed = await start('worker', 'worker-a');
    const retried = await trigger(retrying);
    const failed = await trigger(fragile);
    await pollUntil('both naps running on worker-a', 20_000, async () => {
      const [first, second] = await Promise.all([stepOf(retried, 'nap'), stepOf(failed, 'nap')]);
      return first.status === 'RUNNING' && second.status === 'RUNNING' ? true : null;
    });
    await start('worker', 'worker-b');

    doomed.child.kill('SIGKILL');
    // False (rather than a timeout) when the run ended without being requeued: its nap ended before the kill.
    const requeued = await pollUntil('the run to be requeued', TAKEOVER_MS, async () => {
      if ((await events(retried)).some((event) => event.step === null && event.to === 'QUEUED' && event.from === 'RUNNING')) return true;
      return (await run(retried)).status === 'SUCCEEDED' ? false : null;
    });
    const [succeeded, lost] = await Promise.all([
      waitForStatus(retried, (row) => row.status !== 'RUNNING' && row.status !== 'QUEUED', TAKEOVER_MS),
      waitForStatus(failed, (row) => row.status !== 'RUNNING', TAKEOVER_MS),
    ]);

    const trail = (await events(retried)).map((event) => `${event.step ?? 'run'}:${event.to}${event.to === 'QUEUED' || event.to === 'FAILED' ? ` (${event.message})` : ''}`);
    const ran = readFileSync(ledger, 'utf8').split('\n').filter((line) => line.endsWith(retried));
    expect(requeued).toBe(true);
    expect(succeeded).toMatchObject({ status: 'SUCCEEDED', error: null, leaseOwner: null });
    expect(await stepOf(retried, 'nap')).toEqual({ status: 'SUCCEEDED', attempt: 2 });
    expect(ran).toEqual([`prepare ${retried}`, `nap ${retried}`, `nap ${retried}`]);
    expect(trail).toEqual([
      'run:QUEUED (Run created)',
      'run:RUNNING',
      'prepare:RUNNING',
      'prepare:SUCCEEDED',
      'nap:RUNNING',
      'nap:FAILED (worker lost during attempt 1; its retry policy runs it again)',
      'run:QUEUED (worker lost: requeued, "nap" will run again)',
      'run:RUNNING',
      'nap:RUNNING',
      'nap:SUCCEEDED',
      'run:SUCCEEDED',
    ]);
    expect(lost).toMatchObject({ status: 'FAILED', error: 'worker lost' });
    expect(await stepOf(failed, 'nap')).toEqual({ status: 'ABORTED', attempt: 1 });
  }, 120_000);

  it('approves and rejects, through the API process, steps of runs a worker holds: the worker acts on the decision', async () => {
    const gated = await saveWorkflow('name: gated\nsteps:\n  - name: build\n    command: "true"\n  - name: approve\n    type: approval\n  - name: deploy\n    command: echo deployed\n');
    const [toApprove, toReject] = [await trigger(gated), await trigger(gated)];
    await Promise.all([toApprove, toReject].map((id) => waitForStatus(id, (row) => row.status === 'WAITING')));

    const approved = await graphql<{ approveStep: RunAnswer }>(api, `mutation ($id: ID!) { approveStep(runId: $id, step: "approve") ${RUN_FIELDS} }`, { id: toApprove });
    const rejected = await graphql<{ rejectStep: RunAnswer }>(api, `mutation ($id: ID!) { rejectStep(runId: $id, step: "approve", reason: "not today") ${RUN_FIELDS} }`, { id: toReject });
    const finished = await waitForStatus(toApprove, (row) => row.status === 'SUCCEEDED');

    const approval = (await events(toApprove)).find((event) => event.step === 'approve' && event.to === 'SUCCEEDED');
    const rejection = (await events(toReject)).find((event) => event.step === 'approve' && event.to === 'REJECTED');
    expect(approved.approveStep.steps.find((step) => step.name === 'approve')?.status).toBe('SUCCEEDED');
    expect(finished.leaseOwner).toBeNull();
    expect(approval).toMatchObject({ from: 'WAITING', message: 'Approved', actor: 'admin' });
    expect(rejected.rejectStep).toMatchObject({ status: 'REJECTED', steps: [{ name: 'build', status: 'SUCCEEDED' }, { name: 'approve', status: 'REJECTED' }, { name: 'deploy', status: 'ABORTED' }] });
    expect(rejection).toMatchObject({ from: 'WAITING', message: 'Rejected: not today', actor: 'admin' });
  });

  it('keeps a decision made while the holding worker is unreachable: the worker that takes the run over acts on it, and the stale one changes nothing when it wakes', async () => {
    const gated = await saveWorkflow('name: gated-later\nsteps:\n  - name: approve\n    type: approval\n  - name: deploy\n    command: echo deployed\n');
    const id = await trigger(gated);
    const { leaseOwner } = await waitForStatus(id, (row) => row.status === 'WAITING');
    const holder = workers.get(leaseOwner ?? '');
    if (!holder) throw new Error(`no process named ${leaseOwner}`);

    holder.child.kill('SIGSTOP');
    const answered = await graphql<{ approveStep: RunAnswer }>(api, `mutation ($id: ID!) { approveStep(runId: $id, step: "approve") ${RUN_FIELDS} }`, { id });
    await start('worker', 'worker-c');
    const finished = await waitForStatus(id, (row) => row.status === 'SUCCEEDED', TAKEOVER_MS + 10_000);
    holder.child.kill('SIGCONT');
    await new Promise((resolve) => setTimeout(resolve, LEASE_SECONDS * 1000));

    const trail = (await events(id)).map((event) => `${event.step ?? 'run'}:${event.to}`);
    expect(answered.approveStep.status).toBe('WAITING');
    expect(finished.status).toBe('SUCCEEDED');
    expect((await run(id)).status).toBe('SUCCEEDED');
    expect(trail).toEqual(['run:QUEUED', 'run:RUNNING', 'approve:WAITING', 'run:WAITING', 'approve:SUCCEEDED', 'run:RUNNING', 'deploy:RUNNING', 'deploy:SUCCEEDED', 'run:SUCCEEDED']);
  }, 120_000);
});
