import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pollUntil } from '../test/poll-until.ts';
import { startServerProcess, type ServerProcess } from '../test/server-process.ts';

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'runtrail');

interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The `runtrail` command as a process, as a person types it. */
function runtrail(args: string[], env: Record<string, string>): Promise<Outcome> {
  const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { NODE_ENV: 'production', PATH: process.env.PATH ?? '', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stdout, stderr })));
}

function runIdIn(output: string): string {
  const id = /Run (run_\w+)/.exec(output)?.[1];
  if (!id) throw new Error(`No run id in:\n${output}`);
  return id;
}

describe('runtrail commands against a running server', () => {
  let dir: string;
  let dataDir: string;
  let server: ServerProcess;
  let env: Record<string, string>;
  let token: string;

  async function runStatus(id: string): Promise<string> {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: 'query ($id: ID!) { run(id: $id) { status } }', variables: { id } }),
    });
    const body = (await response.json()) as { data: { run: { status: string } } };
    return body.data.run.status;
  }

  function file(name: string, yaml: string): string {
    const where = path.join(dir, name);
    writeFileSync(where, yaml);
    return where;
  }

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-cli-server-'));
    dataDir = path.join(dir, 'data');
    server = await startServerProcess({ DATA_DIR: dataDir, LOAD_EXAMPLES: 'false', SCHEDULER: 'off', KILL_GRACE_MS: '200' });
    await server.ready();
    token = readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
    // The CLI finds the server and its token from DATA_DIR alone, as on the server's machine.
    env = { DATA_DIR: dataDir };
  });
  afterAll(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts a workflow file with Dagu params, follows it, records an API trigger, and explains a failure with the step error and its log', async () => {
    const ok = file('greet.yaml', 'params:\n  WHO: nobody\nsteps:\n  - name: greet\n    command: echo "hello ${WHO}"\n');
    const flag = path.join(dir, 'fixed');
    const flaky = file('flaky.yaml', `steps:\n  - name: prepare\n    command: echo prepared\n  - name: load\n    command: echo "cannot load" >&2; test -f ${flag} || exit 7\n`);

    const [succeeded, failed] = await Promise.all([runtrail(['start', ok, '--', 'WHO=cli'], env), runtrail(['start', flaky], env)]);

    expect(succeeded.status).toBe(0);
    expect(succeeded.stdout).toMatch(/step greet\s+RUNNING → SUCCEEDED/);
    expect(succeeded.stdout).toMatch(/: SUCCEEDED\n {2}trigger API,/);
    expect(succeeded.stdout).toContain('params WHO=cli');
    expect(failed.status).toBe(1);
    expect(failed.stdout).toMatch(/load\s+FAILED\s+exit 7/);
    expect(failed.stdout).toContain('Step "load" FAILED with exit code 7');
    expect(failed.stdout).toContain('    cannot load');

    const failedId = runIdIn(failed.stdout);
    const status = await runtrail(['status', failedId], env);
    expect(status.status).toBe(1);
    expect(status.stdout).toContain(`Run ${failedId} of flaky (project default): FAILED`);
    expect(status.stdout).toContain('Step "load" FAILED with exit code 7');

    writeFileSync(flag, '');
    const [retried, restarted] = await Promise.all([runtrail(['retry', failedId, '--step', 'load'], env), runtrail(['restart', runIdIn(succeeded.stdout)], env)]);
    expect(retried.status).toBe(0);
    expect(retried.stdout).toMatch(/step prepare\s+NOT_STARTED → SUCCEEDED\s+\(Reused from run/);
    expect(retried.stdout).toMatch(/trigger RETRY, attempt 2 \(retry of run_/);
    expect(restarted.status).toBe(0);
    expect(restarted.stdout).toMatch(/restarts run_/);
    expect(restarted.stdout).toContain('params WHO=cli');

    const [fromStep, noSuchStep] = await Promise.all([runtrail(['retry', runIdIn(retried.stdout), '--step', 'prepare'], env), runtrail(['retry', failedId, '--step', 'nope'], env)]);
    expect(fromStep.status).toBe(0);
    expect(fromStep.stdout).toMatch(/step prepare\s+NOT_STARTED → RUNNING/);
    expect(noSuchStep.status).toBe(2);
    expect(noSuchStep.stderr).toContain('has no step "nope"; its steps: prepare, load');
  });

  it('pages the history with filters and exact counts, as a table and as JSON', async () => {
    const counted = file('counted.yaml', 'params:\n  CODE: "0"\nsteps:\n  - name: s\n    command: exit ${CODE}\n');
    const outcomes = await Promise.all(['0', '0', '0', '3', '3'].map((code) => runtrail(['start', counted, '--', `CODE=${code}`], env)));
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual([0, 0, 0, 1, 1]);

    const [table, json, failedOnly] = await Promise.all([
      runtrail(['history', '--workflow', 'counted', '--page-size', '2'], env),
      runtrail(['history', '--workflow', 'counted', '--page-size', '2', '--format', 'json', '--from', '2000-01-01', '--to', '2999-01-01'], env),
      runtrail(['history', '--workflow', 'counted', '--status', 'failed,aborted'], env),
    ]);

    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/^5 runs \(SUCCEEDED 3, FAILED 2\), as of snapshot \d+\n/);
    expect(table.stdout.trim().split('\n')).toHaveLength(2 + 5);
    const parsed = JSON.parse(json.stdout) as { totalCount: number; statusCounts: Record<string, number>; runs: { id: string; status: string }[] };
    expect(parsed.totalCount).toBe(5);
    expect(parsed.statusCounts).toEqual({ SUCCEEDED: 3, FAILED: 2 });
    expect(new Set(parsed.runs.map((run) => run.id)).size).toBe(5);
    expect(failedOnly.stdout).toMatch(/^2 runs \(FAILED 2\)/);
    expect(failedOnly.stdout.match(/ FAILED /g)).toHaveLength(2);
  });

  it('follows a growing log, stops a running run, and dequeues a queued one', async () => {
    const talker = file('talker.yaml', 'steps:\n  - name: talk\n    command: for i in 1 2 3; do echo "line $i"; sleep 1; done\n');
    const sleeper = file('sleeper.yaml', 'maxActiveRuns: 1\nsteps:\n  - name: nap\n    command: sleep 60\n');

    const talking = runIdIn((await runtrail(['enqueue', talker], env)).stdout);
    const followed = runtrail(['logs', talking, '--step', 'talk', '--follow'], env);
    const first = await runtrail(['enqueue', sleeper], env);
    const second = await runtrail(['enqueue', sleeper], env);
    const [running, queued] = [runIdIn(first.stdout), runIdIn(second.stdout)];
    await pollUntil('the sleeper to run', 30_000, async () => ((await runStatus(running)) === 'RUNNING' ? true : null));

    const [refusedDequeue, dequeued] = await Promise.all([runtrail(['dequeue', running], env), runtrail(['dequeue', queued], env)]);
    const stopped = await runtrail(['stop', running], env);
    const logs = await followed;

    expect(logs.status).toBe(0);
    expect(logs.stdout).toBe('line 1\nline 2\nline 3\n');
    expect(refusedDequeue.status).toBe(2);
    expect(refusedDequeue.stderr).toContain(`Run ${running} is RUNNING, not QUEUED: stop it with \`runtrail stop ${running}\``);
    expect(dequeued.status).toBe(0);
    expect(await runStatus(queued)).toBe('ABORTED');
    expect(stopped.status).toBe(0);
    expect(await runStatus(running)).toBe('ABORTED');
  });

  it('says why when the token is refused, the server is unreachable, or the run does not exist', async () => {
    const emptyDataDir = path.join(dir, 'no-server');
    const [badToken, noServer, unknown] = await Promise.all([
      runtrail(['status', 'run_nothing'], { RUNTRAIL_URL: server.url, RUNTRAIL_TOKEN: 'rt_not_a_token' }),
      runtrail(['history'], { DATA_DIR: emptyDataDir }),
      runtrail(['status', 'run_nothing'], env),
    ]);

    expect(badToken.status).toBe(2);
    expect(badToken.stderr).toContain(`${server.url} refused the token`);
    expect(noServer.status).toBe(2);
    expect(noServer.stderr).toContain(`No Runtrail server runs on DATA_DIR ${emptyDataDir}`);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('There is no run run_nothing you may read');
  });

  it('prints sign-in links with the URL the server really listens on', async () => {
    const result = await runtrail(['user', 'login-link', 'admin'], env);

    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^${server.url}/auth/link\\?token=rt_`));
  });

  it('warns when `runtrail run` executes beside a server on the same DATA_DIR', async () => {
    const quick = file('quick.yaml', 'steps:\n  - name: s\n    command: "true"\n');
    // A data directory of its own, whose server.json names a live process (this test's): no second writer on the server's database.
    const otherDataDir = mkdtempSync(path.join(dir, 'beside-'));
    writeFileSync(path.join(otherDataDir, 'server.json'), JSON.stringify({ pid: process.pid, url: 'http://localhost:4999', role: 'all', startedAt: new Date().toISOString() }));

    const result = await runtrail(['run', quick], { DATA_DIR: otherDataDir, LOAD_EXAMPLES: 'false' });

    expect(result.status).toBe(0);
    expect(result.stderr).toContain(`a Runtrail server (pid ${process.pid}, http://localhost:4999) uses the same DATA_DIR ${otherDataDir}`);
  });
});
