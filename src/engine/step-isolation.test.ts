import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Services } from '../composition.ts';
import { loadConfig } from '../config.ts';
import { ADMIN_PRINCIPAL } from '../test/principals.ts';
import { composeTestServices } from '../test/compose.ts';
import { PROVIDERS, useMigratedDatabase } from '../test/database-suite.ts';
import { saveTestWorkflow, stepsOf, waitForRunEnd, waitForStepStatus } from '../test/engine-helpers.ts';
import { isUnfinishedStepStatus } from '../domain/status.ts';
import { spawnEnvironment } from './step-launcher.ts';
import { alive, liveProcesses } from '../test/live-processes.ts';
import { ResponseBudget } from '../domain/response-budget.ts';

const ADMIN_TOKEN_TEXT = 'rt_admin_secret_for_the_test';

/** The pids of live processes whose command line is exactly these words. */
function processesRunning(...words: string[]): number[] {
  const wanted = `${words.join('\0')}\0`;
  return liveProcesses()
    .filter((live) => live.commandLine === wanted)
    .map((live) => live.pid);
}

function newDataDir(): string {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-isolation-data-'));
  // 0644 on purpose: DATA_DIR itself (0700) is what keeps steps out.
  writeFileSync(path.join(dataDir, 'admin-token'), `${ADMIN_TOKEN_TEXT}\n`, { mode: 0o644 });
  return dataDir;
}

/** The engine settings as the server reads them from its environment, with the server's secrets in it. */
function engineFromEnvironment(workDir: string, extra: Record<string, string> = {}) {
  return loadConfig(
    {
      PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      HOME: '/root',
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      DATABASE_URL: 'postgres://runtrail:db-password@db.internal:5432/runtrail',
      REDIS_URL: 'redis://:redis-password@cache.internal:6379',
      RUNTRAIL_INTERNAL_SECRET: 'server-only',
      EXTRA_ALLOWED: 'passed through',
      STEP_ENV_PASSTHROUGH: 'EXTRA_ALLOWED, NOT_SET_ANYWHERE',
      WORK_DIR: workDir,
      KILL_GRACE_MS: '500',
      ...extra,
    },
    0,
  ).engine;
}

