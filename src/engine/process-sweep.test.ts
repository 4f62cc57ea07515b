import { spawn, type ChildProcess } from 'node:child_process';
import { endStepProcesses, findStepProcesses, markPids, pidWindow, STEP_COOKIE_VARIABLE, type PidMark } from './process-sweep.ts';
import { spawnEnvironment } from './step-launcher.ts';

const PID_MAX = 32_768;

function mark(lastPid: number, forks = 1_000, tasks = 200): PidMark {
  return { lastPid, forks, tasks };
}

/** A `sleep` carrying the cookie, in a session of its own (out of every step's process group). */
function escapedSleeper(cookie: string): { child: ChildProcess; exited: Promise<unknown> } {
  const child = spawn('setsid', ['sleep', '1007'], { env: spawnEnvironment({ PATH: process.env.PATH ?? '/usr/bin:/bin', [STEP_COOKIE_VARIABLE]: cookie }), stdio: 'ignore' });
  return { child, exited: new Promise((resolve) => child.once('exit', resolve)) };
}

/** Waits until /proc shows the cookie in the process's environment (setsid has exec'd sleep). */
async function carriesCookie(pid: number, cookie: string): Promise<void> {
  for (let tries = 0; tries < 200; tries += 1) {
    if ((await findStepProcesses({ cookies: new Set([cookie]), groups: new Set() })).includes(pid)) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`process ${pid} never showed cookie ${cookie}`);
}

describe('pidWindow', () => {
  it('lists the few pids handed out between two marks', () => {
    const window = pidWindow(mark(1_000), mark(1_004, 1_004), PID_MAX);

    expect(window?.pids).toEqual([1_001, 1_002, 1_003, 1_004]);
    expect([1_000, 1_001, 1_004, 1_005].map((pid) => window?.holds(pid))).toEqual([false, true, true, false]);
  });

  it('holds the pids on both sides of pid_max when the allocation went round, without listing them', () => {
    const window = pidWindow(mark(32_700), mark(310, 1_400), PID_MAX);

    expect(window?.pids).toBeNull();
    expect([32_700, 32_701, 32_767, 300, 310, 311, 20_000].map((pid) => window?.holds(pid))).toEqual([false, true, true, true, true, false, false]);
  });

  it('tells nothing once the forks and the pids in use could have taken the allocation all the way round', () => {
    expect(pidWindow(mark(1_000, 1_000), mark(1_010, 1_000 + 16_000, 300), PID_MAX)).toBeNull();
    expect(pidWindow(mark(1_000), null, PID_MAX)).toBeNull();
    expect(pidWindow(mark(1_000), mark(1_010), null)).toBeNull();
  });
});

describe('the sweep on this machine', () => {
  it('finds a process that left the step group when it was started after the mark, and ends it', async () => {
    const cookie = `run_sweep_test_${process.pid}/after`;
    const since = markPids();
    const { child, exited } = escapedSleeper(cookie);
    const pid = child.pid ?? 0;
    await carriesCookie(pid, cookie);

    const found = await findStepProcesses({ cookies: new Set([cookie]), groups: new Set(), since });
    await endStepProcesses({ cookies: new Set([cookie]), groups: new Set(), since }, 0);

    expect(since).toBeDefined();
    expect(found).toEqual([pid]);
    expect(await exited).toBeDefined();
  });

  it('leaves out a process started before the mark, which only a sweep without one finds', async () => {
    const cookie = `run_sweep_test_${process.pid}/before`;
    const { child, exited } = escapedSleeper(cookie);
    const pid = child.pid ?? 0;
    await carriesCookie(pid, cookie);
    const since = markPids();

    const sinceMark = await findStepProcesses({ cookies: new Set([cookie]), groups: new Set(), since });
    const everything = await findStepProcesses({ cookies: new Set([cookie]), groups: new Set() });
    await endStepProcesses({ cookies: new Set([cookie]), groups: new Set() }, 0);

    expect(sinceMark).toEqual([]);
    expect(everything).toEqual([pid]);
    expect(await exited).toBeDefined();
  });
});