describe.each(PROVIDERS)('what a step can reach, on %s', (provider) => {
  const database = useMigratedDatabase(provider);
  let services: Services;
  let dataDir: string;
  let workDir: string;

  beforeAll(async () => {
    dataDir = newDataDir();
    workDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-isolation-work-'));
    // The server's own environment holds secrets a step used to inherit whole.
    process.env.RUNTRAIL_INTERNAL_SECRET = 'server-only';
    services = composeTestServices(database(), { dataDir, engine: engineFromEnvironment(workDir) });
    await services.engine.start({ recover: false });
  });
  afterAll(async () => {
    delete process.env.RUNTRAIL_INTERNAL_SECRET;
    await services.engine.stop('test over');
  });

  async function runToEnd(yaml: string, params: Record<string, string> = {}) {
    const workflow = await saveTestWorkflow(services, yaml);
    const queued = await services.control.start(workflow, params, 'MANUAL', 'tester');
    const run = await waitForRunEnd(services, queued.id);
    const steps = await services.repositories.steps.listByRunIds([run.id]);
    // The invariant: a finished run has no unfinished step.
    expect(steps.filter((step) => isUnfinishedStepStatus(step.status)).map((step) => step.name)).toEqual([]);
    return { workflow, run, steps };
  }

  async function logOf(runId: string, step: string): Promise<string> {
    return (await services.runQueries.stepLog(ADMIN_PRINCIPAL, runId, step, 0, 1_000_000, new ResponseBudget(1_000_000))).content;
  }

  describe('A5: environment and working directory', () => {
    it('gives a step the allow-listed environment, its run variables and the names passed through, nothing else', async () => {
      const { workflow, run } = await runToEnd('params:\n  WHO: ops\nenv:\n  - STAGE: prod\nsteps:\n  - name: show\n    command: env\n');

      const env = new Map(
        (await logOf(run.id, 'show'))
          .trim()
          .split('\n')
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      );
      expect([...env.keys()].filter((name) => /DATABASE|REDIS|SECRET|TOKEN|PASSWORD/.test(name))).toEqual([]);
      expect(Object.fromEntries(env)).toMatchObject({
        PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        LANG: 'C.UTF-8',
        LC_ALL: 'C.UTF-8',
        EXTRA_ALLOWED: 'passed through',
        WHO: 'ops',
        STAGE: 'prod',
        DAG_NAME: workflow.name,
        DAG_RUN_ID: run.id,
        DAG_RUN_STEP_NAME: 'show',
        DAG_RUN_LOG_FILE: path.join(dataDir, 'logs', run.id, 'show.log'),
        RUNTRAIL_RUN_ID: run.id,
        RUNTRAIL_WORKFLOW: workflow.name,
      });
      expect(env.has('NOT_SET_ANYWHERE')).toBe(false);
    });

    it('runs steps in a fresh directory of their run outside DATA_DIR, with scripts there too, and removes it after the run', async () => {
      const { run } = await runToEnd(`
steps:
  - name: where
    command: pwd; ls -A | wc -l; cat admin-token 2>/dev/null || echo "no admin-token here"
  - name: scripted
    script: |
      echo "script at $0"
`);

      const runDir = path.join(workDir, run.id);
      const [cwd, entries, token] = (await logOf(run.id, 'where')).trim().split('\n');
      expect(cwd).toBe(runDir);
      expect(entries?.trim()).toBe('0');
      expect(token).toBe('no admin-token here');
      expect((await logOf(run.id, 'scripted')).startsWith(`script at ${runDir}${path.sep}`)).toBe(true);
      // The directory goes once the run has ended, in the same execution's last steps: wait for it, up to a bound.
      expect(await removedWithin(runDir, 5_000)).toBe(true);
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    });
  });

  describe('A6: params, env and outputs reach the shell as variables, never as code', () => {
    it.each([['"; cat admin-token; echo "'], ['$(touch pwned)'], ['`touch pwned`']])('prints NAME=%s literally and runs none of it', async (value) => {
      const target = mkdtempSync(path.join(os.tmpdir(), 'runtrail-injection-'));
      writeFileSync(path.join(target, 'admin-token'), `${ADMIN_TOKEN_TEXT}\n`);
      const { run } = await runToEnd(
        `
params:
  NAME: world
steps:
  - name: greet
    dir: ${target}
    command: echo "hello \${NAME}"
    output: GREETING
  - name: scripted
    dir: ${target}
    script: |
      echo "script \${NAME}"
  - name: checked
    dir: ${target}
    command: echo "got \${GREETING}"
    preconditions:
      - condition: "\${NAME}"
        expected: "\${NAME}"
`,
        { NAME: value },
      );

      expect(run.status).toBe('SUCCEEDED');
      expect(await logOf(run.id, 'greet')).toBe(`hello ${value}\n`);
      expect(await logOf(run.id, 'scripted')).toBe(`script ${value}\n`);
      expect(await logOf(run.id, 'checked')).toBe(`got hello ${value}\n`);
      expect(readdirSync(target)).toEqual(['admin-token']);
    });
  });

  describe('B20: a step that cannot start fails with the reason', () => {
    it('fails a step whose environment is too large (a 200 KB param), and the run ends FAILED', async () => {
      const { run, steps } = await runToEnd('params:\n  BIG: small\nsteps:\n  - name: big\n    command: echo "${#BIG}"\n  - name: after\n    command: echo never\n', { BIG: 'a'.repeat(200 * 1024) });

      expect(run.status).toBe('FAILED');
      expect(run.error).toBe('Step "big" failed');
      expect(await stepsOf(services, run.id)).toEqual({ big: 'FAILED', after: 'ABORTED' });
      expect(steps.find((step) => step.name === 'big')?.error).toMatch(/^could not start "sh": spawn E2BIG \(the environment/);
    });

    it('says which working directory does not exist, and continueOn still applies', async () => {
      const missing = path.join(os.tmpdir(), 'runtrail-no-such-dir', 'deeper');
      const { run, steps } = await runToEnd(`
steps:
  - name: nowhere
    dir: ${missing}
    command: echo never
    continueOn:
      failure: true
  - name: after
    command: echo fine
`);

      expect(run.status).toBe('PARTIALLY_SUCCEEDED');
      expect(steps.find((step) => step.name === 'nowhere')?.error).toBe(`working directory "${missing}" does not exist`);
      expect(await stepsOf(services, run.id)).toEqual({ nowhere: 'FAILED', after: 'SUCCEEDED' });
    });

    it('fails a step whose shell does not exist, preconditions and retries included', async () => {
      const { run, steps } = await runToEnd(`
steps:
  - name: noshell
    shell: /no/such/shell
    command: echo never
    preconditions:
      - condition: "yes"
        expected: "yes"
    retryPolicy:
      limit: 1
      intervalSec: 0
`);

      const step = steps.find((entry) => entry.name === 'noshell');
      expect(run.status).toBe('FAILED');
      expect(step?.attempt).toBe(2);
      expect(step?.error).toBe('could not evaluate precondition "yes": spawn /no/such/shell ENOENT');
    });
  });

  describe('D3, D4: every process a step started ends with it', () => {
    it('ends a background child a succeeded step left behind', async () => {
      const { run, steps } = await runToEnd('steps:\n  - name: leaves\n    command: sleep 1002 > /dev/null 2>&1 & echo $!\n    output: CHILD\n');

      const child = Number(steps.find((step) => step.name === 'leaves')?.output);
      expect(run.status).toBe('SUCCEEDED');
      expect(child).toBeGreaterThan(0);
      expect(alive(child)).toBe(false);
    });

    it('ends a setsid child a succeeded step left behind (found among the processes started since the step)', async () => {
      const { run, steps } = await runToEnd('steps:\n  - name: escapes\n    command: setsid sleep 1008 > /dev/null 2>&1 < /dev/null & echo $!\n    output: CHILD\n');

      const child = Number(steps.find((step) => step.name === 'escapes')?.output);
      expect(run.status).toBe('SUCCEEDED');
      expect(child).toBeGreaterThan(0);
      expect(alive(child)).toBe(false);
    });

    it('ends a setsid child when the step is cancelled', async () => {
      const seconds = String(1003_000 + Math.floor(Math.random() * 1000));
      const workflow = await saveTestWorkflow(services, `steps:\n  - name: long\n    command: setsid sleep ${seconds} > /dev/null 2>&1 & sleep 60\n`);
      const queued = await services.control.start(workflow, {}, 'MANUAL', 'tester');
      await waitForStepStatus(services, queued.id, 'long', 'RUNNING');
      let escaped: number[] = [];
      for (let tries = 0; escaped.length === 0 && tries < 100; tries += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        escaped = processesRunning('sleep', seconds);
      }
      const ownSession = escaped.map((pid) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[3]);

      const cancelled = await services.control.cancelRun(ADMIN_PRINCIPAL, queued.id);

      expect(escaped).toHaveLength(1);
      expect(ownSession).toEqual([String(escaped[0])]);
      expect(cancelled.status).toBe('ABORTED');
      expect(escaped.filter(alive)).toEqual([]);
    });
  });
});

describe.each(PROVIDERS)('recovery on %s', (provider) => {
  const database = useMigratedDatabase(provider);

  it('settles an unfinished step of a finished run and kills what it left running', async () => {
    const writer = composeTestServices(database());
    const workflow = await saveTestWorkflow(writer, 'steps:\n  - name: stuck\n    command: sleep 60\n  - name: later\n    command: echo never\n');
    const run = await writer.control.start(workflow, {}, 'MANUAL', 'tester');
    await writer.recorder.recordTransition({ runId: run.id, to: 'RUNNING' });
    await writer.recorder.recordStepTransition({ runId: run.id, step: 'stuck', to: 'RUNNING' });
    await writer.recorder.recordTransition({ runId: run.id, to: 'SUCCEEDED' });
    const leftover = spawn('sleep', ['1005'], { env: spawnEnvironment({ RUNTRAIL_STEP_COOKIE: `${run.id}/stuck` }), detached: true, stdio: 'ignore' });
    const exited = new Promise((resolve) => leftover.once('exit', resolve));
    const pid = leftover.pid ?? 0;
    const aliveBefore = alive(pid);

    const restarted = composeTestServices(database());
    await restarted.engine.start({ recover: true });
    await exited;
    await restarted.engine.stop('test over');

    const events = await restarted.repositories.events.listByRunIds([run.id]);
    expect(aliveBefore).toBe(true);
    expect(alive(pid)).toBe(false);
    expect(await stepsOf(restarted, run.id)).toEqual({ stuck: 'ABORTED', later: 'ABORTED' });
    expect(events.at(-1)?.message).toBe('executor lost: the run had already finished');
  });
});

describe('STEP_USER as root', () => {
  const database = useMigratedDatabase('sqlite');

  it('runs steps and preconditions as that user, who cannot read DATA_DIR', async () => {
    const dataDir = newDataDir();
    const workDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-isolation-work-'));
    const services = composeTestServices(database(), { dataDir, engine: engineFromEnvironment(workDir, { STEP_USER: 'nobody' }) });
    await services.engine.start({ recover: false });
    try {
      const workflow = await saveTestWorkflow(
        services,
        `
steps:
  - name: who
    command: |
      id -u; echo "$HOME $USER"; pwd
      cat "${dataDir}/admin-token" 2>&1 || echo "admin-token denied"
      ls "${dataDir}" 2>&1 || echo "DATA_DIR denied"
      cat "$DAG_RUN_LOG_FILE" 2>&1 || echo "log denied"
    preconditions:
      - condition: "$(id -un)"
        expected: nobody
  - name: scripted
    script: |
      id -un
`,
      );
      const queued = await services.control.start(workflow, {}, 'MANUAL', 'tester');
      const run = await waitForRunEnd(services, queued.id);

      const log = (await services.runQueries.stepLog(ADMIN_PRINCIPAL, run.id, 'who', 0, 100_000, new ResponseBudget(100_000))).content;
      const lines = log.trim().split('\n');
      expect(run.status).toBe('SUCCEEDED');
      expect(lines.slice(0, 3)).toEqual(['65534', '/nonexistent nobody', path.join(workDir, run.id)]);
      expect(log).not.toContain(ADMIN_TOKEN_TEXT);
      expect(lines).toEqual(expect.arrayContaining(['admin-token denied', 'DATA_DIR denied', 'log denied']));
      expect((await services.runQueries.stepLog(ADMIN_PRINCIPAL, run.id, 'scripted', 0, 1000, new ResponseBudget(1000))).content).toBe('nobody\n');
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    } finally {
      await services.engine.stop('test over');
    }
  });
});

describe('KEEP_WORK_DIRS', () => {
  const database = useMigratedDatabase('sqlite');

  it('keeps a run\'s working directory, with what its steps left there', async () => {
    const workDir = mkdtempSync(path.join(os.tmpdir(), 'runtrail-isolation-work-'));
    const services = composeTestServices(database(), { engine: engineFromEnvironment(workDir, { KEEP_WORK_DIRS: 'true' }) });
    await services.engine.start({ recover: false });
    try {
      const workflow = await saveTestWorkflow(services, 'steps:\n  - name: make\n    command: echo kept > result.txt\n');
      const queued = await services.control.start(workflow, {}, 'MANUAL', 'tester');
      const run = await waitForRunEnd(services, queued.id);

      expect(run.status).toBe('SUCCEEDED');
      expect(readFileSync(path.join(workDir, run.id, 'result.txt'), 'utf8')).toBe('kept\n');
    } finally {
      await services.engine.stop('test over');
    }
  });
});

/** Whether `file` is gone, now or within `ms`. */
async function removedWithin(file: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (existsSync(file)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}
